/**
 * `POST /backup` (admin): a consistent snapshot of the running node's database, streamed as the backup file
 * (node/storage/backup.ts, decision 0040). A running node holds the database lock, so this is how
 * `ler-node backup` reaches its data; the snapshot is one level iterator's, so writes going on meanwhile
 * are either wholly in it or not at all.
 */
import { Readable } from 'node:stream';
import { Hono, type MiddlewareHandler } from 'hono';
import { backupStream } from '../../storage/backup.ts';
import type { Database } from '../../storage/database.ts';

export function backupRoutes(deps: { database: Database; adminOnly: MiddlewareHandler; version: string }) {
  const app = new Hono();
  app.post('/', deps.adminOnly, (c) => {
    const stream = backupStream(deps.database, { nodeVersion: deps.version });
    const name = `ler-node-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.gz`;
    return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
      'content-type': 'application/gzip',
      'content-disposition': `attachment; filename="${name}"`,
      // Keys and the admin token's hash travel in it: never cached anywhere.
      'cache-control': 'no-store',
    });
  });
  return app;
}
