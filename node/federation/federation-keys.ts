/**
 * OpenID Federation signing keys held by this node (POST /oidf/keys). Private halves never leave the store;
 * the public JWKs are what governors approve for a network (decision 0025). Loaded once into memory:
 * statements are signed on every fetch, so no store read on the hot path.
 */
import {
  type FederationSigningKey,
  federationKeyFrom,
  generateFederationKey,
  type StoredFederationKey,
} from '../../protocol/federation/entity-statement.ts';
import type { Database } from '../storage/database.ts';

export interface FederationKeyring {
  /** Makes a new key and returns its public JWK (with `kid`). */
  create(): Promise<FederationSigningKey>;
  list(): FederationSigningKey[];
  get(kid: string): FederationSigningKey | undefined;
}

const PREFIX = 'oidf:';

export async function openFederationKeyring(database: Database): Promise<FederationKeyring> {
  const held = new Map<string, FederationSigningKey>();
  for await (const [, value] of database.keys.iterator({ gt: PREFIX, lt: `${PREFIX}~` })) {
    const key = await federationKeyFrom(value as StoredFederationKey);
    held.set(key.kid, key);
  }
  return {
    async create() {
      const stored = generateFederationKey();
      const key = await federationKeyFrom(stored);
      await database.db.batch(
        [{ type: 'put', sublevel: database.keys, key: `${PREFIX}${key.kid}`, value: stored }] as never,
        { sync: true },
      );
      held.set(key.kid, key);
      return key;
    },
    list: () => [...held.values()],
    get: (kid) => held.get(kid),
  };
}
