import { getHeader, type GatewayRequest } from '../../http/gateway-request.js';
import { encodeRequestBody } from '../body.js';
import type { EventInput } from '../event-input.js';
import { foldHeadersV2, forEachQueryPair, parseQueryV2, splitCookieHeader } from '../headers.js';
import { RewrittenHeaders, withIntegrationHeaders, type ForwardedInfo } from '../integration-headers.js';
import { formatRequestTime } from '../request-time.js';

/**
 * The payload format 2.0 event (§4.1) as JSON text: exactly `JSON.stringify(buildEventV2(input))`,
 * same fields, same order, written without building the event first. The event reaches the
 * handler's worker thread as text and this runs on every request, where building the object
 * and then stringifying it costs several times more. `buildEventV2` stays the readable
 * statement of the rules; event-json.test.ts holds the two to the same output.
 */
export function serializeEventV2(input: EventInput): string {
  const { request, api } = input;
  const routeKey = escapeJson(input.routeKey);
  const path = escapeJson(input.decodedPath);
  const headers = serializeHeaders(request, input.forwarded);
  const query = serializeQuery(request.rawQueryString);
  // Only a body needs the Content-Type; without one, skip the header scan.
  const encoded = encodeRequestBody(request.body, request.body && getHeader(request.rawHeaders, 'content-type'));
  // The quotes of string values sit in the literals around them: the result is a rope of
  // these pieces, and fewer pieces are quicker to join and to flatten when it is posted.
  return (
    `{"version":"2.0","routeKey":"${routeKey}","rawPath":"${path}","rawQueryString":"${escapeJson(request.rawQueryString)}"` +
    (headers.cookies === undefined ? '' : `,"cookies":${headers.cookies}`) +
    `,"headers":${headers.headers}` +
    (query === undefined ? '' : `,"queryStringParameters":${query}`) +
    mapField('pathParameters', input.pathParameters) +
    stageVariablesField(input.stageVariables) +
    `,"requestContext":{"accountId":"${escapeJson(api.accountId)}","apiId":"${escapeJson(api.apiId)}"` +
    authorizerField(input.authorizer) +
    `,"domainName":"${escapeJson(api.domainName)}","domainPrefix":"${escapeJson(api.domainPrefix)}"` +
    `,"http":{"method":"${escapeJson(request.method)}","path":"${path}","protocol":"HTTP/1.1"` +
    `,"sourceIp":"${escapeJson(request.sourceIp)}","userAgent":"${headers.userAgent}"}` +
    `,"requestId":"${escapeJson(request.requestId)}","routeKey":"${routeKey}","stage":"${escapeJson(input.stage)}"` +
    // Digits, month letters and `/: +`: nothing to escape.
    `,"time":"${formatRequestTime(request.timeEpoch)}","timeEpoch":${numberJson(request.timeEpoch)}}` +
    (encoded.body === undefined ? '' : `,"body":"${escapeJson(encoded.body)}"`) +
    `,"isBase64Encoded":${encoded.isBase64Encoded}}`
  );
}

/** The header-derived parts of the event, as JSON. */
interface HeadersJson {
  cookies: string | undefined;
  headers: string;
  /** Escaped, without the quotes: browsers' are long, and already escaped for `headers`. */
  userAgent: string;
}

/**
 * `withIntegrationHeaders` then `foldHeadersV2`, in one pass over the raw pairs that lower-cases
 * each name once (the rewritten headers' rules are shared: `RewrittenHeaders`).
 */
function serializeHeaders(request: GatewayRequest, forwarded: ForwardedInfo | undefined): HeadersJson {
  const raw = request.rawHeaders;
  let cookies: string[] | undefined;
  const rewritten = new RewrittenHeaders(forwarded);
  startFold();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (name === 'cookie') cookies = splitCookieHeader(value, cookies);
    else if (!rewritten.take(name, value)) fold(name, value);
  }
  // The headers API Gateway adds come last and are never repeats, as the client's own
  // copies were taken out above.
  const added =
    `"x-amzn-trace-id":"${escapeJson(rewritten.traceId(request))}"` +
    `,"x-forwarded-for":"${escapeJson(rewritten.forwardedFor(request))}"` +
    (forwarded ? `,"x-forwarded-port":"${escapeJson(forwarded.port)}","x-forwarded-proto":"${escapeJson(forwarded.proto)}"` : '');
  const headers = foldedJson(added);
  if (headers === undefined) {
    const folded = foldHeadersV2(withIntegrationHeaders(request, forwarded));
    return {
      cookies: folded.cookies && JSON.stringify(folded.cookies),
      headers: JSON.stringify(folded.headers),
      userAgent: escapeJson(folded.headers['user-agent'] ?? ''),
    };
  }
  return { cookies: cookies?.length ? JSON.stringify(cookies) : undefined, headers, userAgent: foldedValue('user-agent') ?? '' };
}

/** `queryStringParameters` as JSON; `undefined` when the field is left out. */
function serializeQuery(rawQueryString: string): string | undefined {
  if (rawQueryString === '') return undefined;
  startFold();
  forEachQueryPair(rawQueryString, fold);
  if (foldedCount === 0) return undefined;
  return foldedJson('') ?? JSON.stringify(parseQueryV2(rawQueryString));
}

// The map being folded, as the Maps of foldHeadersV2 and parseQueryV2 fold it: names in
// first-seen order, repeated values comma-joined. A linear search beats a Map for a dozen
// names and allocates nothing; the arrays are reused, which is safe as serializing is
// synchronous. Past MAX_FOLDED names the fold gives up and the reference fold takes over.
const MAX_FOLDED = 24;
const foldedNames: string[] = [];
const foldedValues: string[] = [];
let foldedCount = 0;

function startFold(): void {
  foldedCount = 0;
}

function fold(name: string, value: string): void {
  if (foldedCount > MAX_FOLDED) return;
  for (let k = 0; k < foldedCount; k++) {
    if (foldedNames[k] === name) {
      foldedValues[k] += `,${value}`;
      return;
    }
  }
  foldedNames[foldedCount] = name;
  foldedValues[foldedCount] = value;
  foldedCount++;
}

function foldedValue(name: string): string | undefined {
  for (let k = 0; k < foldedCount; k++) if (foldedNames[k] === name) return foldedValues[k];
  return undefined;
}

/**
 * The folded map, followed by the `"name":"value"` entries of `tail`, as a JSON object; or
 * `undefined` when it cannot be written in the object's order: too many names, or a name
 * starting with a digit, since objects list array-index keys ("0", "123") before the others.
 * Leaves the folded values escaped, for `foldedValue` to return that way.
 */
function foldedJson(tail: string): string | undefined {
  if (foldedCount > MAX_FOLDED) return undefined;
  let json = '{';
  for (let k = 0; k < foldedCount; k++) {
    const name = foldedNames[k]!;
    const first = name.charCodeAt(0);
    if (first >= 0x30 && first <= 0x39) return undefined;
    const value = escapeJson(foldedValues[k]!);
    foldedValues[k] = value;
    json += `${k === 0 ? '"' : ',"'}${escapeJson(name)}":"${value}"`;
  }
  if (tail !== '') json += foldedCount === 0 ? tail : `,${tail}`;
  return `${json}}`;
}

/**
 * `,"field":{…}` for a map with entries, `''` without. `for…in` visits own keys in the order
 * JSON.stringify writes them, array indices first included.
 */
function mapField(field: string, map: Record<string, string> | undefined): string {
  let json = '';
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    json += `${json === '' ? `,"${field}":{"` : ',"'}${escapeJson(key)}":"${escapeJson(map[key]!)}"`;
  }
  return json === '' ? '' : `${json}}`;
}

// Stage variables come from the resolved config, one object for every request, so their text
// is kept: an object changed after its first event would keep its old text. Weak keys let a
// reloaded config's text go.
const stageVariablesFields = new WeakMap<Record<string, string>, string>();

function stageVariablesField(stageVariables: Record<string, string> | undefined): string {
  if (stageVariables === undefined) return '';
  let field = stageVariablesFields.get(stageVariables);
  if (field === undefined) {
    field = mapField('stageVariables', stageVariables);
    stageVariablesFields.set(stageVariables, field);
  }
  return field;
}

// A verified token's claims are one frozen object, shared by every request carrying that token
// (@localgw/jwt's cache), so the text of `{ claims, scopes: null }` is kept per claims object.
const authorizerFields = new WeakMap<Readonly<Record<string, string>>, string>();

function authorizerField(authorizer: EventInput['authorizer']): string {
  if (authorizer === undefined) return '';
  const { claims, scopes } = authorizer.jwt;
  if (scopes !== null || !Object.isFrozen(claims)) return `,"authorizer":${JSON.stringify(authorizer)}`;
  let field = authorizerFields.get(claims);
  if (field === undefined) {
    field = `,"authorizer":${JSON.stringify(authorizer)}`;
    authorizerFields.set(claims, field);
  }
  return field;
}

// Any character JSON may not leave as it is: control characters, `"`, `\`, and surrogates.
const NEEDS_ESCAPE = /[^\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]/;

/**
 * `text` as it goes between the quotes of a JSON string. Nearly every value needs no escapes,
 * and a regex finds that out faster than JSON.stringify. Any surrogate, even a well-paired
 * one, goes to JSON.stringify, which knows to escape only the lone ones.
 */
function escapeJson(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/** As JSON.stringify writes a number: `null` for NaN and the infinities. */
function numberJson(value: number): string {
  return Number.isFinite(value) ? `${value}` : 'null';
}
