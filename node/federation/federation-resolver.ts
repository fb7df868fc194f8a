/**
 * OpenID Federation 1.0 §8.3 (resolve) over the networks this node follows: the trust chain of a member, to
 * its own network's trust anchor or, through recognitions, to the anchor of a network that recognizes it
 * (directly or through at most RECOGNITION_MAX_PATH_LENGTH recognized networks), with each recognition's
 * scope applied as the metadata policy it is served as. Every statement of the chain is signed by the network
 * that issues it, so this node must hold an approved key of each network on the path (decision 0025); it
 * builds the chain from the folded state it holds rather than fetching its own statements back over HTTP.
 */
import { signStatement, TRUST_MARK_TYP } from '../../protocol/federation/entity-statement.ts';
import {
  anchorConfiguration,
  memberConfiguration,
  memberEntityId,
  RECOGNITION_MAX_PATH_LENGTH,
  recognitionStatement,
  subjectDid,
  subordinateStatement,
  trustMarkClaims,
} from '../../registry/federation.ts';
import { isRecognized } from '../../registry/queries.ts';
import { NodeError } from '../errors.ts';
import type { FederationService, SigningFederation } from './federation-service.ts';

export interface ResolvedChain {
  /** The subject's entity identifier (a member entity identifier, also when asked by DID). */
  sub: string;
  trustAnchor: string;
  /** The minimum `exp` of the chain's statements and of the trust marks returned. */
  exp: number;
  /** The leaf's metadata with every metadata policy of the chain applied, narrowed to `entityTypes`. */
  metadata: Record<string, unknown>;
  /** Trust marks whose issuer the trust anchor names in `trust_mark_issuers` (only its own). */
  trustMarks: Array<{ trust_mark_type: string; id: string; trust_mark: string }>;
  /** Compact JWTs: the leaf's entity configuration, each superior's statement, the anchor's configuration. */
  trustChain: string[];
}

export interface ResolveRequest {
  sub: string;
  /** §8.3.1: the trust anchors acceptable to the caller; any one may be used. */
  trustAnchors: string[];
  entityTypes?: string[];
  /** The network whose resolve endpoint was asked: a DID `sub` is looked up there first. */
  servedNetwork: string;
}

export async function resolveTrustChain(
  federation: FederationService,
  request: ResolveRequest,
): Promise<ResolvedChain> {
  const anchors = request.trustAnchors.flatMap((entityId) => {
    const id = federation.networkOf(entityId);
    return id ? [{ entityId, id }] : [];
  });
  if (anchors.length === 0) {
    throw new NodeError('INVALID_TRUST_ANCHOR', 'no trust_anchor given is a network this node serves');
  }
  const candidates = memberNetworks(federation, request);
  if (candidates.length === 0) {
    throw new NodeError('INVALID_SUBJECT', 'sub is not an active member of any network this node serves');
  }
  for (const anchor of anchors) {
    for (const { networkId, did } of candidates) {
      const path = recognitionPath(federation, networkId, anchor.id);
      if (path) return build(federation, path, did, request.entityTypes ?? []);
    }
  }
  throw new NodeError(
    'INVALID_TRUST_ANCHOR',
    'no trust chain from sub to the trust anchor: its network is not recognized by that network now',
  );
}

/** The followed networks in which `sub` names an active member, the served network first. */
function memberNetworks(federation: FederationService, request: ResolveRequest) {
  const others = federation.followedNetworks().filter((id) => id !== request.servedNetwork);
  const ids = [request.servedNetwork, ...others];
  const found: Array<{ networkId: string; did: string }> = [];
  for (const id of ids) {
    const f = federation.network(id);
    const did = subjectDid(f.urls.entityId, request.sub);
    // A DID names a member in whichever network lists it; an entity identifier names one network only.
    if (did && (request.sub.startsWith('did:') || memberEntityId(f.urls.entityId, did) === request.sub)) {
      if (memberConfiguration(f.state, did, f, []) !== undefined) found.push({ networkId: id, did });
    }
  }
  return found;
}

/**
 * The networks from the member's (first) to the anchor's (last), each recognized by the next now; the
 * shortest such path within the depth our recognition allows, or undefined.
 */
function recognitionPath(federation: FederationService, from: string, to: string): string[] | undefined {
  let frontier: string[][] = [[from]];
  for (let hops = 0; hops <= RECOGNITION_MAX_PATH_LENGTH; hops++) {
    const next: string[][] = [];
    for (const path of frontier) {
      const last = path[path.length - 1];
      if (last === to) return path;
      for (const superior of federation.network(last).superiors) {
        const id = federation.networkOf(superior);
        if (id && !path.includes(id)) next.push([...path, id]);
      }
    }
    frontier = next;
  }
  return undefined;
}

async function build(federation: FederationService, path: string[], did: string, entityTypes: string[]) {
  // Throws FEDERATION_KEY_NOT_HELD (with the holders) when a network on the path is signed elsewhere.
  const signers: SigningFederation[] = path.map((id) => federation.signing(id));
  const member = signers[0];
  const anchor = signers[signers.length - 1];
  const sub = memberEntityId(member.urls.entityId, did);
  const ownMarks = trustMarkClaims(member.state, did, member);
  const marks = await Promise.all(
    ownMarks.map(async (claims) => ({
      trust_mark_type: claims.trust_mark_type,
      id: claims.id,
      trust_mark: await signStatement(claims, member.key, TRUST_MARK_TYP),
    })),
  );
  const leaf = memberConfiguration(member.state, did, member, marks);
  const statement = subordinateStatement(member.state, did, sub, member);
  if (!leaf || !statement) throw new NodeError('INVALID_SUBJECT', 'sub is not an active member now');
  const statements: Array<{ claims: Record<string, unknown> & { exp: number }; signer: SigningFederation }> = [
    { claims: leaf, signer: member },
    { claims: statement, signer: member },
  ];
  const policies: string[][] = [];
  for (let i = 1; i < signers.length; i++) {
    const superior = signers[i];
    const subordinate = signers[i - 1];
    const recognition = isRecognized(superior.state, subordinate.state.id, superior.at).recognition;
    if (!recognition) throw new NodeError('INVALID_TRUST_ANCHOR', 'a recognition on the path ended meanwhile');
    const claims = recognitionStatement(superior, recognition, {
      entityId: subordinate.urls.entityId,
      jwks: subordinate.jwks,
    });
    if (recognition.credentialTypes) policies.push(recognition.credentialTypes);
    statements.push({ claims, signer: superior });
  }
  const top = anchorConfiguration(anchor.state, anchor, anchor.superiors);
  statements.push({ claims: top, signer: anchor });
  const trustChain = await Promise.all(statements.map(({ claims, signer }) => signStatement(claims, signer.key)));
  // The anchor names only itself as a trust mark issuer: a recognized network's marks do not carry over.
  const trustMarks = path.length === 1 ? marks : [];
  const exp = Math.min(
    ...statements.map((s) => s.claims.exp),
    ...(path.length === 1 ? ownMarks.map((m) => m.exp) : []),
  );
  return {
    sub,
    trustAnchor: anchor.urls.entityId,
    exp,
    metadata: applyPolicies(leaf.metadata, policies, entityTypes),
    trustMarks,
    trustChain,
  };
}

/**
 * §6.1.3.1.3 `subset_of` on `ler_issuer.credential_types`, the only policy our statements carry: each
 * recognition on the path narrows the types to its scope (the intersection of all of them).
 */
function applyPolicies(
  metadata: NonNullable<ReturnType<typeof memberConfiguration>>['metadata'],
  policies: string[][],
  entityTypes: string[],
): Record<string, unknown> {
  const credentialTypes = policies.reduce(
    (types, allowed) => types.filter((t) => allowed.includes(t)),
    metadata.ler_issuer.credential_types,
  );
  const resolved: Record<string, unknown> = {
    federation_entity: metadata.federation_entity,
    ler_issuer: { ...metadata.ler_issuer, credential_types: credentialTypes },
  };
  if (entityTypes.length === 0) return resolved;
  return Object.fromEntries(Object.entries(resolved).filter(([type]) => entityTypes.includes(type)));
}
