// Allocates as a proof job does, then reports the size of its young generation (new space) in MiB.
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';

let keep = [];
for (let i = 0; i < 400_000; i++) {
  keep.push({ i, s: `x${i}` });
  if (keep.length > 20_000) keep = [];
}
const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
parentPort.postMessage(newSpace.space_size / 1048576);
