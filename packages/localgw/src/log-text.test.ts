import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeLogText, logText, logValue } from './log-text.js';

// What must never reach a terminal raw (CWE-117): C0, DEL, C1, line/paragraph separators, bidi controls.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

const reference = (ch: string) => {
  const named: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
  const code = ch.charCodeAt(0);
  return named[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
};

describe('escapeLogText', () => {
  it('leaves ordinary text, non-ASCII letters and emoji as they are', () => {
    for (const text of ['', 'GET /items/42?x=1', 'jwt main ✓ sub=alice · 3.1 ms', 'café 日本 😀', '\\x1b literally']) {
      expect(escapeLogText(text)).toBe(text);
    }
  });

  it('writes CR, LF, tab and ESC as escapes, so a forged line stays on the line it came in', () => {
    const forged = 'x"\r\nGET /admin → GET /admin · 200 · 1.0 ms · jwt main ✓ sub=root\u001b[2K\t';
    expect(escapeLogText(forged)).toBe('x"\\r\\nGET /admin → GET /admin · 200 · 1.0 ms · jwt main ✓ sub=root\\x1b[2K\\t');
  });

  it('escapes DEL, the C1 controls (U+009B is a CSI), the line separators and the bidi controls', () => {
    expect(escapeLogText('a\u007fb\u009b2Jc\u0085d')).toBe('a\\x7fb\\x9b2Jc\\x85d');
    expect(escapeLogText('\u2028\u2029\u202e\u2066\u2069\u200e\u200f\u061c')).toBe('\\u2028\\u2029\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c');
  });

  it('never lets an unsafe character through, and changes nothing else (property)', () => {
    const char = fc.oneof(
      fc.constantFrom('\r', '\n', '\u001b', '\u0000', '\u009b', '\u007f', '\u2028', '\u202e', '\u2067', 'a', '·', '→', '😀', '\\'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 20 }).map((parts) => parts.join('')), (text) => {
        const escaped = escapeLogText(text);
        expect(escaped).not.toMatch(UNSAFE);
        if (!UNSAFE.test(text)) expect(escaped).toBe(text);
        // The same as a slow, obviously right version: each unsafe character replaced, nothing else.
        expect(escaped).toBe(text.replace(new RegExp(UNSAFE.source, 'g'), reference));
      }),
      { numRuns: 300 },
    );
  });
});

describe('logValue never throws', () => {
  it('strings as they are, primitives as String writes them', () => {
    expect([logValue('alice'), logValue(42), logValue(true), logValue(10n), logValue(null), logValue(undefined), logValue(Symbol('s'))]).toEqual([
      'alice', '42', 'true', '10', 'null', 'undefined', 'Symbol(s)',
    ]);
  });

  it('a claim that is an object (even one whose toString is not callable) as JSON', () => {
    const hostile = JSON.parse('{"toString":1,"valueOf":2}');
    expect(() => String(hostile)).toThrow(TypeError);
    expect(logValue(hostile)).toBe('{"toString":1,"valueOf":2}');
    expect(logValue(['a', 1])).toBe('["a",1]');
    expect(logValue(Object.create(null))).toBe('{}');
  });

  it('what JSON cannot write: its [object Tag], or its type when even that throws', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(logValue(cycle)).toBe('[object Object]');
    expect(logValue(() => 1)).toBe('[object Function]');
    const trap = new Proxy({}, { get: () => { throw new Error('no'); }, ownKeys: () => { throw new Error('no'); } });
    expect(logValue(trap)).toBe('[object]');
  });

  it('logText escapes whatever logValue wrote', () => {
    expect(logText({ sub: 'a\u001b[31m' })).toBe('{"sub":"a\\u001b[31m"}');
    expect(logText('a\nb')).toBe('a\\nb');
  });
});
