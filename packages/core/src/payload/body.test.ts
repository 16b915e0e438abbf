import { describe, expect, it } from 'vitest';
import { encodeRequestBody, isTextContentType } from './body.js';
import { utf8 } from './test-support/event-input.js';

describe('§4.2 which request bodies are base64-encoded', () => {
  it.each([
    'text/plain',
    'text/html',
    'text/csv',
    'text/plain; charset=utf-8',
    'application/json',
    'application/json; charset=utf-8',
    'application/xml',
    'application/javascript',
    'Application/JSON',
    'TEXT/PLAIN; Charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; charset=utf8',
    '  application/json ; boundary=x',
  ])('%s is sent as text', (contentType) => {
    expect(isTextContentType(contentType)).toBe(true);
  });

  it.each([
    ['a missing Content-Type', undefined],
    ['an empty Content-Type', ''],
    ['form-urlencoded', 'application/x-www-form-urlencoded'],
    ['form-urlencoded with charset', 'application/x-www-form-urlencoded; charset=utf-8'],
    ['multipart', 'multipart/form-data; boundary=----x'],
    ['octet-stream', 'application/octet-stream'],
    ['an image', 'image/png'],
    ['a PDF', 'application/pdf'],
    ['a text type with a non-UTF-8 charset', 'text/plain; charset=iso-8859-1'],
    ['JSON with a non-UTF-8 charset', 'application/json; charset=utf-16'],
    ['a +json suffix type', 'application/vnd.api+json'],
    ['graphql (listed by floci only, conf L)', 'application/graphql'],
  ])('%s is base64 (%s)', (_label, contentType) => {
    expect(isTextContentType(contentType)).toBe(false);
  });

  it('an empty body gives no body field and isBase64Encoded false', () => {
    expect(encodeRequestBody(undefined, 'application/json')).toStrictEqual({ isBase64Encoded: false });
    expect(encodeRequestBody(new Uint8Array(0), 'application/octet-stream')).toStrictEqual({ isBase64Encoded: false });
    expect('body' in encodeRequestBody(undefined, undefined)).toBe(false);
  });

  it('a JSON body is passed as its UTF-8 text', () => {
    expect(encodeRequestBody(utf8('{"hello":"wörld"}'), 'application/json')).toStrictEqual({
      body: '{"hello":"wörld"}',
      isBase64Encoded: false,
    });
  });

  it('an octet-stream body is base64 (captured: 1..5 → "AQIDBAU=")', () => {
    expect(encodeRequestBody(Uint8Array.from([1, 2, 3, 4, 5]), 'application/octet-stream')).toStrictEqual({
      body: 'AQIDBAU=',
      isBase64Encoded: true,
    });
  });

  it('a form-urlencoded body is base64, not text', () => {
    expect(encodeRequestBody(utf8('a=1&b=2'), 'application/x-www-form-urlencoded')).toStrictEqual({
      body: 'YT0xJmI9Mg==',
      isBase64Encoded: true,
    });
  });

  it('a body without Content-Type is base64', () => {
    expect(encodeRequestBody(utf8('hi'), undefined)).toStrictEqual({ body: 'aGk=', isBase64Encoded: true });
  });
});
