import { Readable } from 'node:stream';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { decodePercentTwice, gatewayResponse, getFirstHeader, type CompiledRoute, type GatewayResponse, type HttpIntegration, type RouteMatch, type StreamedBody } from '@localgw/core';
import { BodyTooLargeError, isClientAbort, MAX_BODY_BYTES, type ServerRequest } from '../pipeline/to-gateway-request.js';

// Hop-by-hop headers (RFC 9110 §7.6.1) are never forwarded in either direction; `expect` is
// answered by the gateway's own server (curl sends `Expect: 100-continue` for large bodies).
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);

/** API Gateway's payload quota (§0.1) holds for what the backend sends back too. */
export const MAX_RESPONSE_BYTES = MAX_BODY_BYTES;

/**
 * A backend body of declared length longer than this is streamed to the client; a shorter one
 * is read whole first. Big enough for a response mapping's 100 KB of body (§6.3) and for a
 * timeout or failure of any ordinary API response to still be a clean 503/500; small enough
 * that memory stays flat.
 */
export const STREAM_AFTER_BYTES = 1024 * 1024;

/**
 * HTTP_PROXY integration (§6.1): the whole request goes to the backend URL with path variables
 * substituted (a greedy one is referenced without its `+`), or, for `$default`, the full request
 * path appended. Query strings are forwarded. The backend's status, headers and body come back
 * as they are.
 *
 * The route's timeout is one deadline for the whole exchange, the body included: a backend that
 * answers at once but trickles its body still times out (503). A body over the 10 MB quota is
 * not read to the end: the answer is a 500.
 */
export async function invokeHttpProxy(
  integration: HttpIntegration,
  match: RouteMatch<CompiledRoute>,
  request: ServerRequest,
  pathWithoutStage: string,
  /** §6.2 `overwrite:path`: the decoded path to send instead. */
  mappedPath?: string,
): Promise<{ response: GatewayResponse; note?: string; url: string }> {
  const url = mappedPath === undefined ? targetUrl(integration.url, match, pathWithoutStage, request.rawQueryString) : overwrittenUrl(integration.url, mappedPath, request.rawQueryString);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), integration.timeoutMs);
  const failed = (error: unknown) => {
    clearTimeout(timer);
    if (deadline.signal.aborted) {
      return { response: gatewayResponse('SERVICE_UNAVAILABLE'), note: `backend ${url} timed out after ${integration.timeoutMs} ms`, url };
    }
    // Connection failures are undocumented (§6.1); 500 is what a Lambda integration failure gives.
    return { response: gatewayResponse('INTERNAL_SERVER_ERROR'), note: `backend ${url} failed: ${(error as Error).message}`, url };
  };
  let res: Dispatcher.ResponseData;
  try {
    res = await undiciRequest(url, {
      method: (integration.method ?? request.method) as 'GET',
      // Flat name/value pairs, as received: a request's header names never become object keys
      // (`__proto__` would set the prototype, `constructor` would read Object's).
      headers: request.unreadBody === undefined ? forwardedHeaders(request.rawHeaders) : withDeclaredLength(forwardedHeaders(request.rawHeaders), request.rawHeaders),
      // An upload still on the wire goes to the backend as it arrives.
      body: request.unreadBody === undefined ? request.body : Readable.from(request.unreadBody.stream(), { objectMode: false }),
      signal: deadline.signal,
    });
  } catch (error) {
    // The client went away mid-upload: nobody to answer (the server drops the connection).
    if (error instanceof Error && isClientAbort(error) && request.unreadBody !== undefined && !deadline.signal.aborted) {
      clearTimeout(timer);
      throw error;
    }
    if (error instanceof BodyTooLargeError) {
      clearTimeout(timer);
      return { response: gatewayResponse('REQUEST_TOO_LARGE'), note: 'body over 10 MB', url };
    }
    return failed(error);
  }
  const declared = Number(res.headers['content-length']);
  if (declared > MAX_RESPONSE_BYTES) {
    clearTimeout(timer);
    discard(res.body);
    return { response: gatewayResponse('INTERNAL_SERVER_ERROR'), note: `backend ${url} declared a ${declared}-byte response, over the 10 MB payload quota`, url };
  }
  const headers = responseHeaders(res.headers);
  let head: Awaited<ReturnType<typeof readHead>>;
  const chunks = res.body[Symbol.asyncIterator]();
  try {
    head = await readHead(chunks, Number.isFinite(declared));
  } catch (error) {
    return failed(error);
  }
  if (head === 'too-large') {
    clearTimeout(timer);
    discard(res.body);
    return { response: gatewayResponse('INTERNAL_SERVER_ERROR'), note: `backend ${url} sent a response body over the 10 MB payload quota`, url };
  }
  if (head.ended) {
    clearTimeout(timer);
    return { response: { statusCode: res.statusCode, headers, body: head.bytes }, url };
  }
  // Past STREAM_AFTER_BYTES the rest is sent as it arrives: memory stays flat whatever the size.
  const body: StreamedBody = {
    kind: 'stream',
    head: head.bytes,
    rest: rest(chunks, head.bytes.byteLength, url, timer, deadline.signal),
    length: Number.isFinite(declared) ? declared : undefined,
    cancel() {
      clearTimeout(timer);
      discard(res.body);
    },
  };
  if (Number.isFinite(declared)) headers.push(['content-length', String(declared)]);
  return { response: { statusCode: res.statusCode, headers, body }, url };
}

/**
 * What the backend sent before the proxy starts answering. A body of declared length over
 * STREAM_AFTER_BYTES is streamed after its first STREAM_AFTER_BYTES (enough for a response
 * mapping's 100 KB, §6.3): it is known to fit the quota, and memory stays flat whatever its size.
 * A body without a length is read whole, up to the 10 MB quota, as API Gateway buffers it: past
 * the quota the answer is still a clean 500, and a shorter body's timeout or failure a clean
 * 503 or 500, which a status already on the wire would no longer allow.
 */
async function readHead(chunks: AsyncIterator<Buffer>, lengthDeclared: boolean): Promise<{ bytes: Uint8Array; ended: boolean } | 'too-large'> {
  const parts: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size), ended: true };
    size += next.value.length;
    parts.push(next.value);
    if (size > MAX_RESPONSE_BYTES) return 'too-large';
    if (lengthDeclared && size >= STREAM_AFTER_BYTES) return { bytes: Buffer.concat(parts, size), ended: false };
  }
}

/**
 * The rest of a streamed body. The route's deadline still holds (issue 13: one deadline for the
 * whole exchange) and so does the 10 MB quota: past either, the stream fails and the client's
 * connection is cut, since its status line has gone already.
 */
async function* rest(chunks: AsyncIterator<Buffer>, sent: number, url: string, timer: NodeJS.Timeout, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      sent += next.value.length;
      if (sent > MAX_RESPONSE_BYTES) throw new Error(`backend ${url} sent more than the 10 MB payload quota; the response was cut`);
      yield next.value;
    }
  } catch (error) {
    if (signal.aborted) throw new Error(`backend ${url} did not finish its response within the route timeout; the response was cut`);
    throw error;
  } finally {
    clearTimeout(timer);
    await chunks.return?.();
  }
}

/** Stop reading a backend body without an unhandled error. */
function discard(body: { destroy(): unknown; on(event: 'error', listener: () => void): unknown }): void {
  body.on('error', () => {});
  body.destroy();
}

/**
 * The request's headers for the backend, as `[name, value, …]` (repeats kept): without the
 * hop-by-hop ones, nor those the request's `Connection` header names (RFC 9110 §7.6.1).
 */
export function forwardedHeaders(raw: readonly string[]): string[] {
  let named: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 10 && raw[i]!.toLowerCase() === 'connection') named = connectionOptions(raw[i + 1]!, named);
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || named?.has(name)) continue;
    out.push(name, raw[i + 1]!);
  }
  return out;
}

/**
 * A streamed upload keeps the length its client declared, so a backend that wants one gets it
 * (without one the body goes chunked). Known to be within the quota: a larger one is a 413
 * before routing.
 */
function withDeclaredLength(headers: string[], raw: readonly string[]): string[] {
  const declared = getFirstHeader(raw, 'content-length');
  if (declared !== undefined) headers.push('content-length', declared);
  return headers;
}

/** The backend's headers for the client, without hop-by-hop ones and those its `Connection` names. */
function responseHeaders(headers: Record<string, string | string[] | undefined>): Array<[string, string]> {
  let named: Set<string> | undefined;
  const connection = headers['connection'];
  if (typeof connection === 'string') named = connectionOptions(connection, named);
  else if (connection) for (const value of connection) named = connectionOptions(value, named);
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || named?.has(name) || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push([name, v]);
    else out.push([name, value]);
  }
  return out;
}

/**
 * Adds the header names a `Connection` value lists to `into` (made when first needed), leaving
 * out the hop-by-hop names dropped anyway. The usual `keep-alive` and `close` need no set.
 */
function connectionOptions(value: string, into: Set<string> | undefined): Set<string> | undefined {
  const lower = value.toLowerCase();
  if (lower === 'keep-alive' || lower === 'close') return into;
  for (const part of lower.split(',')) {
    const name = part.trim();
    if (name !== '' && name !== 'close' && !HOP_BY_HOP.has(name)) (into ??= new Set()).add(name);
  }
  return into;
}

/**
 * The backend URL. `pathWithoutStage` is the raw path where API Gateway's path ends (§1.4: cut at
 * a `?` the first decoding makes). For `$default` it is sent as API Gateway decoded it (twice,
 * §1.4), one segment at a time, so a decoded `/`, `?` or `\` stays inside its segment, and
 * re-encoded for the backend.
 */
export function targetUrl(template: string, match: RouteMatch<CompiledRoute>, pathWithoutStage: string, rawQueryString: string): string {
  let url: string;
  if (match.key.kind === 'default') {
    const segments = pathWithoutStage.slice(1).split('/').map(decodePercentTwice);
    url = template.replace(/\/$/, '') + '/' + resolveDotSegments(segments).map(encodePathSegment).join('/');
  } else {
    const params = match.pathParameters ?? {};
    url = template.replace(/\{([^{}+]+)\+?\}/g, (whole, name: string) => {
      // Own keys only: a `{toString}` that is not one of the route's variables stays as written.
      const value = Object.hasOwn(params, name) ? params[name] : undefined;
      if (value === undefined) return whole;
      // A variable's value stays inside its place in the URI: a single variable is one
      // segment (its `/` encoded); a greedy one may span segments, but its `.`/`..` are
      // resolved within the value, so it can never climb out of the integration's base path.
      return isGreedy(match, name) ? resolveDotSegments(value.split('/')).map(encodeURIComponent).join('/') : encodeSegment(value);
    });
  }
  if (!rawQueryString) return url;
  return url + (url.includes('?') ? '&' : '?') + rawQueryString;
}

/** §6.2 `overwrite:path` replaces the whole backend path: the integration URL's origin, the mapped path, the query. */
export function overwrittenUrl(template: string, path: string, rawQueryString: string): string {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(template)?.[0] ?? template;
  const segments = (path.startsWith('/') ? path.slice(1) : path).split('/');
  const url = `${origin}/${resolveDotSegments(segments).map(encodePathSegment).join('/')}`;
  return rawQueryString ? `${url}?${rawQueryString}` : url;
}

function isGreedy(match: RouteMatch<CompiledRoute>, name: string): boolean {
  return match.key.kind === 'route' && match.key.segments.some((s) => s.kind === 'greedy' && s.name === name);
}

/** One path segment; `.` and `..` (which URL parsers resolve even when encoded) are escaped. */
function encodeSegment(value: string): string {
  return value === '.' || value === '..' ? encodeURIComponent(value).replace(/\./g, '%252E') : encodeURIComponent(value);
}

/**
 * One decoded segment of a path for a URL: every character that is not an RFC 3986 `pchar` is
 * escaped, so `@`, `:` and the sub-delimiters travel as the client wrote them.
 */
function encodePathSegment(segment: string): string {
  const encoded = encodeURIComponent(segment);
  return encoded.includes('%') ? encoded.replace(/%(?:24|26|2B|2C|3A|3B|3D|40)/g, decodeURIComponent) : encoded;
}

/** RFC 3986 dot-segment removal, clamped at the start: `x/../../secret` → `secret`. */
function resolveDotSegments(segments: readonly string[]): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '.' || segment === '%2E' || segment === '%2e') continue;
    if (segment === '..' || /^(\.|%2e){2}$/i.test(segment)) out.pop();
    else out.push(segment);
  }
  return out;
}
