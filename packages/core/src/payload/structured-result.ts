import { gatewayResponse, type GatewayResponse } from '../http/gateway-responses.js';
import { decodeBase64 } from './base64.js';

/**
 * What became of a handler's output. `malformed` is AWS's "The response from the Lambda
 * function doesn't match the format that API Gateway expects": the client gets
 * `500 {"message":"Internal Server Error"}` (§4.6) and `reason` is for the log line.
 */
export type ResultOutcome =
  | { kind: 'response'; response: GatewayResponse }
  | { kind: 'malformed'; response: GatewayResponse; reason: string };

/** Which optional response fields a payload version reads (§4.4 vs §4.5). */
export interface StructuredFields {
  /** 2.0: `cookies` → one `set-cookie` each. */
  cookies: boolean;
  /** 1.0: `multiValueHeaders` merged with `headers`. */
  multiValueHeaders: boolean;
}

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=utf-8';

// A header name is an RFC 9110 token; a value may not hold CR, LF, NUL or characters beyond
// Latin-1 (the same check node:http applies, which would otherwise throw at write time).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

export function malformed(reason: string): ResultOutcome {
  return { kind: 'malformed', response: gatewayResponse('INTERNAL_SERVER_ERROR'), reason };
}

/** `{"a":1}` → `'object'`, `[1]` → `'array'`, `null` → `'null'`: for error messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Maps a handler result object that has a `statusCode` (2.0, §4.4) or must have one (1.0,
 * §4.5). Rules, with AWS evidence where it exists:
 *
 * - `statusCode` must be an integer; `0` and `200.5` are 500 [AWS-CAP]. Accepted range is
 *   200–599: 1xx is not a final response and above 599 is not HTTP [INF].
 * - `body` must be a string (`null` or absent = empty); any other type is 500, AWS logging
 *   "Lambda body contains the wrong type for field \"body\"" ([CAP] aws/aws-lambda-go#373).
 * - `isBase64Encoded: true` base64-decodes the body to bytes, whatever the content type.
 * - `headers` values: strings as-is, numbers and booleans stringified (what
 *   `@types/aws-lambda` allows), `null` skipped; objects and arrays are 500 [INF].
 * - A header name or value node:http cannot send is 500 rather than a crash [INF].
 * - No `content-type` in any header → `text/plain; charset=utf-8` [AWS-CAP].
 * - `content-length`, `transfer-encoding`, `connection`, `keep-alive` are the gateway's own and dropped.
 * - Every other key is ignored.
 *
 * `bodyBytes` stands for a `body` the handler's thread has already turned into the bytes sent
 * (UTF-8, or decoded from base64 when `isBase64Encoded`; @localgw/runtime's result-body.ts):
 * `result` then has no `body`, and the response is the one the whole result would give.
 */
export function mapStructuredResult(result: Record<string, unknown>, fields: StructuredFields, bodyBytes?: Uint8Array): ResultOutcome {
  const { statusCode } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 200 || statusCode > 599) {
    return malformed(`statusCode must be an integer from 200 to 599, got ${JSON.stringify(statusCode) ?? 'undefined'}`);
  }

  const { body, isBase64Encoded } = result;
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return malformed(`body must be a string, got ${describeJsonType(body)}`);
  }
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') {
    return malformed(`isBase64Encoded must be a boolean, got ${describeJsonType(isBase64Encoded)}`);
  }

  const headers: Array<[string, string]> = [];
  const problem =
    addHeaderMap(headers, result.headers) ??
    (fields.multiValueHeaders ? addMultiValueHeaders(headers, result.multiValueHeaders) : undefined) ??
    (fields.cookies ? addCookies(headers, result.cookies) : undefined);
  if (problem !== undefined) return malformed(problem);

  if (!headers.some(([name]) => name.length === 12 && name.toLowerCase() === 'content-type')) {
    headers.push(['content-type', DEFAULT_CONTENT_TYPE]);
  }
  const text = body ?? '';
  return {
    kind: 'response',
    response: { statusCode, headers, body: bodyBytes ?? (isBase64Encoded === true ? decodeBase64(text) : text) },
  };
}

function addHeader(out: Array<[string, string]>, field: string, name: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return `${field}["${name}"] must be a string, number or boolean, got ${describeJsonType(value)}`;
  }
  const text = String(value);
  if (!HEADER_NAME.test(name)) return `${field}: "${name}" is not a valid header name`;
  if (INVALID_HEADER_VALUE.test(text)) return `${field}["${name}"] contains characters not allowed in a header value`;
  if (GATEWAY_OWNED.has(name.toLowerCase())) return undefined;
  out.push([name, text]);
  return undefined;
}

/**
 * Framing and connection headers are API Gateway's own (§7.2: it sets Content-Length and
 * Connection itself). A handler's values would contradict the body actually sent and corrupt
 * keep-alive connections, so they are dropped [INF].
 */
const GATEWAY_OWNED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

function addHeaderMap(out: Array<[string, string]>, map: unknown): string | undefined {
  if (map === undefined || map === null) return undefined;
  if (typeof map !== 'object' || Array.isArray(map)) return `headers must be an object, got ${describeJsonType(map)}`;
  for (const [name, value] of Object.entries(map)) {
    const problem = addHeader(out, 'headers', name, value);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function addMultiValueHeaders(out: Array<[string, string]>, map: unknown): string | undefined {
  if (map === undefined || map === null) return undefined;
  if (typeof map !== 'object' || Array.isArray(map)) {
    return `multiValueHeaders must be an object, got ${describeJsonType(map)}`;
  }
  for (const [name, values] of Object.entries(map)) {
    if (values === null) continue;
    if (!Array.isArray(values)) return `multiValueHeaders["${name}"] must be an array, got ${describeJsonType(values)}`;
    for (const value of values) {
      const problem = addHeader(out, 'multiValueHeaders', name, value);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function addCookies(out: Array<[string, string]>, cookies: unknown): string | undefined {
  if (cookies === undefined || cookies === null) return undefined;
  if (!Array.isArray(cookies)) return `cookies must be an array of strings, got ${describeJsonType(cookies)}`;
  for (const cookie of cookies) {
    if (typeof cookie !== 'string') return `cookies must be an array of strings, found ${describeJsonType(cookie)}`;
    const problem = addHeader(out, 'cookies', 'set-cookie', cookie);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
