// `node test/support/bare-read.mjs <file>`: the file read through and split into lines, as cheaply as Node can, and
// the count printed as {"lines": n}: what streaming alone costs, the baseline of the import bench.
import { createReadStream } from 'node:fs';

let lines = 0;
for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
  for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', at + 1)) lines++;
}
console.log(JSON.stringify({ lines }));
