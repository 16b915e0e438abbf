import { errors, request as undiciRequest } from 'undici';
import { gatewayResponse, type CompiledRoute, type GatewayRequest, type GatewayResponse, type HttpIntegration, type RouteMatch } from '@localgw/core';

// Hop-by-hop headers (RFC 9110 §7.6.1) are never forwarded in either direction.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

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

export function targetUrl(template: string, match: RouteMatch<CompiledRoute>, pathWithoutStage: string, rawQueryString: string): string {
  let url: string;
  if (match.key.kind === 'default') {
    url = template.replace(/\/$/, '') + pathWithoutStage;
  } else {
    const params = match.pathParameters ?? {};
    url = template.replace(/\{([^{}+]+)\+?\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return value.split('/').map(encodeURIComponent).join('/');
    });
  }
  if (!rawQueryString) return url;
  return url + (url.includes('?') ? '&' : '?') + rawQueryString;
}
