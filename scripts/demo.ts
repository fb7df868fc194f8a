/** `npm run demo`: the three pilot journeys on a federation of real nodes on loopback. */
import '../node/polyfills.ts';
import { surviveNetworkErrors } from '../node/network-errors.ts';
import { runDemo } from './demo-federation.ts';

surviveNetworkErrors(() => undefined);
const started = performance.now();
const ok = await runDemo(({ title, lines, ok }) => {
  process.stdout.write(`\n${ok ? '✔' : '✘'} ${title}\n${lines.map((l) => `    ${l}`).join('\n')}\n`);
});
process.stdout.write(
  `\n${ok ? 'All journeys succeeded' : 'Some steps did not turn out as expected'} (${((performance.now() - started) / 1000).toFixed(1)} s).\n`,
);
process.exit(ok ? 0 : 1);
