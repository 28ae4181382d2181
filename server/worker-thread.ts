import { Worker } from 'node:worker_threads';

/*
 * better-sqlite3 runs each statement synchronously on the thread that calls it, so a statement of seconds (a big
 * import's set-based apply) stalls every request of the process. Work like that runs here on a thread of its own,
 * with its own connection: it then stalls nothing but itself. Run from source, the server's modules are TypeScript
 * run by tsx, so the thread registers tsx before it imports the module; loading takes a while (Kysely alone is
 * hundreds of modules through tsx's hooks: 0.5–2 s), which is why a thread is started before it is called: the
 * caller starts it as soon as it knows it will need it, and calls it when it does.
 */
const threadMain = `
const { parentPort, workerData } = require('node:worker_threads');
const loading = (async () => {
  if (workerData.module.endsWith('.ts')) (await import('tsx/esm/api')).register();
  return import(workerData.module);
})();
loading.catch(() => {});
parentPort.once('message', ({ name, input }) => {
  loading
    .then((module) => module[name](input))
    .then(
      (value) => parentPort.postMessage({ ok: true, value }),
      (error) => parentPort.postMessage({ ok: false, message: String(error?.message ?? error), stack: String(error?.stack ?? '') }),
    );
});`;

type ThreadAnswer = { ok: true; value: unknown } | { ok: false; message: string; stack: string };

/** Thrown by a call whose function failed on its thread (the thread's own stack is the cause), or whose thread died. */
export class ThreadFailed extends Error {}

/** A thread loading one module, to call one of its exports once. */
export interface ModuleThread {
  /** Calls the export `name` with `input` (structured clone both ways: plain data, Maps, Dates); the thread then ends. */
  call<T>(name: string, input: unknown): Promise<T>;
  /** Ends the thread without calling it (idempotent). */
  end(): void;
}

/**
 * A module of the server by its path from server/ without extension ('import/apply-thread'). From source it is the
 * .ts file beside this one; in the build (scripts/build-server.mjs) this file is bundled into dist/server/cli.js, at
 * the same depth, and each module a thread loads is an entry point of its own at the same path, as .js: a thread
 * cannot load the module it was started from, which in a bundle is the whole CLI.
 */
export function serverModule(path: string): URL {
  return new URL(`./${path}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}

/** `module`: see serverModule; it must be listed among the build's thread entry points. */
export function startThread(module: URL): ModuleThread {
  const worker = new Worker(threadMain, { eval: true, workerData: { module: module.href } });
  let ended = false;
  let died: Error | null = null;
  const death = new Promise<never>((_, reject) => {
    worker.once('error', (error) => reject((died = error)));
    worker.once('exit', (code) => reject((died ??= new ThreadFailed(`The thread for ${module.pathname} stopped (exit code ${code}).`))));
  });
  death.catch(() => {});
  const end = () => {
    if (ended) return;
    ended = true;
    void worker.terminate();
  };
  return {
    end,
    async call<T>(name: string, input: unknown): Promise<T> {
      if (ended || died) throw died ?? new ThreadFailed('This thread was ended before it was called.');
      const answered = new Promise<ThreadAnswer>((resolve) => worker.once('message', resolve));
      worker.postMessage({ name, input });
      try {
        const answer = await Promise.race([answered, death]);
        if (!answer.ok) throw new ThreadFailed(answer.message, { cause: answer.stack });
        return answer.value as T;
      } finally {
        end();
      }
    },
  };
}
