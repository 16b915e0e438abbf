const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='

const ENCODE = new Uint8Array(64);
const DECODE = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i);
  DECODE[ALPHABET.charCodeAt(i)] = i;
}
// The URL-safe alphabet decodes too: a handler that base64url-encodes its body still works.
DECODE[45] = 62; // '-'
DECODE[95] = 63; // '_'

// Base64 text is ASCII, so turning the output bytes into a string is one native call.
const ASCII = new TextDecoder();

/**
 * Node's `Buffer`, where core runs in Node: its base64 codec is native, about ten times the
 * loops below on a 1 MB body (issue 17's profile of the upload and download scenarios), and
 * decodes as leniently (base64.test.ts holds the two equal on every input it generates). The
 * loops are the definition, and what runs where there is no `Buffer`. Under `SMALL` bytes the
 * loops are as fast as the call into native code.
 */
interface NativeBase64 {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
}
const native = (globalThis as { Buffer?: NativeBase64 }).Buffer;
const SMALL = 96;

/** Standard, padded base64 of `bytes` (what API Gateway puts in a binary request `body`, §4.2). */
export function encodeBase64(bytes: Uint8Array): string {
  if (native !== undefined && bytes.length >= SMALL) return native.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return encodeBase64Portable(bytes);
}

/**
 * Decodes a handler's base64 `body` (`isBase64Encoded: true`, §4.4). Lenient, like Node's
 * `Buffer.from(text, 'base64')`: padding is optional, whitespace and characters outside the
 * alphabet are skipped, the URL-safe alphabet is accepted, and decoding stops at the first `=`.
 */
export function decodeBase64(text: string): Uint8Array {
  if (native !== undefined && text.length >= SMALL) {
    // A plain view of the decoded bytes, as the loops return: a Buffer behaves differently
    // in places (its `slice`, its `toString`, `toEqual` in tests).
    const decoded = native.from(text, 'base64');
    return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  }
  return decodeBase64Portable(text);
}

/** `encodeBase64` without native help. Exported for the tests that hold the two equal. */
export function encodeBase64Portable(bytes: Uint8Array): string {
  const length = bytes.length;
  const out = new Uint8Array(Math.ceil(length / 3) * 4);
  const whole = length - (length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENCODE[n >>> 18]!;
    out[o++] = ENCODE[(n >>> 12) & 63]!;
    out[o++] = ENCODE[(n >>> 6) & 63]!;
    out[o++] = ENCODE[n & 63]!;
  }
  if (whole < length) {
    const two = length - whole === 2;
    const n = (bytes[whole]! << 16) | (two ? bytes[whole + 1]! << 8 : 0);
    out[o++] = ENCODE[n >>> 18]!;
    out[o++] = ENCODE[(n >>> 12) & 63]!;
    out[o++] = two ? ENCODE[(n >>> 6) & 63]! : PAD;
    out[o] = PAD;
  }
  return ASCII.decode(out);
}

/** `decodeBase64` without native help. Exported for the tests that hold the two equal. */
export function decodeBase64Portable(text: string): Uint8Array {
  const out = new Uint8Array(Math.ceil((text.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === PAD) break;
    const value = code < 256 ? DECODE[code]! : -1;
    if (value < 0) continue;
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}
