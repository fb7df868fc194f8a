/**
 * The OpenID Federation trust anchors this node accepts as sources of trust (decision 0026): those the
 * operator configured (--oidf-anchor, LER_OIDF_ANCHORS, config.json) and those added at runtime through
 * the admin API, which are kept in the store so they survive a restart.
 */
import { NodeError } from '../errors.ts';
import type { Database } from '../storage/database.ts';

export interface OidfAnchorSet {
  list(): string[];
  /** Adds an anchor at runtime (stored); returns the list. */
  add(entityId: string): Promise<string[]>;
  /** Removes a runtime anchor; configured ones stay until the configuration changes. */
  remove(entityId: string): Promise<string[]>;
}

const KEY = 'oidfAnchors';
export const MAX_OIDF_ANCHORS = 20;

export function normalizeAnchor(value: unknown): string {
  const url = typeof value === 'string' && value.length <= 2000 && URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'https:' || url.search || url.hash || url.username) {
    throw new NodeError('VALIDATION_FAILED', 'entityId must be an https URL without query or fragment');
  }
  return url.href.replace(/\/+$/, '');
}

export async function openOidfAnchorSet(database: Database, configured: string[] = []): Promise<OidfAnchorSet> {
  const fixed = configured.map(normalizeAnchor);
  let added = ((await database.meta.get(KEY)) as string[] | undefined) ?? [];
  const list = () => [...new Set([...fixed, ...added])];
  const save = async (next: string[]) => {
    await database.db.batch([{ type: 'put', sublevel: database.meta, key: KEY, value: next }] as never, { sync: true });
    added = next;
    return list();
  };
  return {
    list,
    async add(entityId) {
      const id = normalizeAnchor(entityId);
      if (list().includes(id)) return list();
      if (list().length >= MAX_OIDF_ANCHORS) throw new NodeError('CONFLICT', `at most ${MAX_OIDF_ANCHORS} anchors`);
      return save([...added, id]);
    },
    async remove(entityId) {
      const id = normalizeAnchor(entityId);
      if (fixed.includes(id)) throw new NodeError('CONFLICT', 'a configured anchor is removed in the configuration');
      return save(added.filter((a) => a !== id));
    },
  };
}
