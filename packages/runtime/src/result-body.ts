// A large response body, sent as bytes. A handler's result crosses to the gateway's thread as the
// JSON text Lambda's runtime would produce, which the gateway parses and then encodes again: a
// 1 MB download spent half of that thread in base64 decoding and a sixth in JSON.parse (issue 17).
// Here, in the handler's thread, a structured result's large `body` is taken out and turned into
// the bytes the client will get, once, with Node's native codecs; the gateway receives the rest of
// the result as JSON and the bytes by transfer, and maps them to the same response
// (`mapStructuredResult` of @localgw/core given `bodyBytes`; result-body.test.ts holds the two equal).
import type { WorkerOutcome } from './protocol.js';

/** Bodies shorter than this go in the JSON as usual: cheaper than a transfer. */
export const BYTES_BODY_MIN_LENGTH = 16 * 1024;

/** Text that JSON.stringify writes as it is, one byte per character: base64 (both alphabets). */
const JSON_SAFE_BASE64 = /^[A-Za-z0-9+/=_-]*$/;

/**
 * The outcome of a handler result whose `body` comes back as bytes, or `undefined` when the
 * result must travel whole: not a plain object with a numeric `statusCode` and a string `body`
 * of at least `BYTES_BODY_MIN_LENGTH`, an `isBase64Encoded` that is not a boolean (the gateway
 * answers 500 for it and must see it), or a size that could be near Lambda's response quota
 * (`maxPayloadBytes`, counted on the whole JSON: the usual path counts it exactly).
 */
export function splitResultBody(result: unknown, maxPayloadBytes: number): Extract<WorkerOutcome, { kind: 'ok' }> | undefined {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const prototype = Object.getPrototypeOf(result) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const fields = result as Record<string, unknown>;
  if (Object.hasOwn(fields, 'toJSON')) return undefined;
  const { body, isBase64Encoded, statusCode } = fields;
  if (typeof body !== 'string' || body.length < BYTES_BODY_MIN_LENGTH || typeof statusCode !== 'number') return undefined;
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') return undefined;

  const rest: Record<string, unknown> = { ...fields };
  delete rest.body;
  let payload: string;
  try {
    payload = JSON.stringify(rest);
  } catch {
    // The whole result fails the same way; the usual path reports it as Lambda does.
    return undefined;
  }
  // The body's share of the quota: at most 6 bytes a UTF-16 unit (`\u0001`); for base64 text,
  // exactly its length plus quotes, which is only made sure of when the bound is not enough.
  const overhead = Buffer.byteLength(payload) + ',"body":""'.length;
  const bytes = isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (overhead + body.length * 6 > maxPayloadBytes && !(isBase64Encoded === true && overhead + body.length <= maxPayloadBytes && isJsonSafeBase64(body, bytes.length))) {
    return undefined;
  }
  return { kind: 'ok', payload, body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/**
 * Whether `text`, which base64-decoded to `decodedLength` bytes, is only base64 characters,
 * which JSON.stringify writes as they are. Padded base64 has the exact length and padding of the
 * canonical encoding of its bytes only if the decoder used every character before the padding
 * (Node's skips the others): a test on lengths, where a regular expression spent 1.7 ms on each
 * 1 MB download (issue 17). Unpadded text goes to that regular expression.
 */
export function isJsonSafeBase64(text: string, decodedLength: number): boolean {
  const padding = (3 - (decodedLength % 3)) % 3;
  if (text.length === Math.ceil(decodedLength / 3) * 4 && trailingPadding(text) === padding) return true;
  return JSON_SAFE_BASE64.test(text);
}

function trailingPadding(text: string): number {
  let n = 0;
  while (n < 3 && text.charCodeAt(text.length - 1 - n) === 0x3d) n++;
  return n;
}
