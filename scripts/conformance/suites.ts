/**
 * What the conformance runner knows about each public test suite: how to
 * recognise a checkout, and the local implementation config (the
 * vc-test-suite-implementations `localConfig.cjs` shape) that points the suite
 * at a running node. Adding a suite (vc-api issuer/verifier, data model, the
 * Data Integrity suites) is one more entry here.
 */

export interface RunningNode {
  /** Base URL of the node's HTTP API, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The node's admin token, for suites that call mutating endpoints. */
  token: string;
  /** The node's own DID. */
  did: string;
  /** The issuer DID of the node's ECDSA credentials (GET /health `ecdsaDid`). */
  ecdsaDid?: string;
}

export interface RunSettings {
  /**
   * Extra issuance options for the generic VC API issuer (`--issuer-options JSON`), e.g. a Bitstring Status List
   * message entry (`credentialStatus: [{statusPurpose: "message", statusSize: 2, statusMessage: [...]}]`), so the
   * status list suite's entry tests run instead of staying pending.
   */
  issuerOptions?: Record<string, unknown>;
}

export interface SuiteAdapter {
  /** The suite's package name (package.json `name`). */
  name: string;
  /** The implementation entries for `localConfig.cjs`. */
  implementations(node: RunningNode, settings?: RunSettings): unknown[];
  /** Arguments to mocha (the suite's own test folder and timeout). */
  mochaArgs: string[];
  /**
   * The suite needs https (it sends its configured headers, the bearer token, only to https endpoints, or
   * fetches only https URLs): a TLS front goes ahead of the node, which then names it as its public URL.
   */
  tls?: boolean;
}

const IMPLEMENTATION = { name: 'LER Node', implementation: 'LER Node (local)' };

// Cryptosuites the node issues with, as its API asks for them (`options.cryptosuite` on /credentials/issue), and
// the tags the suites select them by.
const ISSUING = [
  { tag: 'eddsa-rdfc-2022', options: { cryptosuite: 'eddsa-rdfc-2022' } },
  { tag: 'eddsa-jcs-2022', options: { cryptosuite: 'eddsa-jcs-2022' } },
  { tag: 'Ed25519Signature2020', options: { cryptosuite: 'Ed25519Signature2020' } },
];
const VERIFYING = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'Ed25519Signature2020'];

/**
 * One implementation entry for every VC suite (each suite picks endpoints by its tags): an issuer per
 * cryptosuite (the first one also answers the generic `vc-api` and `vc2.0` tags), the verifiers, with the
 * admin token as the bearer token the VC API asks for.
 */
function vcImplementation(node: RunningNode, settings: RunSettings = {}) {
  const headers = { Authorization: `Bearer ${node.token}` };
  const supports = { vc: ['1.1', '2.0'] };
  return {
    ...IMPLEMENTATION,
    issuers: ISSUING.map(({ tag, options }, i) => ({
      id: node.did,
      endpoint: `${node.url}/credentials/issue`,
      headers,
      options: i === 0 && settings.issuerOptions ? { ...options, ...settings.issuerOptions } : options,
      supports,
      tags: i === 0 ? ['vc-api', 'vc2.0', 'BitstringStatusList', tag] : [tag],
    })),
    verifiers: [
      {
        id: `${node.url}/credentials/verify`,
        endpoint: `${node.url}/credentials/verify`,
        headers,
        supports,
        tags: ['vc-api', 'vc2.0', 'BitstringStatusList', ...VERIFYING],
      },
    ],
    vpVerifiers: [
      {
        id: `${node.url}/presentations/verify`,
        endpoint: `${node.url}/presentations/verify`,
        headers,
        supports,
        tags: ['vc-api', 'vc2.0', ...VERIFYING],
      },
    ],
  };
}

// The VC suites run mocha with --preserve-symlinks (their package.json test script).
const VC_MOCHA = ['tests/', '--timeout', '15000', '--preserve-symlinks'];

// A did:key whose multibase value is the well-known Ed25519 test vector of the did:key spec.
const ED25519_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

export const suites: SuiteAdapter[] = [
  {
    name: 'did-key-test-suite',
    mochaArgs: ['tests/', '--timeout', '15000'],
    implementations: (node) => [
      {
        ...IMPLEMENTATION,
        didResolvers: [
          { id: `${node.url}/1.0/identifiers`, endpoint: `${node.url}/1.0/identifiers`, tags: ['did-key'] },
        ],
      },
    ],
  },
  {
    name: 'did-resolution-mocha-test-suite',
    mochaArgs: ['tests/', '--timeout', '15000'],
    implementations: (node) => [
      {
        ...IMPLEMENTATION,
        didResolvers: [
          {
            id: `${node.url}/1.0/identifiers`,
            endpoint: `${node.url}/1.0/identifiers`,
            tags: ['did-resolution'],
            supportedDids: {
              valid: [
                { did: ED25519_DID, resolutionOptions: {} },
                { did: node.did, resolutionOptions: {} },
              ],
              derefUrls: [
                { didUrl: `${ED25519_DID}#${ED25519_DID.slice('did:key:'.length)}`, dereferencingOptions: {} },
              ],
            },
          },
        ],
      },
    ],
  },
];

suites.push(
  ...[
    'vc-api-issuer-test-suite',
    'vc-api-verifier-test-suite',
    'vc-data-model-2.0-test-suite',
    'vc-di-eddsa-test-suite',
    'vc-di-ed25519signature2020-test-suite',
    'vc-bitstring-status-list-test-suite',
  ].map((name) => ({
    name,
    mochaArgs: VC_MOCHA,
    // The data model suite posts to http:// endpoints itself, without the configured headers; the status list
    // suite's document loader fetches only https status lists.
    tls: name === 'vc-data-model-2.0-test-suite' || name === 'vc-bitstring-status-list-test-suite',
    implementations: (node: RunningNode, settings?: RunSettings) => [vcImplementation(node, settings)],
  })),
);

// ECDSA: one issuer per ECDSA suite the node signs with (P-256), one verifier for all three suites.
suites.push({
  name: 'vc-di-ecdsa-test-suite',
  mochaArgs: VC_MOCHA,
  implementations: (node: RunningNode) => {
    const headers = { Authorization: `Bearer ${node.token}` };
    const supports = { vc: ['1.1', '2.0'] };
    return [
      {
        ...IMPLEMENTATION,
        issuers: ['ecdsa-rdfc-2019', 'ecdsa-jcs-2019'].map((tag) => ({
          id: node.ecdsaDid ?? node.did,
          endpoint: `${node.url}/credentials/issue`,
          headers,
          options: { cryptosuite: tag },
          supports,
          supportedEcdsaKeyTypes: ['P-256'],
          tags: [tag],
        })),
        verifiers: [
          {
            id: `${node.url}/credentials/verify`,
            endpoint: `${node.url}/credentials/verify`,
            headers,
            supports,
            supportedEcdsaKeyTypes: ['P-256', 'P-384'],
            tags: ['ecdsa-rdfc-2019', 'ecdsa-jcs-2019', 'ecdsa-sd-2023'],
          },
        ],
      },
    ];
  },
});

export function suiteByName(name: string): SuiteAdapter | undefined {
  return suites.find((s) => s.name === name);
}
