import { encodeBase64 } from './base64.js';

// §4.2: the only media types HTTP APIs pass as text. Everything else (form-urlencoded,
// multipart, octet-stream, image/*, a missing Content-Type) is base64. floci also lists
// application/graphql, at low confidence; it is left out here.
const TEXT_MEDIA_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

const UTF8 = new TextDecoder();

/**
 * Whether API Gateway passes a request body with this Content-Type as text rather than base64
 * (§4.2): `text/*`, `application/json`, `application/xml`, `application/javascript`, matched
 * case-insensitively, parameters allowed, but a charset other than UTF-8 makes it binary.
 *
 * @example isTextContentType('Application/JSON; charset=UTF-8') // true
 * @example isTextContentType('text/plain; charset=iso-8859-1') // false
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (!mediaType.startsWith('text/') && !TEXT_MEDIA_TYPES.has(mediaType)) return false;
  return semicolon < 0 || isUtf8Charset(contentType.slice(semicolon + 1));
}

/** `true` unless the parameters name a charset other than UTF-8 (measured as base64, §4.2). */
function isUtf8Charset(parameters: string): boolean {
  for (const parameter of parameters.split(';')) {
    const equals = parameter.indexOf('=');
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    let charset = parameter.slice(equals + 1).trim().toLowerCase();
    if (charset.length >= 2 && charset.startsWith('"') && charset.endsWith('"')) charset = charset.slice(1, -1);
    // `utf8` is not a registered name, but every runtime AWS could be written in accepts it [INF].
    return charset === 'utf-8' || charset === 'utf8';
  }
  return true;
}

/** The `body` and `isBase64Encoded` fields of an integration event. */
export interface EncodedBody {
  /** Absent when the request has no body (§4.2). */
  body?: string;
  isBase64Encoded: boolean;
}

const NO_BODY: EncodedBody = Object.freeze({ isBase64Encoded: false });

/**
 * Encodes request body bytes for the event (§4.2, both payload versions): text content types
 * as a UTF-8 string, everything else as base64. An empty body gives no `body` and `false`.
 */
export function encodeRequestBody(body: Uint8Array | undefined, contentType: string | undefined): EncodedBody {
  if (body === undefined || body.length === 0) return NO_BODY;
  return isTextContentType(contentType)
    ? { body: UTF8.decode(body), isBase64Encoded: false }
    : { body: encodeBase64(body), isBase64Encoded: true };
}
