import { errors, request as undiciRequest } from 'undici';
import { decodePercentTwice, gatewayResponse, type CompiledRoute, type GatewayRequest, type GatewayResponse, type HttpIntegration, type RouteMatch } from '@localgw/core';

// Hop-by-hop headers (RFC 9110 §7.6.1) are never forwarded in either direction; `expect` is
// answered by the gateway's own server (curl sends `Expect: 100-continue` for large bodies).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);

/**
 * HTTP_PROXY integration (§6.1): the whole request goes to the backend URL with path variables
 * substituted (a greedy one is referenced without its `+`), or, for `$default`, the full request
 * path appended. Query strings are forwarded. The backend's status, headers and body come back
 * as they are.
 */
export async function invokeHttpProxy(
  integration: HttpIntegration,
  match: RouteMatch<CompiledRoute>,
  request: GatewayRequest,
  pathWithoutStage: string,
): Promise<{ response: GatewayResponse; note?: string }> {
  const url = targetUrl(integration.url, match, pathWithoutStage, request.rawQueryString);
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name)) continue;
    const value = request.rawHeaders[i + 1]!;
    const existing = headers[name];
    headers[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  try {
    const res = await undiciRequest(url, {
      method: (integration.method ?? request.method) as 'GET',
      headers,
      body: request.body,
      headersTimeout: integration.timeoutMs,
      bodyTimeout: integration.timeoutMs,
    });
    const body = new Uint8Array(await res.body.arrayBuffer());
    const out: Array<[string, string]> = [];
    for (const [name, value] of Object.entries(res.headers)) {
      if (HOP_BY_HOP.has(name) || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) out.push([name, v]);
    }
    return { response: { statusCode: res.statusCode, headers: out, body } };
  } catch (error) {
    if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
      return { response: gatewayResponse('SERVICE_UNAVAILABLE'), note: `backend ${url} timed out after ${integration.timeoutMs} ms` };
    }
    // Connection failures are undocumented (§6.1); 500 is what a Lambda integration failure gives.
    return { response: gatewayResponse('INTERNAL_SERVER_ERROR'), note: `backend ${url} failed: ${(error as Error).message}` };
  }
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
      const value = params[name];
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
