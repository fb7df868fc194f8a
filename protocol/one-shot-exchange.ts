/**
 * The request/response shape both peer protocols use (`/ler/sync/1.0.0`, `/ler/membership/1.0.0`): one
 * length-prefixed frame each way on a fresh stream, under one timeout, the stream aborted on any failure so a
 * misbehaving peer never holds it open.
 */
import type { Connection, PeerId, Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';

/** The libp2p surface a one-frame-each-way protocol uses. */
export interface ProtocolHost {
  handle(
    protocol: string,
    handler: (stream: Stream, connection: Connection) => void | Promise<void>,
    options?: Record<string, unknown>,
  ): Promise<void>;
  unhandle(protocol: string): Promise<void>;
  dialProtocol(peer: PeerId, protocol: string, options?: { signal?: AbortSignal }): Promise<Stream>;
}

export interface ExchangeOptions {
  timeoutMs: number;
  maxFrameBytes: number;
}

/** Dials `protocol`, writes `request`, reads the one answer frame. */
export async function exchangeFrame(
  host: Pick<ProtocolHost, 'dialProtocol'>,
  peer: PeerId,
  protocol: string,
  request: Uint8Array,
  options: ExchangeOptions,
): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const stream = await host.dialProtocol(peer, protocol, { signal });
  try {
    const lp = lpStream(stream, { maxDataLength: options.maxFrameBytes });
    await lp.write(request, { signal });
    const answer = (await lp.read({ signal })).subarray();
    await stream.close({ signal });
    return answer;
  } catch (error) {
    stream.abort(error as Error);
    throw error;
  }
}
