// Imported first by the content script, so `npm run bench` times from before the rest of the bundle runs (its
// modules' top-level code included), not from inside main(). A user-timing mark, visible to the page and DevTools.
performance.mark('headway:start');
