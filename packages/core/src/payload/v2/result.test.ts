import { describe, expect, it } from 'vitest';
import { gatewayResponse } from '../../http/gateway-responses.js';
import { interpretResultV2, mapResultV2 } from './result.js';

const INTERNAL_ERROR = gatewayResponse('INTERNAL_SERVER_ERROR');
const json = (body: string) => ({ statusCode: 200, headers: [['content-type', 'application/json']], body });

describe('§4.4 payload 2.0: output without statusCode is a 200 application/json body', () => {
  // The TT-resp table (InvokeResponseExtensionsTests, VariousPayloads_ReturnsAsRawBody).
  it.each([
    ['a JSON object without statusCode', '{"name": "John Doe", "age": 30}', '{"name": "John Doe", "age": 30}'],
    ['a JSON array', '[1, 2, 3, 4, 5]', '[1, 2, 3, 4, 5]'],
    ['a number', '42', '42'],
    ['a boolean', 'true', 'true'],
    ['null (a handler returning undefined) [INF]', 'null', 'null'],
    ['a JSON string', '"test"', 'test'],
    ['a JSON string with spaces', '"Hello, World!"', 'Hello, World!'],
    ['an empty JSON string', '""', ''],
    ['a JSON string with escaped quotes', '"Special \\"quoted\\" text"', 'Special "quoted" text'],
    ['a JSON string with unicode escapes', '"caf\\u00e9 \\n"', 'café \n'],
    ['text that is not JSON', 'Hello, World!', 'Hello, World!'],
    ['a half object', '{"name": "John Doe", "age":', '{"name": "John Doe", "age":'],
    ['an unterminated string', '"abc', '"abc'],
    ['empty output', '', ''],
    ['an object with whitespace around it, kept verbatim', '  {"a":1}\n', '  {"a":1}\n'],
  ])('%s: %s', (_label, payload, body) => {
    expect(mapResultV2(payload)).toStrictEqual(json(body));
  });

  it('does not look for statusCode inside nested objects or arrays', () => {
    expect(mapResultV2('[{"statusCode":404}]')).toStrictEqual(json('[{"statusCode":404}]'));
    expect(mapResultV2('{"data":{"statusCode":404}}')).toStrictEqual(json('{"data":{"statusCode":404}}'));
  });
});

describe('§4.4 payload 2.0: structured responses', () => {
  it('uses statusCode, headers and body', () => {
    expect(mapResultV2('{"statusCode":201,"headers":{"Content-Type":"application/xml"},"body":"<a/>"}')).toStrictEqual({
      statusCode: 201,
      headers: [['Content-Type', 'application/xml']],
      body: '<a/>',
    });
  });

  it('defaults Content-Type to text/plain; charset=utf-8, not application/json (§8 item 13)', () => {
    expect(mapResultV2('{"statusCode":200,"body":"hi"}')).toStrictEqual({
      statusCode: 200,
      headers: [['content-type', 'text/plain; charset=utf-8']],
      body: 'hi',
    });
  });

  it('finds an explicit content-type in any case', () => {
    expect(mapResultV2('{"statusCode":200,"headers":{"CONTENT-TYPE":"text/csv"}}').headers).toStrictEqual([
      ['CONTENT-TYPE', 'text/csv'],
    ]);
  });

  it('sends a comma-containing header value as one header (TT-snap: "test,shouldhavesecondvalue")', () => {
    const { headers } = mapResultV2('{"statusCode":200,"headers":{"myheader":"test,shouldhavesecondvalue"}}');
    expect(headers).toContainEqual(['myheader', 'test,shouldhavesecondvalue']);
    expect(headers.filter(([name]) => name === 'myheader')).toHaveLength(1);
  });

  it('turns each cookie into its own set-cookie header', () => {
    const { headers } = mapResultV2('{"statusCode":200,"cookies":["a=1; Path=/","b=2; HttpOnly"],"body":""}');
    expect(headers.filter(([name]) => name === 'set-cookie')).toStrictEqual([
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2; HttpOnly'],
    ]);
  });

  it('stringifies number and boolean header values, and skips null ones', () => {
    const { headers } = mapResultV2('{"statusCode":200,"headers":{"X-Count":5,"X-Flag":true,"X-None":null}}');
    expect(headers).toStrictEqual([
      ['X-Count', '5'],
      ['X-Flag', 'true'],
      ['content-type', 'text/plain; charset=utf-8'],
    ]);
  });

  it('isBase64Encoded decodes the body to bytes, whatever the content type (TT-snap V2_SetsBodyBase64)', () => {
    const response = mapResultV2('{"statusCode":200,"isBase64Encoded":true,"headers":{"content-type":"application/json"},"body":"eyJhIjoxfQ=="}');
    expect(response.body).toEqual(new TextEncoder().encode('{"a":1}'));
  });

  it('isBase64Encoded false keeps the body a string', () => {
    expect(mapResultV2('{"statusCode":200,"isBase64Encoded":false,"body":"AQID"}').body).toBe('AQID');
  });

  it('a missing or null body is empty', () => {
    expect(mapResultV2('{"statusCode":204}').body).toBe('');
    expect(mapResultV2('{"statusCode":204,"body":null}').body).toBe('');
    expect(mapResultV2('{"statusCode":200,"isBase64Encoded":true}').body).toEqual(new Uint8Array(0));
  });

  it('ignores keys outside statusCode, headers, cookies, body and isBase64Encoded (incl. multiValueHeaders)', () => {
    expect(
      mapResultV2('{"statusCode":200,"body":"x","multiValueHeaders":{"X-A":["1","2"]},"extra":{"deep":true}}'),
    ).toStrictEqual({ statusCode: 200, headers: [['content-type', 'text/plain; charset=utf-8']], body: 'x' });
  });

  it('a statusCode key with an object without other fields is still structured', () => {
    expect(mapResultV2('{"statusCode":404}')).toStrictEqual({
      statusCode: 404,
      headers: [['content-type', 'text/plain; charset=utf-8']],
      body: '',
    });
  });
});

describe('§4.4 / §4.6 payload 2.0: malformed structured responses are 500 Internal Server Error', () => {
  it.each([
    ['statusCode 0 (TT-snap V2_HandlesZeroStatusCode)', '{"statusCode":0,"body":"x"}'],
    ['statusCode 200.5 (TT-snap StatusCodeAsFloat)', '{"statusCode": 200.5, "body": "Hello", "headers": {"Content-Type": "text/plain"}}'],
    ['a negative statusCode', '{"statusCode":-200}'],
    ['statusCode as a string', '{"statusCode":"200"}'],
    ['statusCode null', '{"statusCode":null}'],
    ['a 1xx statusCode [INF]', '{"statusCode":101}'],
    ['statusCode above 599 [INF]', '{"statusCode":600}'],
    ['a body that is an object ([CAP] aws-lambda-go#373)', '{"statusCode":200,"body":{"a":1}}'],
    ['a body that is a number', '{"statusCode":200,"body":42}'],
    ['isBase64Encoded as a string', '{"statusCode":200,"isBase64Encoded":"true","body":"AQID"}'],
    ['headers as an array', '{"statusCode":200,"headers":["a"]}'],
    ['a header value that is an object [INF]', '{"statusCode":200,"headers":{"x":{"a":1}}}'],
    ['a header value with a newline', '{"statusCode":200,"headers":{"x":"a\\r\\nInjected: 1"}}'],
    ['an invalid header name', '{"statusCode":200,"headers":{"bad name":"v"}}'],
    ['cookies as a string', '{"statusCode":200,"cookies":"a=1"}'],
    ['a non-string cookie', '{"statusCode":200,"cookies":[1]}'],
  ])('%s', (_label, payload) => {
    const outcome = interpretResultV2(payload);
    expect(outcome.kind).toBe('malformed');
    expect(outcome.response).toStrictEqual(INTERNAL_ERROR);
  });

  it('the 500 body is {"message":"Internal Server Error"} with application/json (§8 item 14)', () => {
    expect(mapResultV2('{"statusCode":0}')).toStrictEqual({
      statusCode: 500,
      headers: [['content-type', 'application/json']],
      body: '{"message":"Internal Server Error"}',
    });
  });

  it('says what was wrong, for the log line', () => {
    expect(interpretResultV2('{"statusCode":200.5}')).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('200.5') });
    expect(interpretResultV2('{"statusCode":200,"body":{}}')).toMatchObject({ reason: 'body must be a string, got object' });
  });

  it('a well-formed response is kind "response"', () => {
    expect(interpretResultV2('{"statusCode":200}').kind).toBe('response');
    expect(interpretResultV2('"text"').kind).toBe('response');
  });
});

describe('§7.2 framing headers are the gateway\'s own', () => {
  it('drops content-length, transfer-encoding, connection and keep-alive from a handler response', () => {
    const response = mapResultV2(
      JSON.stringify({ statusCode: 200, headers: { 'Content-Length': '2', 'transfer-encoding': 'chunked', connection: 'close', 'keep-alive': 'timeout=1', 'x-kept': 'yes' }, body: 'hello world' }),
    );
    expect(response.headers).toEqual([
      ['x-kept', 'yes'],
      ['content-type', 'text/plain; charset=utf-8'],
    ]);
  });
});
