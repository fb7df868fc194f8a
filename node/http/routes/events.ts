/**
 * `GET /events` (admin): a server-sent event stream of what this node stores, as it stores it: registry
 * entries (`action`) and publications (`publication`), each stamped with this node's clock when the change
 * was committed. It lets an operator (or the multi-process simulation) watch replication arrive without
 * polling every resource; the stamp makes the figure independent of how late the watcher reads it.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { PublicationStore } from '../../publications/publication-store.ts';
import type { RegistryService } from '../../registry/registry-service.ts';

/** Events held for one slow watcher before its stream is closed (a watcher must not grow the node's memory). */
const MAX_QUEUED = 100_000;
/** A quiet stream still sends a comment this often: clients and proxies close streams silent for minutes. */
const HEARTBEAT_MS = 15_000;

interface Watcher {
  queue: Array<{ event: string; data: string }>;
  wake?: () => void;
  overflowed: boolean;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
const stamp = () => Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;

export function eventRoutes(deps: {
  registry: RegistryService;
  publications: PublicationStore;
  adminOnly: MiddlewareHandler;
}) {
  const watchers = new Set<Watcher>();
  const emit = (event: string, body: Record<string, unknown>) => {
    if (watchers.size === 0) return;
    const data = JSON.stringify({ ...body, at: stamp() });
    for (const watcher of watchers) {
      if (watcher.queue.length >= MAX_QUEUED) watcher.overflowed = true;
      else watcher.queue.push({ event, data });
      watcher.wake?.();
    }
  };
  // Stores have no way to remove a listener: one listener per app fans out to the watchers.
  deps.registry.onChange((entry, network, source) => {
    if (watchers.size === 0) return;
    emit('action', {
      id: entry.id,
      network,
      type: entry.action.type,
      status: deps.registry.proposal(entry.id)?.status,
      signatures: entry.signatures.length,
      source,
    });
  });
  deps.publications.onChange((publication, source) =>
    emit('publication', {
      publisher: publication.publisher,
      kind: publication.kind,
      id: publication.id,
      version: publication.version,
      source,
    }),
  );

  const app = new Hono();
  app.get('/', deps.adminOnly, (c) =>
    streamSSE(c, async (stream) => {
      const watcher: Watcher = { queue: [], overflowed: false };
      watchers.add(watcher);
      const signal = c.req.raw.signal;
      const wakeUp = () => watcher.wake?.();
      signal.addEventListener('abort', wakeUp);
      const heartbeat = setInterval(() => {
        watcher.queue.push({ event: 'heartbeat', data: '{}' });
        watcher.wake?.();
      }, HEARTBEAT_MS);
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ at: stamp() }) });
        while (!signal.aborted && !stream.aborted) {
          if (watcher.queue.length === 0) {
            await new Promise<void>((resolve) => {
              watcher.wake = resolve;
            });
            watcher.wake = undefined;
            continue;
          }
          const batch = watcher.queue.splice(0);
          for (const item of batch) await stream.writeSSE(item);
          if (watcher.overflowed) {
            await stream.writeSSE({ event: 'overflow', data: JSON.stringify({ at: stamp() }) });
            break;
          }
        }
      } finally {
        clearInterval(heartbeat);
        watchers.delete(watcher);
        signal.removeEventListener('abort', wakeUp);
      }
    }),
  );
  return app;
}
