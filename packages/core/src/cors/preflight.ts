import type { GatewayResponse } from '../http/gateway-responses.js';
import type { CompiledCors } from './compile-cors.js';

/**
 * §10 (captured): API Gateway answers a request from an allowed origin with `vary: origin`, its
 * own 401 included, written in lower case. Whether it does so for `*` origins, refused origins or
 * requests without `Origin` is unknown; we send it on every response whose CORS headers depend on
 * the request, because a cache in front of a dev server (a proxy, a service worker, the browser's
 * HTTP cache) would otherwise serve one origin's answer to another.
 */
export const VARY_ORIGIN = 'origin';
/**
 * DEVIATION (AWS's `Vary` on preflights is unknown): a preflight answer depends on all three
 * request headers. The tokens of {@link VARY_PREFLIGHT_TOKENS}, joined.
 */
export const VARY_PREFLIGHT = 'origin, access-control-request-method, access-control-request-headers';
/** The tokens of {@link VARY_ORIGIN} and {@link VARY_PREFLIGHT}, lower-case, for extending a backend's `Vary`. */
export const VARY_ORIGIN_TOKENS: readonly string[] = ['origin'];
export const VARY_PREFLIGHT_TOKENS: readonly string[] = ['origin', 'access-control-request-method', 'access-control-request-headers'];

/**
 * A CORS preflight is `OPTIONS` with both `Origin` and `Access-Control-Request-Method` (§2.2).
 * Without either, `OPTIONS` is an ordinary request.
 */
export function isPreflight(method: string, origin: string | undefined, requestMethod: string | undefined): boolean {
  return method === 'OPTIONS' && origin !== undefined && requestMethod !== undefined;
}

/**
 * The answer API Gateway gives a preflight itself (§2.3). Use it only when CORS is configured,
 * {@link isPreflight} is true and **no route matched** the request, `$default` included (§1.7):
 * a preflight that matches a route goes to that route and gets its CORS headers from
 * `applyCors`. The result is complete; it need not go through `applyCors`.
 *
 * Always `204` with an empty body. The CORS headers are present only when the preflight matches:
 * the origin is allowed, the requested method is in `allowMethods` (or it has `*`), and every
 * requested header is in `allowHeaders` (or it has `*`). Otherwise the answer has no
 * `access-control-*` header and the browser fails the preflight (AWS's status for that case is
 * unverified; 204 is our choice).
 */
export function preflightResponse(
  cors: CompiledCors,
  origin: string,
  requestMethod: string,
  requestHeaders: string | undefined,
): GatewayResponse {
  const headers: Array<[string, string]> = [];
  const allowOrigin = matchPreflight(cors, origin, requestMethod, requestHeaders);
  if (allowOrigin !== undefined) {
    headers.push(['access-control-allow-origin', allowOrigin]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    pushPreflightHeaders(cors, headers, requestMethod, requestHeaders);
  }
  headers.push(['vary', VARY_PREFLIGHT]);
  return { statusCode: 204, headers, body: '' };
}

/**
 * §10 (captured): with CORS configured, an `OPTIONS` with `Origin` but without
 * `Access-Control-Request-Method` (so not a preflight, §2.2) that no route matched is answered
 * `204` with no header but `date` and `apigw-requestid`: no CORS headers, no `content-type`, not
 * the 404 an unrouted request gets. Use it where {@link preflightResponse} would be used, when
 * {@link isPreflight} is false only for want of `Access-Control-Request-Method`.
 */
export function nonPreflightOptionsResponse(): GatewayResponse {
  return { statusCode: 204, headers: [], body: '' };
}

/** Whether a preflight matches the CORS configuration, and if not, why (for the request log). */
export type PreflightCheck = { ok: true; allowOrigin: string } | { ok: false; reason: string };

/**
 * §2.3 "Matching": the origin is allowed, the requested method is in `allowMethods` (or `*`),
 * and every requested header is in `allowHeaders` (or `*`). With only `allowOrigins`
 * configured nothing matches, as in AWS.
 */
export function checkPreflight(
  cors: CompiledCors,
  origin: string,
  requestMethod: string,
  requestHeaders: string | undefined,
): PreflightCheck {
  const allowOrigin = cors.allowOrigin(origin);
  if (allowOrigin === undefined) return { ok: false, reason: `origin ${origin} is not in cors.allowOrigins` };
  if (!cors.anyMethod && !cors.methods.has(requestMethod)) {
    return {
      ok: false,
      reason: cors.methods.size === 0 ? 'cors.allowMethods is not configured, so no preflight matches' : `method ${requestMethod} is not in cors.allowMethods`,
    };
  }
  const header = cors.anyHeader || requestHeaders === undefined ? undefined : firstDisallowedHeader(cors.headers, requestHeaders);
  if (header !== undefined) return { ok: false, reason: `header ${header} is not in cors.allowHeaders` };
  return { ok: true, allowOrigin };
}

/** The `Access-Control-Allow-Origin` value when the preflight matches, else `undefined`. */
export function matchPreflight(
  cors: CompiledCors,
  origin: string,
  requestMethod: string,
  requestHeaders: string | undefined,
): string | undefined {
  const check = checkPreflight(cors, origin, requestMethod, requestHeaders);
  return check.ok ? check.allowOrigin : undefined;
}

/** Allow-methods, allow-headers (even when empty, as AWS sends it, §2.3) and max-age. */
export function pushPreflightHeaders(
  cors: CompiledCors,
  headers: Array<[string, string]>,
  requestMethod: string,
  requestHeaders: string | undefined,
): void {
  // With "*" we echo what the preflight asked for instead of sending "*" (AWS's value is
  // unverified, §9 item 1). Browsers read "*" literally on requests with credentials, and never
  // let it cover `Authorization`; the echo works with and without credentials. The request
  // matched, so everything echoed is allowed.
  headers.push(['access-control-allow-methods', cors.anyMethod ? requestMethod : cors.allowMethods]);
  headers.push(['access-control-allow-headers', cors.anyHeader ? (requestHeaders ?? '') : cors.allowHeaders]);
  if (cors.maxAge !== undefined) headers.push(['access-control-max-age', cors.maxAge]);
}

// Header names never contain spaces, so splitting on spaces too only forgives sloppy clients.
const LIST_SEPARATOR = /[\s,]+/;

/** `Access-Control-Request-Headers` is a comma list (`content-type, x-api-key`); names ignore case. */
function firstDisallowedHeader(allowed: ReadonlySet<string>, requested: string): string | undefined {
  for (const part of requested.split(LIST_SEPARATOR)) {
    if (part !== '' && !allowed.has(part.toLowerCase())) return part;
  }
  return undefined;
}
