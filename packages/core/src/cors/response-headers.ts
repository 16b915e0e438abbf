import type { GatewayResponse } from '../http/gateway-responses.js';
import type { CompiledCors } from './compile-cors.js';
import { matchPreflight, pushPreflightHeaders, VARY_ORIGIN, VARY_ORIGIN_TOKENS, VARY_PREFLIGHT, VARY_PREFLIGHT_TOKENS } from './preflight.js';

/** The request headers CORS depends on, read once at the edge (`getHeader`). */
export interface CorsRequest {
  /** HTTP method as received, upper-case. */
  method: string;
  /** `Origin`. */
  origin: string | undefined;
  /** `Access-Control-Request-Method`. */
  requestMethod: string | undefined;
  /** `Access-Control-Request-Headers`. */
  requestHeaders: string | undefined;
}

/**
 * Gives a response its CORS headers, as API Gateway does after the integration (§2.2, §2.4).
 * Use it on every response to a routed request: integration responses and the gateway's own
 * errors (401, 403, 404, 413, 429, 500, 503) alike. The automatic preflight answer
 * (`preflightResponse`) is already complete.
 *
 * - `cors` undefined (CORS not configured): the response is returned untouched, so CORS headers
 *   from the backend pass through (§2.2).
 * - Otherwise every `access-control-*` header from the backend is removed (§2.2, §8 item 3). If
 *   the request's origin is allowed, `access-control-allow-origin` (one origin, never the list,
 *   §8 item 2), `-allow-credentials` and `-expose-headers` are added (§2.4). A routed preflight
 *   (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) gets these only if it matches
 *   as in §2.3, and then also `-allow-methods`, `-allow-headers` (even when empty) and `-max-age`.
 *
 * Gateway errors get CORS headers too. Nothing in §2 or §7 says HTTP APIs leave them out (the
 * well-known missing-CORS-on-401 problem belongs to REST APIs, whose gateway responses need
 * their own CORS setup), and with them a browser app can read the 401 and send the user to
 * log in instead of seeing an opaque network error.
 *
 * Hot path: `response.headers` is changed in place and the same `response` is returned, so no
 * array is copied. Pass a response you own; never a shared constant.
 */
export function applyCors(cors: CompiledCors | undefined, request: CorsRequest, response: GatewayResponse): GatewayResponse {
  if (cors === undefined) return response;
  const headers = response.headers;
  const varyAt = removeCorsHeaders(headers);
  const { origin, requestMethod } = request;

  if (origin === undefined) {
    // Still Vary: the same URL answers an Origin-bearing request differently.
    addVary(headers, varyAt, VARY_ORIGIN, VARY_ORIGIN_TOKENS);
    return response;
  }
  if (request.method === 'OPTIONS' && requestMethod !== undefined) {
    const allowOrigin = matchPreflight(cors, origin, requestMethod, request.requestHeaders);
    if (allowOrigin !== undefined) {
      pushResponseHeaders(cors, headers, allowOrigin);
      pushPreflightHeaders(cors, headers, requestMethod, request.requestHeaders);
    }
    addVary(headers, varyAt, VARY_PREFLIGHT, VARY_PREFLIGHT_TOKENS);
    return response;
  }
  const allowOrigin = cors.allowOrigin(origin);
  if (allowOrigin !== undefined) pushResponseHeaders(cors, headers, allowOrigin);
  addVary(headers, varyAt, VARY_ORIGIN, VARY_ORIGIN_TOKENS);
  return response;
}

function pushResponseHeaders(cors: CompiledCors, headers: Array<[string, string]>, allowOrigin: string): void {
  headers.push(['access-control-allow-origin', allowOrigin]);
  if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  if (cors.exposeHeaders !== undefined) headers.push(['access-control-expose-headers', cors.exposeHeaders]);
}

const CORS_HEADER = /^access-control-/i;

/** Drops `access-control-*` pairs in place (one pass, no copy); returns the index of the last `vary` pair, or -1. */
function removeCorsHeaders(headers: Array<[string, string]>): number {
  let write = 0;
  let varyAt = -1;
  for (let read = 0; read < headers.length; read++) {
    const pair = headers[read]!;
    const name = pair[0];
    if (CORS_HEADER.test(name)) continue;
    if (name.length === 4 && name.toLowerCase() === 'vary') varyAt = write;
    if (write !== read) headers[write] = pair;
    write++;
  }
  headers.length = write;
  return varyAt;
}

/**
 * Adds our Vary tokens (§10, and see `VARY_ORIGIN`). A backend's own `Vary` is kept and
 * extended rather than duplicated; `Vary: *` already covers everything. Without a backend
 * `Vary` this is one pair; with one, the lists are scanned in place (no split, no set).
 */
function addVary(headers: Array<[string, string]>, varyAt: number, value: string, tokens: readonly string[]): void {
  if (varyAt < 0) {
    headers.push(['vary', value]);
    return;
  }
  let missing: string | undefined;
  for (const token of tokens) {
    if (!varies(headers, token)) missing = missing === undefined ? token : `${missing}, ${token}`;
  }
  if (missing === undefined) return;
  const [name, existing] = headers[varyAt]!;
  // A new pair, not an edit of the old one: the backend's pair may be shared with other responses.
  headers[varyAt] = [name, existing.trim() === '' ? missing : `${existing}, ${missing}`];
}

/** Whether some `Vary` pair lists `token` (lower-case) or `*`. */
function varies(headers: ReadonlyArray<readonly [string, string]>, token: string): boolean {
  for (const [name, value] of headers) {
    if (name.length === 4 && name.toLowerCase() === 'vary' && listHas(value, token)) return true;
  }
  return false;
}

/** `token` (lower-case) or `*` is an element of the comma list `list`, compared without case. */
function listHas(list: string, token: string): boolean {
  let start = 0;
  while (start <= list.length) {
    let end = list.indexOf(',', start);
    if (end < 0) end = list.length;
    let a = start;
    let b = end;
    while (a < b && isSpace(list.charCodeAt(a))) a++;
    while (b > a && isSpace(list.charCodeAt(b - 1))) b--;
    if (b - a === 1 && list.charCodeAt(a) === 0x2a) return true;
    if (b - a === token.length && list.slice(a, b).toLowerCase() === token) return true;
    start = end + 1;
  }
  return false;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;
