/**
 * The trust registry's data: networks governed by m-of-n governors, as a
 * grow-only set of signed actions folded in (effectiveAt, id) order.
 */
export const ACTION_TYPES = [
  'network.genesis',
  'governance.update',
  'member.add',
  'member.update',
  'member.suspend',
  'member.reinstate',
  'member.remove',
  'network.recognize',
  'network.unrecognize',
  'federation.keys',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** An action as signed: its id is the SHA-256 of its canonical JSON. */
export interface Action {
  type: ActionType;
  /** The network it governs; absent on `network.genesis` (whose id becomes the network id). */
  network?: string;
  effectiveAt: string;
  nonce: string;
  [param: string]: unknown;
}

export interface Signature {
  signer: string;
  signature: string;
}

/** An action with the governor signatures collected for it so far. */
export interface SignedAction {
  id: string;
  action: Action;
  signatures: Signature[];
}

export interface Accreditation {
  credentialTypes: string[];
  achievementTypes?: string[];
  skillFrameworks?: string[];
  validFrom?: string;
  validUntil?: string;
}

export type MemberStatus = 'active' | 'suspended' | 'removed';

/** One version of a member record, in effect from `from` until the next version. */
/** A signing key of a member, attested by its network's governors (did:web members need no website then). */
export interface MemberKey {
  /** A verification method id of the member's DID (`DID#fragment`). */
  id: string;
  /** Ed25519 (`z6Mk…`) or P-256 (`zDna…`) public key as a Multikey. */
  publicKeyMultibase: string;
}

export interface MemberVersion {
  from: string;
  actionId: string;
  action: ActionType;
  status: MemberStatus;
  name: string;
  url?: string;
  logo?: string;
  roles: string[];
  accreditations: Accreditation[];
  keys?: MemberKey[];
  /** The https ids of the member's Open Badges 2.0 issuer Profiles: its legacy badges' issuer (decision 0034). */
  ob2Profiles?: string[];
  reason?: string;
  /** Set by a removal: credentials issued after this time are void. */
  voidIssuedAfter?: string;
}

export interface GovernanceVersion {
  from: string;
  actionId: string;
  governors: string[];
  threshold: number;
  frameworkUrl?: string;
}

export interface RecognitionVersion {
  from: string;
  actionId: string;
  active: boolean;
  credentialTypes?: string[];
  validUntil?: string;
}

/** An OpenID Federation signing key the governors approved (decision 0025). */
export interface FederationKey {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  /** RFC 7638 thumbprint. */
  kid: string;
  /** Public base URL of a node holding the private half. */
  holder: string;
}

/** The approved set of federation keys from `from` on, until the next version. */
export interface FederationKeyVersion {
  from: string;
  actionId: string;
  keys: FederationKey[];
}

export type ActionOutcome = 'applied' | 'pending' | 'rejected';

/** The folded state of one network. */
export interface NetworkState {
  id: string;
  name: string;
  description?: string;
  createdAt: string;
  governance: GovernanceVersion[];
  /** Keyed by member DID; prototype-less (registry/dictionary.ts), so only real members are found. */
  members: Record<string, MemberVersion[]>;
  /** Keyed by recognized network id; prototype-less like `members`. */
  recognitions: Record<string, RecognitionVersion[]>;
  /** Approved OpenID Federation signing keys, in versions (absent until the first `federation.keys`). */
  federationKeys?: FederationKeyVersion[];
  /** Applied action ids in fold order. */
  applied: string[];
  /** Actions without enough valid governor signatures at their effectiveAt. */
  pending: string[];
  /** Approved actions that could not apply (e.g. suspending a non-member), with the reason. */
  rejected: Array<{ id: string; code: string }>;
}

/** Context an action's apply step needs besides the state. */
export interface ApplyContext {
  id: string;
  action: Action;
}
