import { describe, expect, it } from 'vitest';
import { gatewayResponse } from '../../http/gateway-responses.js';
import { interpretResultV1, mapResultV1 } from './result.js';

const INTERNAL_ERROR = gatewayResponse('INTERNAL_SERVER_ERROR');

describe('§4.5 payload 1.0: the output must be an object with a valid statusCode', () => {
  it.each([
    ['text that is not JSON (TT-snap InvalidJson HttpV1)', 'Not a valid proxy response object'],
    ['"{invalid json}"', '{invalid json}'],
    ['empty output', ''],
    ['a JSON string', '"hello"'],
    ['a JSON array', '[1,2]'],
    ['a number', '42'],
    ['null', 'null'],
    ['an object without statusCode', '{"body":"x"}'],
    ['statusCode 0 (TT-snap V1_HandlesZeroStatusCodeHttpV1)', '{"statusCode":0,"body":"x"}'],
    ['statusCode 200.5', '{"statusCode":200.5}'],
    ['a non-string body', '{"statusCode":200,"body":{"a":1}}'],
    ['multiValueHeaders with a non-array value', '{"statusCode":200,"multiValueHeaders":{"X-A":"1"}}'],
  ])('%s → 500 {"message":"Internal Server Error"}, not REST\'s 502', (_label, payload) => {
    const outcome = interpretResultV1(payload);
    expect(outcome.kind).toBe('malformed');
    expect(outcome.response).toStrictEqual(INTERNAL_ERROR);
    expect(outcome.response.statusCode).toBe(500);
  });

  it('the 500 is exactly {"message":"Internal Server Error"} with application/json', () => {
    expect(mapResultV1('oops')).toStrictEqual({
      statusCode: 500,
      headers: [['content-type', 'application/json']],
      body: '{"message":"Internal Server Error"}',
    });
  });
});

describe('§4.5 payload 1.0: structured responses', () => {
  it('uses statusCode, headers and body (TT-resp ValidFullResponse HttpV1)', () => {
    expect(mapResultV1('{"statusCode": 201, "body": "Created", "headers": {"Content-Type": "application/json"}}')).toStrictEqual({
      statusCode: 201,
      headers: [['Content-Type', 'application/json']],
      body: 'Created',
    });
  });

  it('merges headers and multiValueHeaders: Combined-Header gets three values (TT-snap)', () => {
    const response = mapResultV1(
      JSON.stringify({
        statusCode: 200,
        headers: { 'X-Custom-Header': 'single-value', 'Combined-Header': 'single-value', 'Content-Type': 'application/json' },
        multiValueHeaders: { 'Combined-Header': ['multi-value1', 'multi-value2'], 'X-Multi-Header': ['multi-value1', 'multi-value2'] },
        body: '{"message":"With Combined Headers"}',
      }),
    );
    expect(response.headers.filter(([name]) => name === 'Combined-Header').map(([, value]) => value)).toStrictEqual([
      'single-value',
      'multi-value1',
      'multi-value2',
    ]);
    expect(response.headers.filter(([name]) => name === 'X-Multi-Header')).toHaveLength(2);
    expect(response.headers).toContainEqual(['X-Custom-Header', 'single-value']);
    expect(response.body).toBe('{"message":"With Combined Headers"}');
  });

  it('defaults Content-Type to text/plain; charset=utf-8 (TT-snap V1_DefaultsToCorrectContentTYpeHttpV1)', () => {
    expect(mapResultV1('{"statusCode":200,"body":"hi"}').headers).toStrictEqual([['content-type', 'text/plain; charset=utf-8']]);
  });

  it('a content-type given only in multiValueHeaders counts', () => {
    expect(mapResultV1('{"statusCode":200,"multiValueHeaders":{"Content-Type":["text/html"]}}').headers).toStrictEqual([
      ['Content-Type', 'text/html'],
    ]);
  });

  it('stringifies number and boolean values in multiValueHeaders and skips null entries', () => {
    expect(mapResultV1('{"statusCode":200,"multiValueHeaders":{"X-N":[1,true],"X-Null":null}}').headers).toStrictEqual([
      ['X-N', '1'],
      ['X-N', 'true'],
      ['content-type', 'text/plain; charset=utf-8'],
    ]);
  });

  it('isBase64Encoded decodes the body to bytes', () => {
    expect(mapResultV1('{"statusCode":200,"isBase64Encoded":true,"body":"AQIDBAU="}').body).toEqual(Uint8Array.from([1, 2, 3, 4, 5]));
  });

  it('ignores cookies (a 2.0 field)', () => {
    expect(mapResultV1('{"statusCode":200,"cookies":["a=1"]}').headers).toStrictEqual([
      ['content-type', 'text/plain; charset=utf-8'],
    ]);
  });
});
