// Imported first by the bare sidebar, so its start mark is set before the rest of its bundle runs, as ours is.
performance.mark('bare:start');
