import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64 as decodeAny, decodeBase64Portable, encodeBase64 as encodeAny, encodeBase64Portable } from './base64.js';

// Every rule below holds for both codecs: the portable loops, and the one core uses (Node's
// native codec from 96 bytes up, where Node is).
const codecs = [
  { name: 'portable', encodeBase64: encodeBase64Portable, decodeBase64: decodeBase64Portable },
  { name: 'as used', encodeBase64: encodeAny, decodeBase64: decodeAny },
];

const bytes = (...values: number[]) => Uint8Array.from(values);

describe.each(codecs)('$name codec', ({ encodeBase64, decodeBase64 }) => {
  describe('§4.2 base64 request bodies', () => {
    it('encodes the captured binary body: bytes 1..5 → "AQIDBAU="', () => {
      expect(encodeBase64(bytes(1, 2, 3, 4, 5))).toBe('AQIDBAU=');
    });

    it('encodes the empty array as ""', () => {
      expect(encodeBase64(new Uint8Array(0))).toBe('');
    });

    it('pads one and two trailing bytes like RFC 4648', () => {
      expect(encodeBase64(bytes(0xff))).toBe('/w==');
      expect(encodeBase64(bytes(0xff, 0xfe))).toBe('//4=');
      expect(encodeBase64(bytes(0xff, 0xfe, 0xfd))).toBe('//79');
    });

    it('matches Buffer for every length 0..300 and every byte value', () => {
      const all = Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) & 0xff);
      for (let length = 0; length <= all.length; length++) {
        const slice = all.subarray(0, length);
        expect(encodeBase64(slice)).toBe(Buffer.from(slice).toString('base64'));
      }
    });

    it('encodes a subarray view, not its whole buffer', () => {
      const view = bytes(9, 9, 1, 2, 3, 9).subarray(2, 5);
      expect(encodeBase64(view)).toBe('AQID');
    });
  });

  describe('§4.4 base64 response bodies (isBase64Encoded: true)', () => {
    it('decodes "AQIDBAU=" to bytes 1..5', () => {
      expect(decodeBase64('AQIDBAU=')).toEqual(bytes(1, 2, 3, 4, 5));
    });

    it('round-trips every length 0..300', () => {
      const all = Uint8Array.from({ length: 300 }, (_, i) => (i * 31 + 7) & 0xff);
      for (let length = 0; length <= all.length; length++) {
        const slice = all.subarray(0, length);
        expect(decodeBase64(encodeBase64(slice))).toEqual(slice);
      }
    });

    it('accepts a body without padding', () => {
      expect(decodeBase64('AQIDBAU')).toEqual(bytes(1, 2, 3, 4, 5));
      expect(decodeBase64('/w')).toEqual(bytes(0xff));
    });

    it('skips whitespace and line breaks (MIME-style wrapped base64)', () => {
      expect(decodeBase64('AQID\r\nBAU=\n')).toEqual(bytes(1, 2, 3, 4, 5));
    });

    it('accepts the URL-safe alphabet', () => {
      expect(decodeBase64('__79')).toEqual(bytes(0xff, 0xfe, 0xfd));
      expect(decodeBase64('--79')).toEqual(decodeBase64('++79'));
    });

    it('ignores characters outside the alphabet, like Buffer.from(text, "base64")', () => {
      expect(decodeBase64('AQ!ID*BAU=')).toEqual(bytes(1, 2, 3, 4, 5));
      expect(decodeBase64('AQ€ID')).toEqual(bytes(1, 2, 3));
    });

    it('decodes "" to no bytes', () => {
      expect(decodeBase64('')).toEqual(new Uint8Array(0));
    });

    it('decodes UTF-8 text that a handler base64-encoded', () => {
      const text = 'héllo, wörld ✓';
      expect(new TextDecoder().decode(decodeBase64(Buffer.from(text).toString('base64')))).toBe(text);
    });
  });

  it('handles bodies past the native threshold the same way: 1 MB, wrapped, URL-safe, junk and early padding', () => {
    const big = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
    const text = encodeBase64(big);
    expect(text).toBe(Buffer.from(big).toString('base64'));
    // Compared as Buffers: a deep equality over a million elements takes seconds.
    expect(Buffer.from(decodeBase64(text)).equals(big)).toBe(true);
    const odd = `${text.slice(0, 4000).replace(/\+/g, '-').replace(/(.{76})/g, '$1\r\n')}*é€=AAAA`;
    expect(Buffer.from(decodeBase64(odd)).equals(Buffer.from(odd, 'base64'))).toBe(true);
  });
});

describe('the native and the portable codec agree (property)', () => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const anyChar = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...alphabet) },
    { weight: 2, arbitrary: fc.constantFrom('-', '_', '=', ' ', '\n', '\r', '\t', '.', '*', 'é', '€', '\u0000', '\ud83d') },
  );
  it('decodes every text alike, short or past the threshold', () => {
    fc.assert(
      fc.property(fc.array(anyChar, { maxLength: 400 }), (chars) => {
        const text = chars.join('');
        expect(Buffer.from(decodeAny(text))).toEqual(Buffer.from(decodeBase64Portable(text)));
      }),
      { numRuns: 3000 },
    );
  });
  it('encodes every byte string alike, views of larger buffers included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(8), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(encodeAny(view)).toBe(encodeBase64Portable(view));
      }),
      { numRuns: 2000 },
    );
  });
});
