/**
 * Reads a JSON request body with limits: the content type must be JSON (415),
 * the body at most `maxBytes` (413, chunked bodies too), valid JSON (400), at
 * most `maxDepth` deep and no array longer than `maxArrayLength` (413), so
 * that a hostile document cannot make JSON-LD processing explode, and I-JSON
 * (RFC 7493: no lone surrogates, no number beyond a double; 422), because what
 * the node hashes or signs goes through canonical JSON, which has no form for those.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { NodeError } from '../errors.ts';

export interface JsonLimits {
  maxBytes: number;
  maxDepth: number;
  maxArrayLength: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxBytes: 1024 * 1024, maxDepth: 32, maxArrayLength: 10_000 };

// A lone surrogate: a surrogate code unit not part of a pair (with the u flag, pairs are one code point).
const LONE_SURROGATE = /\p{Cs}/u;

/** Everything we hash or sign goes through canonical JSON (RFC 8785), which needs I-JSON strings. */
function checkString(value: string): void {
  if (LONE_SURROGATE.test(value)) {
    throw new NodeError('JSON_NOT_CANONICALIZABLE', 'JSON string with a lone surrogate (I-JSON, RFC 7493 §2.1)');
  }
}

function checkStructure(value: unknown, limits: JsonLimits): void {
  // Iterative walk: a recursive one could itself overflow on hostile depth.
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: node, depth } = stack.pop()!;
    if (typeof node === 'string') checkString(node);
    else if (typeof node === 'number' && !Number.isFinite(node)) {
      throw new NodeError('JSON_NOT_CANONICALIZABLE', 'JSON number out of range (I-JSON, RFC 7493 §2.2)');
    }
    if (node === null || typeof node !== 'object') continue;
    if (!Array.isArray(node)) for (const key of Object.keys(node)) checkString(key);
    if (depth >= limits.maxDepth) {
      throw new NodeError('PAYLOAD_TOO_COMPLEX', `JSON nested deeper than ${limits.maxDepth} levels`);
    }
    const children = Array.isArray(node) ? node : Object.values(node);
    if (Array.isArray(node) && node.length > limits.maxArrayLength) {
      throw new NodeError('PAYLOAD_TOO_COMPLEX', `JSON array longer than ${limits.maxArrayLength} items`);
    }
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
}

async function readLimited(c: Context, maxBytes: number): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new NodeError('PAYLOAD_TOO_LARGE', `request body larger than ${maxBytes} bytes`);
  // On @hono/node-server the Node request itself is at hand: reading it directly skips the web ReadableStream
  // that `c.req.raw.body` wraps around it (a stream, a reader and a promise per chunk: a CPU profile of the
  // verify route put 7% of the main thread's time in that wrapping). Elsewhere (app.request in tests) the web body.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const body = incoming && !incoming.readableDidRead ? incoming : c.req.raw.body;
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new NodeError('PAYLOAD_TOO_LARGE', `request body larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof NodeError) throw error;
    // The client went away or the server's request timeout cut the body off: not an internal error.
    throw new NodeError('REQUEST_ABORTED', 'the request body ended before it was complete');
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses and checks the request's JSON body; throws NodeError with a fitting code. */
export async function readJsonBody(c: Context, limits: JsonLimits = DEFAULT_JSON_LIMITS): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[\w.+-]*\+json$/.test(type)) {
    throw new NodeError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be JSON (Content-Type: application/json)');
  }
  const text = await readLimited(c, limits.maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NodeError('MALFORMED_JSON', `the request body is not valid JSON: ${(error as Error).message}`);
  }
  checkStructure(value, limits);
  return value;
}

/** The body as an object, or INVALID_REQUEST. */
export async function readJsonObject(c: Context, limits?: JsonLimits): Promise<Record<string, unknown>> {
  const value = await readJsonBody(c, limits);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new NodeError('VALIDATION_FAILED', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
