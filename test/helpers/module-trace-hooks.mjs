// Module customization hooks (node:module register) for module-trace-preload.mjs: each module's URL is appended
// to the trace file before the module is evaluated.
import { appendFileSync } from 'node:fs';

let file;
export function initialize(data) {
  file = data.file;
}
export async function load(url, context, next) {
  appendFileSync(file, `${url}\n`);
  return next(url, context);
}
