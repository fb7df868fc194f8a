// DCC's verifier-core, run as its own process (NODE_EXTRA_CA_CERTS trusts the test CA): verifies the
// credential in argv[2] against the known registries in argv[3] and prints the result as JSON.
import { readFileSync } from 'node:fs';
import { verifyCredential } from '@digitalcredentials/verifier-core';

const credential = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const knownDIDRegistries = JSON.parse(process.argv[3]);
const result = await verifyCredential({ credential, knownDIDRegistries });
process.stdout.write(`${JSON.stringify(result, (k, v) => (k === 'stackTrace' ? String(v) : v))}\n`);
