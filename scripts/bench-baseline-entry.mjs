// Worker threads start without the TypeScript loader: register tsx, then run the baseline.
import { register } from 'tsx/esm/api';

register();
await import('./bench-baseline.ts');
