/**
 * An HTTPS front for suites that send their configured headers (the bearer
 * token) only to https endpoints: a self-signed certificate for 127.0.0.1 made
 * with openssl at run time, and a proxy that forwards every request to the node.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TlsFront {
  url: string;
  /** The certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  close(): Promise<void>;
}

/** A self-signed P-256 certificate for 127.0.0.1, valid one day, made with openssl: `DIR/NAME-cert.pem` and `-key.pem`. */
export function selfSignedCertificate(dir: string, name = 'front'): { key: string; cert: string } {
  const key = join(dir, `${name}-key.pem`);
  const cert = join(dir, `${name}-cert.pem`);
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  return { key, cert };
}

/** Starts the front; `target()` names the node's URL when the first request comes (the node may start later). */
export async function startTlsFront(target: () => string, dir: string): Promise<TlsFront> {
  const { key, cert } = selfSignedCertificate(dir);
  const server = createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
    const upstream = new URL(target());
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caFile: cert,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
