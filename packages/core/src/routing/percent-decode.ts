/**
 * Percent-decodes `text` as UTF-8, as API Gateway does for paths and path parameters (§1.4).
 * Every escape is decoded, `%2F`, `%23` and `%40` included; `+` stays `+` (that rule belongs to
 * form bodies, not paths). A malformed escape (`%zz`, a lone `%`, a truncated or invalid UTF-8
 * sequence) is kept exactly as written instead of failing the whole request.
 */
export function decodePercent(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    // decodeURIComponent rejects the whole string for one bad escape; redo it one sequence at a time.
    return decodeEachSequence(text);
  }
}

/**
 * Percent-decodes `text` twice, as API Gateway decodes paths (§1.4 live capture, rule a):
 * `%252F` is `/`, `%2525` is `%`. Lenient like `decodePercent`.
 */
export function decodePercentTwice(text: string): string {
  if (!text.includes('%')) return text;
  const once = decodePercent(text);
  return once.includes('%') ? decodePercent(once) : once;
}

/** Whether every `%` in `text` starts a `%XX` escape of two hex digits. */
export function isPercentEncoded(text: string): boolean {
  for (let at = text.indexOf('%'); at !== -1; at = text.indexOf('%', at + 3)) {
    if (hexDigit(text.charCodeAt(at + 1)) === -1 || hexDigit(text.charCodeAt(at + 2)) === -1) return false;
  }
  return true;
}

function decodeEachSequence(text: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('%'); at !== -1; at = text.indexOf('%', from)) {
    out += text.slice(from, at);
    const length = sequenceLength(hexByte(text, at));
    const end = at + 3 * length;
    const decoded = length > 0 ? tryDecode(text, at, end) : undefined;
    if (decoded !== undefined) {
      out += decoded;
      from = end;
    } else {
      // Keep the first escape (or the lone `%`) verbatim and retry from the next character.
      const keep = hexByte(text, at) === -1 ? 1 : 3;
      out += text.slice(at, at + keep);
      from = at + keep;
    }
  }
  return out + text.slice(from);
}

/** The byte a `%XX` escape at `at` encodes, or -1 when there is no valid escape there. */
function hexByte(text: string, at: number): number {
  if (text.charCodeAt(at) !== 37 /* % */ || at + 2 >= text.length) return -1;
  const high = hexDigit(text.charCodeAt(at + 1));
  const low = hexDigit(text.charCodeAt(at + 2));
  return high === -1 || low === -1 ? -1 : high * 16 + low;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** How many bytes a UTF-8 sequence starting with `byte` has; 0 for a byte that cannot start one. */
function sequenceLength(byte: number): number {
  if (byte < 0) return 0;
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

function tryDecode(text: string, at: number, end: number): string | undefined {
  for (let i = at; i < end; i += 3) if (hexByte(text, i) === -1) return undefined;
  try {
    // Rejects bad continuation bytes, overlong forms and surrogates for us.
    return decodeURIComponent(text.slice(at, end));
  } catch {
    return undefined;
  }
}
