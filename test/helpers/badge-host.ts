/**
 * Hosts Open Badges 2.0 documents on a real HTTP server on loopback, under the https URLs the badges name
 * (https://example.org/…): `fetch` sends each request to this server instead of the named host, as DNS and TLS
 * pointing there would. The node's own outbound fetcher (guard, limits, cache) runs unchanged on top of it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostedDocument {
  body: string;
  status?: number;
}

export interface BadgeHost {
  fetch: typeof fetch;
  /** Every URL requested, in order. */
  requests: string[];
  set(url: string, document: HostedDocument | undefined): void;
  close(): Promise<void>;
}

export async function startBadgeHost(documents: Record<string, HostedDocument> = {}): Promise<BadgeHost> {
  const hosted = new Map(Object.entries(documents));
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').slice(1));
    requests.push(url);
    const document = hosted.get(url);
    if (!document) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(document.status ?? 200, { 'content-type': 'application/ld+json' }).end(document.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    fetch: ((input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      return fetch(`${origin}/${encodeURIComponent(url)}`, init);
    }) as typeof fetch,
    requests,
    set(url, document) {
      if (document) hosted.set(url, document);
      else hosted.delete(url);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
