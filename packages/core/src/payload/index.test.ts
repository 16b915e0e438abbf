import { describe, expect, it } from 'vitest';
import { gatewayResponse } from '../http/gateway-responses.js';
import { PAYLOAD_FORMATS, type PayloadFormatVersion } from './index.js';
import { makeInput, makeRequest } from './test-support/event-input.js';

// One contract, two implementations: the rules §4.4 and §4.5 share run against both formats.
const VERSIONS = Object.keys(PAYLOAD_FORMATS) as PayloadFormatVersion[];

describe.each(VERSIONS)('§4 payload format %s: shared rules', (version) => {
  const { buildEvent, mapResult } = PAYLOAD_FORMATS[version];

  it('events carry their version', () => {
    expect(buildEvent(makeInput()).version).toBe(version);
  });

  it('events are plain JSON data', () => {
    const event = buildEvent(makeInput({ request: makeRequest({ rawQueryString: 'a=1', body: Uint8Array.of(1) }) }));
    expect(JSON.parse(JSON.stringify(event))).toStrictEqual(event);
  });

  it.each([
    ['{"statusCode":0}', 'statusCode 0'],
    ['{"statusCode":200.5}', 'statusCode 200.5'],
    ['{"statusCode":200,"body":[1]}', 'a non-string body'],
  ])('%s → 500 (%s)', (payload) => {
    expect(mapResult(payload)).toStrictEqual(gatewayResponse('INTERNAL_SERVER_ERROR'));
  });

  it('a structured response without content-type defaults to text/plain; charset=utf-8', () => {
    expect(mapResult('{"statusCode":418,"headers":{"X-A":"b"},"body":"short"}')).toStrictEqual({
      statusCode: 418,
      headers: [
        ['X-A', 'b'],
        ['content-type', 'text/plain; charset=utf-8'],
      ],
      body: 'short',
    });
  });

  it('isBase64Encoded: true sends the decoded bytes', () => {
    expect(mapResult('{"statusCode":200,"isBase64Encoded":true,"body":"aGk="}').body).toEqual(Uint8Array.of(104, 105));
  });
});

describe('§4 PAYLOAD_FORMATS', () => {
  it('has exactly the versions HTTP APIs support', () => {
    expect(VERSIONS).toStrictEqual(['1.0', '2.0']);
  });

  it('differs where AWS differs: a bare JSON string is 200 in 2.0 and 500 in 1.0', () => {
    expect(PAYLOAD_FORMATS['2.0'].mapResult('"hi"').statusCode).toBe(200);
    expect(PAYLOAD_FORMATS['1.0'].mapResult('"hi"').statusCode).toBe(500);
  });
});
