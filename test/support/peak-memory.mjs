// Preloaded (`node --import <this file> …`) into a process whose peak memory a bench measures from outside: at exit
// it writes the kernel's peak resident set (VmHWM) to the file named by HEADWAY_PEAK_MEMORY_FILE, as {"peakMiB": n}.
// Read at exit, not polled, so no late peak is missed; plain JavaScript, so it adds no loader to what it measures.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.HEADWAY_PEAK_MEMORY_FILE;
if (file) {
  process.on('exit', () => {
    const kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN);
    writeFileSync(file, JSON.stringify({ peakMiB: kib / 1024 }));
  });
}
