// The URL-safe base64 alphabet: AWS ids have `-` and `_` (`JCJp2jd_vHcEPSQ=`, `WSgv-h3yFiAEJBA=`, §10).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Number of random bytes in an id: 11 bytes of base64 give AWS's 16-character `…=` shape. */
export const REQUEST_ID_BYTES = 11;

/**
 * API Gateway request ids look like `JCJSViW5PHcESow=` (§4.1): 15 characters of URL-safe base64
 * and a `=` (§10). Randomness is passed in so core
 * stays pure; the edge supplies `crypto.getRandomValues(new Uint8Array(REQUEST_ID_BYTES))`.
 */
export function formatRequestId(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 9; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const n = (bytes[9]! << 16) | (bytes[10]! << 8);
  return `${out}${ALPHABET[(n >> 18) & 63]!}${ALPHABET[(n >> 12) & 63]!}${ALPHABET[(n >> 6) & 63]!}=`;
}
