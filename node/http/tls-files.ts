/**
 * The certificate and key a node terminating TLS itself serves (`--tls-cert`, `--tls-key`), checked before
 * anything starts so that a wrong file is one line naming it (exit 7), not an OpenSSL error at the first
 * handshake. A missing or unreadable file is the file error it is (exit 3, node/cli/cli-errors.ts).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { NodeError } from '../errors.ts';

export interface TlsMaterial {
  cert: string;
  key: string;
}

export async function readTlsFiles(files: { certFile: string; keyFile: string }): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readFile(files.certFile, 'utf8'), readFile(files.keyFile, 'utf8')]);
  let certificate: X509Certificate;
  try {
    // The first certificate of the file is the node's; any others are its chain.
    certificate = new X509Certificate(cert);
  } catch {
    throw new NodeError('CONFIG_INVALID', `--tls-cert ${files.certFile} is not a PEM certificate`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new NodeError(
      'CONFIG_INVALID',
      `--tls-key ${files.keyFile} is not a PEM private key (an encrypted key cannot be used)`,
    );
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new NodeError(
      'CONFIG_INVALID',
      `--tls-key ${files.keyFile} is not the private key of the certificate in --tls-cert ${files.certFile}`,
    );
  }
  return { cert, key };
}
