// Imported first by the service worker and every extension page, before any schema is built. Their CSP has no
// 'unsafe-eval' (wxt.config.ts), so zod's JIT could never run there anyway; without `jitless` zod still probes
// `new Function('')` when it builds its first object schema, and the browser reports each probe as a CSP violation.
// jitless skips the probe and parses with the interpreter the CSP would have left it with anyway.
import { config } from 'zod';

config({ jitless: true });
