/** The thin HTTP client behind `ler-node issue|verify|revoke|status`. */
export type CallOptions = ClientOptions;

export interface ClientOptions {
  url: string;
  token?: string;
}

export class ClientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A request whose successful answer is not JSON (a backup file): the response, errors as for `call`. */
export async function callForStream(options: ClientOptions, method: 'GET' | 'POST', path: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(new URL(path, options.url), { method, headers });
  } catch (error) {
    throw new ClientError(`cannot reach the node at ${options.url}: ${(error as Error).message}`);
  }
  if (response.status >= 400) {
    const parsed = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new ClientError(
      `${response.status} ${parsed.error?.code ?? ''}: ${parsed.error?.message ?? response.statusText}`,
      response.status,
      parsed.error?.code,
    );
  }
  return response;
}

export async function call(
  options: ClientOptions,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  /** Error statuses whose body is still an answer (a verification report that found errors). */
  answers: readonly number[] = [],
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(new URL(path, options.url), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new ClientError(`cannot reach the node at ${options.url}: ${(error as Error).message}`);
  }
  const parsed = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status >= 400 && !(answers.includes(response.status) && 'verified' in parsed)) {
    const error = parsed.error as { code?: string; message?: string } | undefined;
    throw new ClientError(
      `${response.status} ${error?.code ?? ''}: ${error?.message ?? response.statusText}`,
      response.status,
      error?.code,
    );
  }
  return { status: response.status, body: parsed };
}
