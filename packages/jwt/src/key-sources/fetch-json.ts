import type { Dispatcher } from 'undici';
import { fetchChannel } from '../diagnostics.js';
import { JwtError, describeError } from '../errors.js';

/** §3.2 (D-quotas): the discovery and JWKS endpoints each get 1500 ms … */
export const DEFAULT_FETCH_TIMEOUT_MS = 1500;
/** … and a JWKS response may be at most 150 000 bytes. Applied to discovery documents too. */
export const MAX_RESPONSE_BYTES = 150_000;

export interface FetchJsonOptions {
  dispatcher: Dispatcher;
  timeoutMs: number;
  authorizer: string;
}

/**
 * GETs `url` and parses JSON, failing with a `JwtError` that names the URL when the server is
 * unreachable, slow (whole exchange, body included, bounded by `timeoutMs`), answers non-200, sends
 * more than `MAX_RESPONSE_BYTES`, or sends something that is not JSON. Redirects are not followed.
 */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  if (fetchChannel.hasSubscribers) fetchChannel.publish({ authorizer: options.authorizer, url });
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const { request } = await import('undici');
    const response = await request(url, {
      method: 'GET',
      dispatcher: options.dispatcher,
      signal,
      headers: { accept: 'application/json' },
    });
    const { body } = response;
    if (response.statusCode !== 200) {
      discard(body);
      throw new JwtError('ERR_JWKS_UNREACHABLE', `GET ${url} answered HTTP ${response.statusCode}`);
    }
    const declared = Number(response.headers['content-length']);
    if (declared > MAX_RESPONSE_BYTES) {
      discard(body);
      throw tooLarge(url, `${declared} bytes declared`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        discard(body);
        throw tooLarge(url, `more than ${MAX_RESPONSE_BYTES} bytes received`);
      }
      chunks.push(chunk);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      throw new JwtError('ERR_JWKS_UNREACHABLE', `GET ${url} did not return JSON: ${describeError(error)}`, { cause: error });
    }
  } catch (error) {
    if (error instanceof JwtError) throw error;
    if (signal.aborted) {
      throw new JwtError('ERR_JWKS_TIMEOUT', `GET ${url} timed out after ${options.timeoutMs} ms`, { cause: error });
    }
    throw new JwtError('ERR_JWKS_UNREACHABLE', `GET ${url} failed: ${describeError(error)}`, { cause: error });
  }
}

/** Drops a body we will not read. undici reports the destroy as an 'error'; nobody needs it. */
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => {});
  body.destroy();
}

function tooLarge(url: string, detail: string): JwtError {
  return new JwtError('ERR_JWKS_TOO_LARGE', `GET ${url} returned too much data (${detail}; the limit is ${MAX_RESPONSE_BYTES} bytes, §3.2)`);
}
