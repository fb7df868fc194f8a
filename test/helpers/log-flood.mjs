// A process that logs through the node's logger onto stdout, then tells its parent over IPC that every log
// call has returned (test/node/observability/log-backpressure.test.ts). Registers tsx for the sources.
import { register } from 'tsx/esm/api';

register();
const { createLogger } = await import('../../node/logger.ts');
const lines = Number(process.argv[2]);
const logger = createLogger({ destination: 1 });
const padding = 'x'.repeat(900);
for (let i = 0; i < lines; i++) logger.info({ i, padding }, 'request');
process.send({ returned: lines }, () => process.disconnect());
