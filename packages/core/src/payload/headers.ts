/**
 * Header, cookie and query-string folding shared by both payload formats (§4.1, §4.3).
 * Headers come in as flat `[name, value, name, value, …]` pairs, like Node's `rawHeaders`.
 * A header or parameter named `__proto__` becomes an ordinary key, never the object's prototype
 * (`Object.fromEntries`, or `foldInto`'s own-property definition).
 */

/** Payload 2.0 `headers` and `cookies` (§4.1). */
export interface FoldedHeadersV2 {
  /** Names lower-cased; repeated headers comma-joined (`"value1,value2"`); no `cookie`. */
  headers: Record<string, string>;
  /** The `Cookie` header split into `name=value` strings; `undefined` when there is none. */
  cookies: string[] | undefined;
}

/**
 * Folds header pairs the 2.0 way (§4.1, §8 items 10 and 18): lower-case names, repeats joined
 * with `,`, and the `cookie` header removed from `headers` and split into `cookies`.
 */
export function foldHeadersV2(pairs: readonly string[]): FoldedHeadersV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i]!.toLowerCase();
    const value = pairs[i + 1]!;
    if (name === 'cookie') cookies = splitCookieHeader(value, cookies);
    else foldInto(headers, name, value);
  }
  return { headers, cookies: cookies?.length ? cookies : undefined };
}

/**
 * Sets `key` to `value`, or appends `,value` to the value already there: folding straight into
 * a plain object, names in first-seen order as a Map would keep them (this runs for every event,
 * where a Map and `Object.fromEntries` cost twice as much). `__proto__` is defined as an own
 * key: assigned, it would try to set the prototype.
 */
function foldInto(target: Record<string, string>, key: string, value: string): void {
  if (Object.hasOwn(target, key)) target[key] = `${target[key]!},${value}`;
  else if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Splits a `Cookie` header into `name=value` strings (§4.1: `session=abc123; theme=dark` →
 * `["session=abc123","theme=dark"]`). Browsers separate with `; `; a bare `;` is accepted and
 * empty pieces are dropped [INF]. Appends to `into` when given (several Cookie headers).
 */
export function splitCookieHeader(value: string, into: string[] = []): string[] {
  for (const piece of value.split(';')) {
    const cookie = piece.trim();
    if (cookie !== '') into.push(cookie);
  }
  return into;
}

/** Payload 1.0 `headers` and `multiValueHeaders` (§4.3). */
export interface FoldedHeadersV1 {
  /** Original-case names (first spelling seen), **last** value of each. */
  headers: Record<string, string>;
  /** Original-case names, every value in order. */
  multiValueHeaders: Record<string, string[]>;
}

/**
 * Folds header pairs the 1.0 way (§4.3, §8 item 18): `headers` holds the last value and
 * `multiValueHeaders` all of them. Names differing only in case are one header. The `cookie`
 * header stays.
 *
 * Names: the headers API Gateway itself reads or writes get its canonical spelling whatever the
 * client sent, and every other name is kept as sent, under its first spelling. That is what both
 * captures show together: an HTTP/2 client (every name lower-case on the wire) got
 * `Content-Length`, `Content-Type`, `Host`, `User-Agent`, `X-Amzn-Trace-Id`, `X-Forwarded-*` but
 * `accept` (§10), and HTTP/1.1 clients' names arrive in their own case (§4.3).
 */
export function foldHeadersV1(pairs: readonly string[]): FoldedHeadersV1 {
  const byName = new Map<string, { name: string; values: string[] }>();
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i]!;
    const key = name.toLowerCase();
    const entry = byName.get(key);
    if (entry) entry.values.push(pairs[i + 1]!);
    else byName.set(key, { name: canonicalNameV1(key) ?? name, values: [pairs[i + 1]!] });
  }
  const single: Array<[string, string]> = [];
  const multi: Array<[string, string[]]> = [];
  for (const { name, values } of byName.values()) {
    single.push([name, values[values.length - 1]!]);
    multi.push([name, values]);
  }
  return { headers: Object.fromEntries(single), multiValueHeaders: Object.fromEntries(multi) };
}

/** The spelling a 1.0 event gives `lowerCaseName` whatever its case on the wire (§10), if it has one. */
function canonicalNameV1(lowerCaseName: string): string | undefined {
  switch (lowerCaseName) {
    case 'content-length':
      return 'Content-Length';
    case 'content-type':
      return 'Content-Type';
    case 'host':
      return 'Host';
    case 'user-agent':
      return 'User-Agent';
    case 'x-amzn-trace-id':
      return 'X-Amzn-Trace-Id';
    case 'x-forwarded-for':
      return 'X-Forwarded-For';
    case 'x-forwarded-port':
      return 'X-Forwarded-Port';
    case 'x-forwarded-proto':
      return 'X-Forwarded-Proto';
    default:
      return undefined;
  }
}

/**
 * Percent-decodes one query-string key or value. `+` is a space, as in URL form encoding:
 * API Gateway turns `?sort=-+createdAt` into `"- createdAt"` ([CAP] aws/aws-cdk#19827), and a
 * literal plus must be sent as `%2B`. Malformed escapes (`%zz`, a lone `%E2`) stay as written
 * rather than failing the request [INF].
 */
export function decodeQueryComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, decodeEscapesOrKeep);
  }
}

function decodeEscapesOrKeep(escapes: string): string {
  try {
    return decodeURIComponent(escapes);
  } catch {
    return escapes;
  }
}

/** Calls `onPair` with each decoded `key, value` of a raw query string, in order. */
function forEachQueryPair(rawQueryString: string, onPair: (key: string, value: string) => void): void {
  for (const part of rawQueryString.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    // `?flag` has the value `""`, like `?flag=` [INF].
    if (equals < 0) onPair(decodeQueryComponent(part), '');
    else onPair(decodeQueryComponent(part.slice(0, equals)), decodeQueryComponent(part.slice(equals + 1)));
  }
}

/**
 * Payload 2.0 `queryStringParameters` (§1.4, §4.1): decoded, repeated keys comma-joined
 * (`tag=x&tag=y` → `{ tag: "x,y" }`). `undefined` when there are none, so the field is left out.
 */
export function parseQueryV2(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const params: Record<string, string> = {};
  let size = 0;
  forEachQueryPair(rawQueryString, (key, value) => {
    foldInto(params, key, value);
    size++;
  });
  return size === 0 ? undefined : params;
}

/** Payload 1.0 query maps (§4.3). */
export interface ParsedQueryV1 {
  /** The **last** value of each key (`"tag": ".NET Core"`). */
  queryStringParameters: Record<string, string>;
  /** Every value of each key, in order. */
  multiValueQueryStringParameters: Record<string, string[]>;
}

/**
 * Payload 1.0 query maps (§4.3, §8 item 18): decoded; last value wins in the single-value map.
 * `undefined` when there are none, so both fields become `null`.
 */
export function parseQueryV1(rawQueryString: string): ParsedQueryV1 | undefined {
  if (rawQueryString === '') return undefined;
  const params = new Map<string, string[]>();
  forEachQueryPair(rawQueryString, (key, value) => {
    const values = params.get(key);
    if (values) values.push(value);
    else params.set(key, [value]);
  });
  if (params.size === 0) return undefined;
  const single: Array<[string, string]> = [];
  for (const [key, values] of params) single.push([key, values[values.length - 1]!]);
  return { queryStringParameters: Object.fromEntries(single), multiValueQueryStringParameters: Object.fromEntries(params) };
}

/**
 * The decoded value of query parameter `name` (case-sensitive, §5.2, §6.2), repeats
 * comma-joined as 2.0 presents them; `undefined` when absent. For identity sources and mapping
 * values, which read one parameter.
 */
export function queryParameterValue(rawQueryString: string, name: string): string | undefined {
  if (rawQueryString === '') return undefined;
  let value: string | undefined;
  forEachQueryPair(rawQueryString, (key, item) => {
    if (key === name) value = value === undefined ? item : `${value},${item}`;
  });
  return value;
}
