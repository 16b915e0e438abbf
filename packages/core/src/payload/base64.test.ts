import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

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
