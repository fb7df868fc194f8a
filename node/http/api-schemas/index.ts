/**
 * Every documented operation of the JSON API, and the routes left out of the document on purpose with the
 * reason (test/node/http/openapi.test.ts checks that each route the app registers is one or the other).
 */
import type { Operation } from './common.ts';
import { credentialOperations } from './credentials.ts';
import { documentOperations } from './documents.ts';
import { registryOperations } from './registry.ts';
import { skillOperations } from './skills.ts';
import { trqpOperations } from './trqp.ts';
import { walletOperations } from './wallet.ts';

export { ErrorBody, type Operation, parseInput } from './common.ts';

export const OPERATIONS: Operation[] = [
  ...documentOperations,
  ...credentialOperations,
  ...registryOperations,
  ...skillOperations,
  ...trqpOperations,
  ...walletOperations,
];

/** Routes (hono paths) not in the document, each with why. */
export const UNDOCUMENTED: Array<{ path: RegExp; reason: string }> = [
  {
    path: /^\/(admin|explore|wallet-request)?(\/.*)?$/,
    reason: 'web pages for people (HTML forms, node/http/pages); the JSON API above does what they do',
  },
  { path: /^\/assets\/:name$/, reason: 'the web pages’ stylesheet and scripts' },
  { path: /^\/api$/, reason: 'this reference rendered as a web page' },
];
