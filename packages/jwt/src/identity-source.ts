/**
 * Where a JWT authorizer reads its token (§3.1): exactly one `$request.header.NAME` or
 * `$request.querystring.NAME` entry.
 */
export type IdentitySource =
  | { kind: 'header'; name: string; lowerName: string; expression: string }
  | { kind: 'querystring'; name: string; expression: string };

export const DEFAULT_IDENTITY_SOURCE = '$request.header.Authorization';

/** The request fields the authorizer reads; structurally a subset of core's `GatewayRequest`. */
export interface TokenRequest {
  readonly rawHeaders: readonly string[];
  readonly rawQueryString: string;
}

export type TokenLookup = { ok: true; token: string } | { ok: false; reason: string };

// RFC 9110 token characters, the set a header name may use.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BEARER_PREFIX = /^bearer(?:[ \t]+|$)/i;

/**
 * Parses an identitySource expression. Returns an error message instead of throwing, so the
 * caller can add where the value came from.
 */
export function parseIdentitySource(expression: string): IdentitySource | string {
  if (expression.includes(',')) {
    return `"${expression}" lists several entries; a JWT authorizer takes exactly one (§3.1)`;
  }
  const header = /^\$request\.header\.(.+)$/.exec(expression);
  if (header) {
    const name = header[1]!;
    if (!HEADER_NAME.test(name)) return `"${name}" is not a valid HTTP header name`;
    return { kind: 'header', name, lowerName: name.toLowerCase(), expression };
  }
  const query = /^\$request\.querystring\.(.+)$/.exec(expression);
  if (query) {
    return { kind: 'querystring', name: query[1]!, expression };
  }
  return (
    `"${expression}" is not supported; a JWT authorizer reads its token from ` +
    `"$request.header.NAME" or "$request.querystring.NAME" (§3.1)`
  );
}

/**
 * Reads the token. Header names match case-insensitively and repeated headers are comma-joined;
 * query names match case-sensitively, values are form-decoded and repeats comma-joined (the way
 * payload 2.0 presents them, §4.1), so a duplicated token fails as malformed. A leading
 * `Bearer ` is removed, case-insensitively (§3.2 step 1, [INF]).
 */
export function readToken(source: IdentitySource, request: TokenRequest): TokenLookup {
  const raw = source.kind === 'header' ? readHeader(request.rawHeaders, source.lowerName) : readQuery(request.rawQueryString, source.name);
  const where = source.kind === 'header' ? `header "${source.name}"` : `query string parameter "${source.name}"`;
  if (raw === undefined) return { ok: false, reason: `missing ${where} (identitySource ${source.expression})` };
  const token = raw.trim().replace(BEARER_PREFIX, '').trim();
  if (token === '') return { ok: false, reason: `empty ${where} (identitySource ${source.expression})` };
  return { ok: true, token };
}

function readHeader(rawHeaders: readonly string[], lowerName: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === lowerName) {
      value = value === undefined ? rawHeaders[i + 1]! : `${value},${rawHeaders[i + 1]!}`;
    }
  }
  return value;
}

function readQuery(rawQueryString: string, name: string): string | undefined {
  if (rawQueryString === '') return undefined;
  let value: string | undefined;
  for (const pair of rawQueryString.split('&')) {
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    if (key !== name) continue;
    const item = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    value = value === undefined ? item : `${value},${item}`;
  }
  return value;
}

function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // a stray '%' stays as sent rather than failing the whole lookup
  }
}
