// @openid-federation/core (Animo), run as its own process: fetches the trust anchor's entity configuration
// and resolves the member's trust chain to it, checking every signature with jose. Prints JSON.
import { fetchEntityConfiguration, resolveTrustChains } from '@openid-federation/core';
import { compactVerify, importJWK } from 'jose';

const [anchor, member] = process.argv.slice(2);
const verifyJwtCallback = async ({ jwt, jwk }) => {
  try {
    await compactVerify(jwt, await importJWK(jwk, 'EdDSA'), { algorithms: ['EdDSA'] });
    return true;
  } catch {
    return false;
  }
};
const out = {};
try {
  const configuration = await fetchEntityConfiguration({ entityId: anchor, verifyJwtCallback });
  out.anchor = {
    sub: configuration.sub,
    metadata: configuration.metadata,
    kids: configuration.jwks.keys.map((k) => k.kid),
  };
  const chains = await resolveTrustChains({ entityId: member, trustAnchorEntityIds: [anchor], verifyJwtCallback });
  out.chains = chains.map((c) => ({
    valid: c.valid,
    length: c.chain.length,
    subs: c.chain.map((s) => s.sub),
    anchor: c.trustAnchorEntityConfiguration.sub,
    metadata: c.resolvedLeafMetadata,
  }));
} catch (error) {
  out.error = String(error?.message ?? error);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
