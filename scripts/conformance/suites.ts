/**
 * What the conformance runner knows about each public test suite: how to
 * recognise a checkout, and the local implementation config (the
 * vc-test-suite-implementations `localConfig.cjs` shape) that points the suite
 * at a running node. Adding a suite (vc-api issuer/verifier, data model, the
 * Data Integrity suites) is one more entry here.
 */

import type { ReportNotes, TitledReason } from './mocha-report.ts';

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
  /** Tests that do not apply, and failures where the suite departs from the specification, with the reasons. */
  notes?: ReportNotes;
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

/**
 * What the status list suite's issuer is asked for unless `--issuer-options` says otherwise: a revocation entry
 * and a 2-bit `message` entry with its four messages and a statusReference, so that the suite's statusSize,
 * statusMessage and statusReference tests run (with a revocation entry alone they are pending).
 */
const BITSTRING_ISSUER_OPTIONS = {
  credentialStatus: [
    { statusPurpose: 'revocation' },
    {
      statusPurpose: 'message',
      statusSize: 2,
      statusMessage: [
        { status: '0x0', message: 'pending' },
        { status: '0x1', message: 'accepted' },
        { status: '0x2', message: 'rejected' },
        { status: '0x3', message: 'withdrawn' },
      ],
      statusReference: 'https://example.org/status-dictionary/',
    },
  ],
};

// Bitstring Status List §2.1: statusMessage has one element per possible value, "2 elements if statusSize has 1
// bit, 4 elements if statusSize has 2 bits"; these two tests compare its length with statusSize itself.
const BITSTRING_DEPARTURES = [
  /The number of status messages MUST equal the number of possible values/,
  /the statusMessage property MUST be an array, the length of which MUST equal the number of possible status/,
].map((title) => ({
  title,
  reason:
    'it expects statusMessage.length == statusSize; the spec requires 2^statusSize messages ("4 elements if ' +
    'statusSize has 2 bits"), which no statusSize > 0 can satisfy both ways',
}));

// The VC suites run mocha with --preserve-symlinks (their package.json test script).
const VC_MOCHA = ['tests/', '--timeout', '15000', '--preserve-symlinks'];

// A did:key whose multibase value is the well-known Ed25519 test vector of the did:key spec.
const ED25519_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

export const suites: SuiteAdapter[] = [
  {
    name: 'did-key-test-suite',
    mochaArgs: ['tests/', '--timeout', '15000'],
    notes: {
      pendingReasons: [
        {
          title: /an `invalidPublicKey` error MUST be raised/,
          reason:
            'it.skip in the suite (no test body); implemented here: test/protocol/signing/did-key.test.ts "reports ' +
            'a 32-byte value that is not a point on Ed25519 as invalidPublicKey" and the P-256 off-curve case',
        },
      ],
      departures: [
        {
          title: /If "didDocument\.id" is not a valid DID, an `invalidDid` error MUST be raised/,
          reason:
            'it requires a didDocument in the answer for did:key:@ (marked FIXME in the suite); W3C DID Resolution ' +
            '(resolve algorithm, step 1) returns didDocument null for a DID that does not conform, and "if the ' +
            'resolution is unsuccessful, this value MUST be empty"; the invalidDid error itself is given',
        },
      ],
    },
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
    ...(name === 'vc-bitstring-status-list-test-suite'
      ? {
          implementations: (node: RunningNode, settings?: RunSettings) => [
            vcImplementation(node, { issuerOptions: settings?.issuerOptions ?? BITSTRING_ISSUER_OPTIONS }),
          ],
          notes: {
            departures: BITSTRING_DEPARTURES,
            pendingReasons: [{ title: /MAY express an id property that matches/, reason: 'it.skip in the suite' }],
          },
        }
      : { implementations: (node: RunningNode, settings?: RunSettings) => [vcImplementation(node, settings)] }),
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

// The other pending tests, and why (each is skipped by the suite itself, or by its own switch for other vendors).
const PENDING_REASONS: Record<string, TitledReason> = {
  'vc-api-issuer-test-suite': { title: /MAY have property "issuanceDate"/, reason: 'it.skip in the suite' },
  'vc-di-ecdsa-test-suite': {
    title: /\(interop\)/,
    reason:
      'the interop matrix (issuers × verifiers of every vendor) is off: enableInteropTests is false, so only this ' +
      'node is tested (against itself it would show nothing about interoperability)',
  },
};
for (const suite of suites) {
  const reason = PENDING_REASONS[suite.name];
  if (reason) suite.notes = { ...suite.notes, pendingReasons: [...(suite.notes?.pendingReasons ?? []), reason] };
}

export function suiteByName(name: string): SuiteAdapter | undefined {
  return suites.find((s) => s.name === name);
}
