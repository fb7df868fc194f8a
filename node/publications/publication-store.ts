/**
 * The node's replica of member publications, and its own publishing. Every
 * publication is checked before it is stored, whatever its source: shape and
 * size, the publisher's signature (key from DID resolution), and that the
 * publisher is or was a member of a followed network. Highest version wins;
 * a different body under the same version is kept as evidence.
 *
 * Compare, check and write happen as one step per publication key (an async
 * lock), so two bodies of one version arriving at once always leave evidence;
 * which of them stands is decided by content, not arrival order, so every node
 * ends with the same one. A status list is found by its URL *and* its issuer:
 * one member's publication can never stand in for another's list.
 */
import { createPublicKey, verify } from 'node:crypto';
import { findVerificationMethod } from '../../protocol/signing/did-document.ts';
import type { DidResolution } from '../../protocol/signing/did-resolution.ts';
import { rawPublicKeyFromDidKey } from '../../protocol/signing/governor-keys.ts';
import { canonicalJson, sha256Base64url } from '../../registry/canonical.ts';
import { RegistryError } from '../../registry/errors.ts';
import {
  bodyDigest,
  comparePublication,
  type DidDocumentBody,
  type Publication,
  type PublicationKind,
  publicationKey,
  publicationSigningInput,
  type UnsignedPublication,
  validatePublication,
  validatePublicationBody,
} from '../../registry/publications.ts';
import type { Identity } from '../identity.ts';
import type { ChangeSource } from '../registry/registry-service.ts';
import type { Database } from '../storage/database.ts';
import type { StatusListSource } from '../verification/status-lists.ts';

export interface PublicationStore {
  /** Signs and stores a publication of this node's institution (version: one above the current, unless given). */
  publishOwn(kind: PublicationKind, id: string, body: Record<string, unknown>, version?: number): Promise<Publication>;
  ingest(
    list: unknown[],
    source?: ChangeSource,
  ): Promise<{ accepted: string[]; rejected: Array<{ key?: string; code: string; message: string }> }>;
  list(filter?: { publisher?: string; kind?: string }): Publication[];
  equivocations(filter?: {
    publisher?: string;
    kind?: string;
  }): Promise<Array<{ key: string; version: number; publications: Publication[] }>>;
  /** Publications whose publisher is (or was) a member of `members`' network: for sync. */
  ofPublishers(publishers: Set<string>): Publication[];
  digestOf(publishers: Set<string>): string;
  /** An achievement definition `publisher` published under `id`, if any. */
  achievement(publisher: string, id: string): Record<string, unknown> | undefined;
  /** The latest published DID document and key history of `did`, if it published one. */
  didDocument(did: string): DidDocumentBody | undefined;
  /** Status lists read from the replica: no call to the issuer. */
  statusLists: StatusListSource;
  onChange(listener: (publication: Publication, source: ChangeSource) => void): void;
}

export interface PublicationStoreOptions {
  database: Database;
  identity: Identity;
  didResolution: DidResolution;
  /** Is (or was) this DID a member of a network this node follows? */
  isMember: (did: string) => boolean;
  maxBytes?: number;
  /** Largest skill framework accepted (items). Default 10,000. */
  maxFrameworkItems?: number;
  now?: () => Date;
}

export async function openPublicationStore(options: PublicationStoreOptions): Promise<PublicationStore> {
  const { database, identity } = options;
  const maxBytes = options.maxBytes ?? 512 * 1024;
  const now = options.now ?? (() => new Date());
  const current = new Map<string, Publication>();
  /** status list URL → publisher → publication key. */
  const byStatusListUrl = new Map<string, Map<string, string>>();
  /** publication key → the tail of the chain of admissions for that key. */
  const locks = new Map<string, Promise<unknown>>();
  const listeners: Array<(publication: Publication, source: ChangeSource) => void> = [];

  function remember(p: Publication): void {
    const key = publicationKey(p);
    current.set(key, p);
    if (p.kind === 'status-list' && typeof p.body.id === 'string') {
      const publishers = byStatusListUrl.get(p.body.id) ?? new Map<string, string>();
      publishers.set(p.publisher, key);
      byStatusListUrl.set(p.body.id, publishers);
    }
  }
  for await (const [, value] of database.publications.iterator()) {
    const p = value as Publication;
    // Lists stored before the issuer rule (decision 0015) that break it are not served.
    if (p.kind === 'status-list') {
      try {
        validatePublicationBody(p);
      } catch {
        continue;
      }
    }
    remember(p);
  }

  /** Runs `work` after every earlier admission of the same key has finished. */
  function withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = locks.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    locks.set(key, tail);
    void tail.then(() => {
      if (locks.get(key) === tail) locks.delete(key);
    });
    return run;
  }

  /** Of two bodies under one version, the one that stands: decided by content, so alike on every node. */
  function preferred(a: Publication, b: Publication): Publication {
    return publicationSigningInput(a).compare(publicationSigningInput(b)) <= 0 ? a : b;
  }

  async function verifySignature(p: Publication): Promise<boolean> {
    const { didDocument } = await options.didResolution.resolve(p.publisher);
    if (!didDocument) return false;
    const method = findVerificationMethod(
      didDocument as unknown as Record<string, unknown>,
      p.proof.verificationMethod,
    );
    const multibase = method?.publicKeyMultibase;
    if (typeof multibase !== 'string') return false;
    try {
      const raw = rawPublicKeyFromDidKey(`did:key:${multibase}`);
      const key = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
        format: 'jwk',
      });
      return verify(null, publicationSigningInput(p), key, Buffer.from(p.proof.signature, 'base64url'));
    } catch {
      return false;
    }
  }

  // Every sync round compares digests: hash each stored body once, not a framework's megabytes every time.
  const bodyDigests = new WeakMap<Publication, string>();
  function digestOfBody(p: Publication): string {
    let digest = bodyDigests.get(p);
    if (digest === undefined) {
      digest = bodyDigest(p);
      bodyDigests.set(p, digest);
    }
    return digest;
  }

  async function admitOne(raw: unknown, source: ChangeSource): Promise<{ key: string; stored: boolean }> {
    const p = validatePublication(raw, maxBytes);
    validatePublicationBody(p, { maxFrameworkItems: options.maxFrameworkItems });
    const key = publicationKey(p);
    if (source === 'peer' && !options.isMember(p.publisher)) {
      throw new RegistryError('NOT_A_MEMBER', `${p.publisher} is not a member of any network this node follows`);
    }
    return withLock(key, () => admitChecked(p, key, source));
  }

  async function admitChecked(
    p: Publication,
    key: string,
    source: ChangeSource,
  ): Promise<{ key: string; stored: boolean }> {
    const outcome = comparePublication(current.get(key), p);
    if (outcome === 'same') return { key, stored: false };
    if (outcome === 'stale')
      throw new RegistryError('STALE_PUBLICATION', `version ${p.version} is older than ${current.get(key)?.version}`);
    if (!(await verifySignature(p)))
      throw new RegistryError('INVALID_SIGNATURE', `publication signature of ${p.publisher} does not verify`);
    if (outcome === 'equivocation') {
      const existing = current.get(key)!;
      const evidenceKey = `${key}!${p.version}`;
      const evidence = ((await database.equivocations.get(evidenceKey)) as Publication[] | undefined) ?? [existing];
      const known = evidence.some((e) => bodyDigest(e) === bodyDigest(p) && e.publishedAt === p.publishedAt);
      if (!known) evidence.push(p);
      const stands = preferred(existing, p);
      const operations: unknown[] = [];
      if (!known) operations.push({ type: 'put', sublevel: database.equivocations, key: evidenceKey, value: evidence });
      if (stands === p) operations.push({ type: 'put', sublevel: database.publications, key, value: p });
      if (operations.length > 0) await database.db.batch(operations as never, { sync: true });
      if (stands === p) {
        remember(p);
        // Derived views (skills, status) follow; gossip forwards only what is newer, never an equivocation.
        for (const listener of listeners) listener(p, source);
      }
      return { key, stored: false };
    }
    // Own publications are acknowledged to a user; a peer's can be pulled again after a crash.
    await database.db.batch([{ type: 'put', sublevel: database.publications, key, value: p }] as never, {
      sync: source === 'local',
    });
    remember(p);
    for (const listener of listeners) listener(p, source);
    return { key, stored: true };
  }

  const store: PublicationStore = {
    async publishOwn(kind, id, body, version) {
      const key = publicationKey({ publisher: identity.did, kind, id });
      const next = version ?? (current.get(key)?.version ?? 0) + 1;
      const unsigned: UnsignedPublication = {
        publisher: identity.did,
        kind,
        id,
        version: next,
        publishedAt: now().toISOString(),
        body,
      };
      const signature = await identity.keyPair.signer().sign({ data: publicationSigningInput(unsigned) });
      const publication: Publication = {
        ...unsigned,
        proof: { verificationMethod: identity.keyId, signature: Buffer.from(signature).toString('base64url') },
      };
      await admitOne(publication, 'local');
      return publication;
    },

    async ingest(list, source = 'peer') {
      const accepted: string[] = [];
      const rejected: Array<{ key?: string; code: string; message: string }> = [];
      for (const raw of list) {
        try {
          const { key, stored } = await admitOne(raw, source);
          if (stored) accepted.push(key);
        } catch (error) {
          rejected.push({
            code: (error as { code?: string }).code ?? 'INVALID_PUBLICATION',
            message: (error as Error).message,
          });
        }
      }
      return { accepted, rejected };
    },

    list(filter = {}) {
      return [...current.values()].filter(
        (p) => (!filter.publisher || p.publisher === filter.publisher) && (!filter.kind || p.kind === filter.kind),
      );
    },

    async equivocations(filter = {}) {
      const result: Array<{ key: string; version: number; publications: Publication[] }> = [];
      for await (const [key, value] of database.equivocations.iterator()) {
        const publications = value as Publication[];
        const first = publications[0];
        if (filter.publisher && first.publisher !== filter.publisher) continue;
        if (filter.kind && first.kind !== filter.kind) continue;
        result.push({
          key: (key as string).slice(0, (key as string).lastIndexOf('!')),
          version: first.version,
          publications,
        });
      }
      return result;
    },

    ofPublishers(publishers) {
      return [...current.values()]
        .filter((p) => publishers.has(p.publisher))
        .sort((a, b) => (publicationKey(a) < publicationKey(b) ? -1 : 1));
    },

    digestOf(publishers) {
      return sha256Base64url(
        canonicalJson(store.ofPublishers(publishers).map((p) => [publicationKey(p), p.version, digestOfBody(p)])),
      );
    },

    achievement(publisher, id) {
      return current.get(publicationKey({ publisher, kind: 'achievement', id }))?.body;
    },

    didDocument(did) {
      return current.get(publicationKey({ publisher: did, kind: 'did-document', id: did }))?.body as
        | DidDocumentBody
        | undefined;
    },

    statusLists: {
      async get(url, context = {}) {
        const publishers = byStatusListUrl.get(url);
        // The credential's issuer's own list; without an issuer, only a list nobody else claims.
        const key = context.issuer
          ? publishers?.get(context.issuer)
          : publishers?.size === 1
            ? [...publishers.values()][0]
            : undefined;
        const publication = key ? current.get(key) : undefined;
        return publication && publication.body.id === url
          ? { credential: publication.body, replica: true }
          : { error: { code: 'STATUS_LIST_UNAVAILABLE', message: `no replicated status list ${url}` } };
      },
    },

    onChange(listener) {
      listeners.push(listener);
    },
  };
  return store;
}
