/** Governor keys held by this node (POST /governor-keys). Private keys never leave the store. */
import { type GovernorKey, generateGovernorKey, signActionId } from '../../protocol/signing/governor-keys.ts';
import { NodeError } from '../errors.ts';
import type { Database } from '../storage/database.ts';

export interface GovernorKeyring {
  create(): Promise<string>;
  list(): Promise<string[]>;
  holds(did: string): Promise<boolean>;
  sign(did: string, actionId: string): Promise<string>;
}

export function createGovernorKeyring(database: Database): GovernorKeyring {
  const prefix = 'governor:';
  const load = async (did: string) => (await database.keys.get(`${prefix}${did}`)) as GovernorKey | undefined;
  return {
    async create() {
      const key = generateGovernorKey();
      await database.db.batch(
        [{ type: 'put', sublevel: database.keys, key: `${prefix}${key.did}`, value: key }] as never,
        {
          sync: true,
        },
      );
      return key.did;
    },
    async list() {
      const dids: string[] = [];
      for await (const key of database.keys.keys({ gt: prefix, lt: `${prefix}~` })) dids.push(key.slice(prefix.length));
      return dids;
    },
    async holds(did) {
      return (await load(did)) !== undefined;
    },
    async sign(did, actionId) {
      const key = await load(did);
      if (!key) throw new NodeError('GOVERNOR_KEY_NOT_HELD', `this node holds no governor key for ${did}`);
      return signActionId(key, actionId);
    },
  };
}
