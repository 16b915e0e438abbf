/**
 * Responses the gateway itself generates (aws-behavior.md §7.1). What AWS decides is data:
 * one table, keyed by what happened.
 */
export const GATEWAY_RESPONSES = {
  // A request API Gateway cannot read: an invalid path (§1.4 rule c) or Host. The status is
  // captured; the body is the shape of every other gateway answer [INF].
  BAD_REQUEST: { statusCode: 400, message: 'Bad Request' },
  UNAUTHORIZED: { statusCode: 401, message: 'Unauthorized' },
  FORBIDDEN: { statusCode: 403, message: 'Forbidden' },
  NOT_FOUND: { statusCode: 404, message: 'Not Found' },
  REQUEST_TOO_LARGE: { statusCode: 413, message: 'Request Entity Too Large' },
  TOO_MANY_REQUESTS: { statusCode: 429, message: 'Too Many Requests' },
  INTERNAL_SERVER_ERROR: { statusCode: 500, message: 'Internal Server Error' },
  SERVICE_UNAVAILABLE: { statusCode: 503, message: 'Service Unavailable' },
} as const;

export type GatewayResponseKey = keyof typeof GATEWAY_RESPONSES;

/** A response ready to be written: status, header pairs (repeats allowed), body. */
export interface GatewayResponse {
  statusCode: number;
  /** `[name, value]` pairs; a name may repeat (`set-cookie`, 1.0 multi-value headers). */
  headers: Array<[string, string]>;
  /** Text is sent as UTF-8; bytes as they are. */
  body: string | Uint8Array;
}

// The bodies never change, so they are encoded once (Content-Length 26 for Unauthorized, §3.3).
const BODIES = Object.fromEntries(
  Object.entries(GATEWAY_RESPONSES).map(([key, { message }]) => [key, JSON.stringify({ message })]),
) as Record<GatewayResponseKey, string>;

/** `{"message":"Not Found"}` and friends, with `content-type: application/json` (§7.1). */
export function gatewayResponse(key: GatewayResponseKey, extraHeaders: Array<[string, string]> = []): GatewayResponse {
  return {
    statusCode: GATEWAY_RESPONSES[key].statusCode,
    headers: [['content-type', 'application/json'], ...extraHeaders],
    body: BODIES[key],
  };
}

/**
 * Gives `response` the gateway's `apigw-requestid` (§7.2: it equals `requestContext.requestId`).
 * The header is API Gateway's own: a value from a handler or a backend is dropped, never sent
 * beside it or joined into it. Changes `response.headers` in place.
 */
export function setRequestId(response: GatewayResponse, requestId: string): void {
  const { headers } = response;
  for (let i = headers.length - 1; i >= 0; i--) {
    const name = headers[i]![0];
    if (name.length === 15 && (name === 'apigw-requestid' || name.toLowerCase() === 'apigw-requestid')) headers.splice(i, 1);
  }
  headers.push(['apigw-requestid', requestId]);
}

/**
 * 204 No Content, 205 Reset Content (RFC 9110 §15.3.6: "a server MUST NOT generate content in
 * a 205 response") and 304 Not Modified: a handler's body is dropped, and a fetch `Response`
 * cannot even carry one.
 */
export function isNoBodyStatus(statusCode: number): boolean {
  return statusCode === 204 || statusCode === 205 || statusCode === 304;
}
