import { decodePercent, isPercentEncoded } from './percent-decode.js';

// How API Gateway reads a request's path, from a live capture (aws-behavior.md §1.4, July 2026):
// (a) the path is percent-decoded twice: `%252F` arrives as `/`, `%2525` as `%`;
// (b) a `?` that the first decoding produces ends the path (`/q%3Fvalue` is `/q`), while the
//     query string is still delivered whole;
// (c) a path that is not valid percent-encoding, as sent or once decoded (`%ZZ`, `%25done`),
//     is refused with 400 before routing;
// (d) every other escape decodes as usual, `%2F`, `%23` and UTF-8 included.
// Most paths have no `%` at all: for them each step below is one `indexOf` and no new string.

/**
 * The part of a raw path (no query string) that is the path (rule b): everything from the first
 * `%3F` on is dropped, since that is where the first decoding makes a `?`. Routing, the stage
 * prefix, payload 1.0's `path` and the HTTP proxy's target all read this form.
 *
 * @example pathBeforeDecodedQuery('/capture/question%3Fvalue') // '/capture/question'
 * @example pathBeforeDecodedQuery('/a%253Fb') // '/a%253Fb' (its `?` comes from the second decoding)
 */
export function pathBeforeDecodedQuery(rawPath: string): string {
  for (let at = rawPath.indexOf('%'); at !== -1; at = rawPath.indexOf('%', at + 1)) {
    if (rawPath.charCodeAt(at + 1) === 51 /* 3 */ && (rawPath.charCodeAt(at + 2) | 0x20) === 102 /* f */) return rawPath.slice(0, at);
  }
  return rawPath;
}

/**
 * The path as payload 2.0 reports it in `rawPath` and `requestContext.http.path`, and 1.0 in
 * `requestContext.path` (§1.4): `path` (from `pathBeforeDecodedQuery`) decoded twice, the stage
 * segment kept (§1.2). Undefined when API Gateway answers 400 before routing: an escape that is
 * not `%XX`, as sent or once decoded (rule c); and, since a request target that is not a path
 * cannot be routed, a path that does not start with `/` (`*`) or holds a backslash, which URL
 * parsers (browsers, WHATWG `URL`, `fetch`) read as `/`, so that one request would mean two
 * paths (RFC 9112 §3.2: an invalid request target is answered 400, not corrected).
 * A malformed UTF-8 sequence (`%FF`) is valid percent-encoding and is kept as written.
 *
 * @example decodeRequestPath('/users/John%20Doe') // '/users/John Doe'
 * @example decodeRequestPath('/a%252Fb%2525') // '/a/b%'
 * @example decodeRequestPath('/capture/percent%25done') // undefined: once decoded, `%do` is no escape
 */
export function decodeRequestPath(path: string): string | undefined {
  if (path.charCodeAt(0) !== 47 /* / */ || path.includes('\\')) return undefined;
  if (!path.includes('%')) return path;
  if (!isPercentEncoded(path)) return undefined;
  const once = decodePercent(path);
  if (!once.includes('%')) return once;
  return isPercentEncoded(once) ? decodePercent(once) : undefined;
}

/** Why `decodeRequestPath(path)` refused `path`, for the request log line. */
export function invalidPathReason(path: string): string {
  if (path.charCodeAt(0) !== 47) return 'the request target is not a path';
  if (path.includes('\\')) return 'a backslash in the path';
  if (!isPercentEncoded(path)) return 'the path is not valid percent-encoding';
  return 'the path is not valid percent-encoding once decoded (API Gateway decodes paths twice)';
}
