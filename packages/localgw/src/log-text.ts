/**
 * Text that came from a request (the path, a header such as `Origin`, a token's unverified
 * `kid` or `iss`) reaches the console inside request log lines. Printed as it is, it could move
 * the cursor, recolour or clear the terminal, or end the line and print a forged one
 * (`GET /admin → GET /admin · 200 · … ✓ sub=root`): CWE-117. These characters are written as
 * escapes instead: the C0 controls (CR, LF, ESC…), DEL, the C1 controls (U+009B is a CSI on its
 * own, and a header value can carry it as the byte 0x9B), the Unicode line and paragraph
 * separators, and the bidirectional marks, embeddings, overrides and isolates, which reorder what
 * a reader sees (CVE-2021-42574).
 *
 * Hot path: one scan; text with nothing to escape, nearly all of it, is returned as it is.
 */
export function escapeLogText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (isUnsafe(c)) return escapeFrom(text, i);
  }
  return text;
}

function isUnsafe(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

const NAMED: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

function escapeFrom(text: string, first: number): string {
  let out = text.slice(0, first);
  let start = first;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || !isUnsafe(c)) continue;
    out += text.slice(start, i) + (NAMED[c] ?? (c < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
    start = i + 1;
  }
  return out + text.slice(start);
}

const hex = (c: number, width: number) => c.toString(16).padStart(width, '0');

/**
 * Any value as text for a log line, without ever throwing: a string as it is; numbers,
 * booleans, bigints, symbols, `null` and `undefined` as `String` writes them; anything else as
 * JSON where it can be (a claim that is an object), else its `[object Tag]`. `String(value)` and
 * template literals throw on an object whose `toString` is not callable, such as the claim
 * `{"sub":{"toString":1}}` of a verified token.
 */
export function logValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
  try {
    const json = JSON.stringify(value);
    if (typeof json === 'string') return json;
  } catch {
    // A cycle, a BigInt inside, or a toJSON that throws: fall through.
  }
  try {
    return Object.prototype.toString.call(value);
  } catch {
    // A Proxy or a Symbol.toStringTag getter that throws.
    return `[${typeof value}]`;
  }
}

/** {@link logValue}, escaped for the console: what a log line prints for a field. */
export function logText(value: unknown): string {
  return escapeLogText(typeof value === 'string' ? value : logValue(value));
}
