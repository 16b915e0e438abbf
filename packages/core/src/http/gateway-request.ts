/**
 * The request as core sees it: plain data, independent of Hono or node:http. Built once per
 * request at the edge (packages/localgw) and read by every pipeline step.
 */
export interface GatewayRequest {
  /** HTTP method as received, upper-case (`GET`, `OPTIONS`, …). */
  readonly method: string;
  /**
   * Path as received on the wire: still percent-encoded, without the query string, and including
   * a named-stage prefix when the client sent one (`/dev/items/a%20b`).
   */
  readonly rawPath: string;
  /** Query string as received, percent-encoded, without the leading `?`; `''` when there is none. */
  readonly rawQueryString: string;
  /**
   * Header pairs exactly as received (Node's `rawHeaders`): `[name, value, name, value, …]`,
   * original case, repeated headers kept in order. Payload 1.0 needs the original case (§4.3);
   * 2.0 lower-cases names (§4.1).
   */
  readonly rawHeaders: readonly string[];
  /** Request body bytes; `undefined` (or empty) when the request has none. */
  readonly body: Uint8Array | undefined;
  /**
   * Set when the body exceeded API Gateway's 10 MB payload limit and was not read (§7.1): the
   * pipeline answers 413 before routing, as AWS checks limits first (§0.1 step 3).
   */
  readonly bodyTooLarge?: boolean;
  /** Client address (`requestContext.http.sourceIp`). */
  readonly sourceIp: string;
  /** The id shared by `apigw-requestid` and `requestContext.requestId` (§7.2). */
  readonly requestId: string;
  /** Arrival time, epoch milliseconds (`requestContext.timeEpoch`). */
  readonly timeEpoch: number;
}

/** Case-insensitive lookup of a header in raw pairs; repeated headers are comma-joined (§4.1). */
export function getHeader(rawHeaders: readonly string[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  let value: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (isHeaderNamed(rawHeaders[i]!, wanted)) value = value === undefined ? rawHeaders[i + 1]! : `${value},${rawHeaders[i + 1]!}`;
  }
  return value;
}

/**
 * The first value of the header `lowerCaseName` in raw pairs: what node's `incoming.headers`
 * gives for Host and Content-Length (repeats dropped), without the object of every header
 * it builds on first use.
 */
export function getFirstHeader(rawHeaders: readonly string[], lowerCaseName: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) if (isHeaderNamed(rawHeaders[i]!, lowerCaseName)) return rawHeaders[i + 1];
  return undefined;
}

/**
 * Whether `name` is `lowerCaseName` in any case. Lower-cased only when the length matches: a
 * request's pipeline looks up several headers, and lower-casing every name for each made a new
 * string per header per lookup.
 */
function isHeaderNamed(name: string, lowerCaseName: string): boolean {
  return name.length === lowerCaseName.length && (name === lowerCaseName || name.toLowerCase() === lowerCaseName);
}
