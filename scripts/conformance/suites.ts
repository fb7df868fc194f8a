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
}

export interface SuiteAdapter {
  /** The suite's package name (package.json `name`). */
  name: string;
  /** The implementation entries for `localConfig.cjs`. */
  implementations(node: RunningNode): unknown[];
  /** Arguments to mocha (the suite's own test folder and timeout). */
  mochaArgs: string[];
}

const IMPLEMENTATION = { name: 'LER Node', implementation: 'LER Node (local)' };

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

export function suiteByName(name: string): SuiteAdapter | undefined {
  return suites.find((s) => s.name === name);
}
