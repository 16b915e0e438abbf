import { describe, expect, it } from 'vitest';
import {
  decodeQueryComponent,
  foldHeadersV1,
  foldHeadersV2,
  parseQueryV1,
  parseQueryV2,
  splitCookieHeader,
} from './headers.js';

// The captured query string of TT-snap V2_UrlEncodedQueryString / V1_UrlEncodedQueryStringHttpV1.
const CAPTURED_QUERY = 'q=Hello%20World&tag=C%23%20Programming&tag=.NET%20Core';

describe('§4.1 payload 2.0 headers', () => {
  it('lower-cases names and comma-joins repeated headers ("header2":"value1,value2")', () => {
    const { headers } = foldHeadersV2(['Header1', 'value1', 'Header2', 'value1', 'header2', 'value2']);
    expect(headers).toStrictEqual({ header1: 'value1', header2: 'value1,value2' });
  });

  it('keeps commas inside a single value as they are', () => {
    expect(foldHeadersV2(['Accept', 'text/html, application/json']).headers).toStrictEqual({
      accept: 'text/html, application/json',
    });
  });

  it('removes the cookie header and splits it into cookies (§8 item 10)', () => {
    const folded = foldHeadersV2(['Cookie', 'session=abc123; theme=dark', 'Accept', '*/*']);
    expect(folded.cookies).toStrictEqual(['session=abc123', 'theme=dark']);
    expect(folded.headers).toStrictEqual({ accept: '*/*' });
  });

  it('collects cookies from several Cookie headers in order', () => {
    expect(foldHeadersV2(['cookie', 'a=1', 'Cookie', 'b=2; c=3']).cookies).toStrictEqual(['a=1', 'b=2', 'c=3']);
  });

  it('leaves cookies undefined without a Cookie header, or with an empty one', () => {
    expect(foldHeadersV2(['Accept', '*/*']).cookies).toBeUndefined();
    expect(foldHeadersV2(['Cookie', '']).cookies).toBeUndefined();
  });

  it('keeps a header named __proto__ as an ordinary key, repeats joined', () => {
    const { headers } = foldHeadersV2(['__proto__', 'x', '__PROTO__', 'y']);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.hasOwn(headers, '__proto__')).toBe(true);
    expect(headers['__proto__']).toBe('x,y');
    expect(JSON.stringify(headers)).toBe('{"__proto__":"x,y"}');
  });

  it('lists names in first-seen order (array-index names first, as any object does)', () => {
    const { headers } = foldHeadersV2(['B', '1', 'constructor', 'c', 'a', '2', '7', 'n', 'b', '3']);
    expect(JSON.stringify(headers)).toBe('{"7":"n","b":"1,3","constructor":"c","a":"2"}');
  });
});

describe('§4.1 cookie splitting', () => {
  it('splits on "; "', () => {
    expect(splitCookieHeader('session=abc123; theme=dark')).toStrictEqual(['session=abc123', 'theme=dark']);
  });

  it('also splits a bare ";" and drops empty pieces [INF]', () => {
    expect(splitCookieHeader('a=1;b=2; ;c=3;')).toStrictEqual(['a=1', 'b=2', 'c=3']);
  });

  it('keeps "=" and spaces inside a cookie value', () => {
    expect(splitCookieHeader('token=a=b==; msg=hello world')).toStrictEqual(['token=a=b==', 'msg=hello world']);
  });
});

describe('§4.3 payload 1.0 headers', () => {
  it('keeps the original case of names', () => {
    const { headers } = foldHeadersV1(['Content-Type', 'application/json', 'X-Forwarded-For', '1.2.3.4', 'accept', '*/*', 'X-Custom', 'a']);
    expect(headers).toStrictEqual({ 'Content-Type': 'application/json', 'X-Forwarded-For': '1.2.3.4', accept: '*/*', 'X-Custom': 'a' });
  });

  it('§10 spells the names API Gateway handles canonically, whatever the client sent (an HTTP/2 capture)', () => {
    const sent = ['content-length', 'content-type', 'host', 'user-agent', 'x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'accept'];
    const folded = foldHeadersV1(sent.flatMap((name) => [name.toUpperCase() === 'ACCEPT' ? name : name.toUpperCase(), 'v']));
    const expected = ['Content-Length', 'Content-Type', 'Host', 'User-Agent', 'X-Amzn-Trace-Id', 'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto', 'accept'];
    expect(Object.keys(folded.headers)).toStrictEqual(expected);
    expect(Object.keys(folded.multiValueHeaders)).toStrictEqual(expected);
    expect(Object.keys(foldHeadersV1(sent.flatMap((name) => [name, 'v'])).headers)).toStrictEqual(expected);
  });

  it('puts the last value in headers and every value in multiValueHeaders (§8 item 18)', () => {
    const folded = foldHeadersV1(['X-Multi', 'one', 'X-Multi', 'two']);
    expect(folded.headers).toStrictEqual({ 'X-Multi': 'two' });
    expect(folded.multiValueHeaders).toStrictEqual({ 'X-Multi': ['one', 'two'] });
  });

  it('treats names differing only in case as one header, under the first spelling', () => {
    const folded = foldHeadersV1(['X-Thing', 'a', 'x-thing', 'b']);
    expect(folded.headers).toStrictEqual({ 'X-Thing': 'b' });
    expect(folded.multiValueHeaders).toStrictEqual({ 'X-Thing': ['a', 'b'] });
  });

  it('keeps the Cookie header (1.0 has no cookies field)', () => {
    expect(foldHeadersV1(['Cookie', 'a=1; b=2']).headers).toStrictEqual({ Cookie: 'a=1; b=2' });
  });
});

describe('§1.4 query strings', () => {
  it('2.0: decodes the captured query and comma-joins repeated keys', () => {
    expect(parseQueryV2(CAPTURED_QUERY)).toStrictEqual({ q: 'Hello World', tag: 'C# Programming,.NET Core' });
  });

  it('2.0: repeated keys keep their order ("tag":"important,urgent")', () => {
    expect(parseQueryV2('tag=important&tag=urgent')).toStrictEqual({ tag: 'important,urgent' });
  });

  it('1.0: last value in queryStringParameters, all values in the multi-value map', () => {
    expect(parseQueryV1(CAPTURED_QUERY)).toStrictEqual({
      queryStringParameters: { q: 'Hello World', tag: '.NET Core' },
      multiValueQueryStringParameters: { q: ['Hello World'], tag: ['C# Programming', '.NET Core'] },
    });
  });

  it('an empty query string gives undefined (2.0 leaves the field out, 1.0 sends null)', () => {
    expect(parseQueryV2('')).toBeUndefined();
    expect(parseQueryV1('')).toBeUndefined();
    expect(parseQueryV2('&&')).toBeUndefined();
    expect(parseQueryV1('&')).toBeUndefined();
  });

  it('a key without "=" has the empty value, like "key=" [INF]', () => {
    expect(parseQueryV2('flag&x=')).toStrictEqual({ flag: '', x: '' });
  });

  it('splits on the first "=" only', () => {
    expect(parseQueryV2('token=a=b==')).toStrictEqual({ token: 'a=b==' });
  });

  it('decodes keys as well as values', () => {
    expect(parseQueryV2('a%5B%5D=1&a%5B%5D=2')).toStrictEqual({ 'a[]': '1,2' });
  });

  it('decodes "+" as a space and %2B as a plus ([CAP] aws/aws-cdk#19827: sort=-+createdAt → "- createdAt")', () => {
    expect(parseQueryV2('sort=-+createdAt&email=me%2Btest%40x.com')).toStrictEqual({
      sort: '- createdAt',
      email: 'me+test@x.com',
    });
  });

  it('keeps a query parameter named __proto__ as an ordinary key', () => {
    const v2 = parseQueryV2('__proto__=x&__proto__=y&toString=z')!;
    expect(Object.getPrototypeOf(v2)).toBe(Object.prototype);
    expect(JSON.stringify(v2)).toBe('{"__proto__":"x,y","toString":"z"}');
    const v1 = parseQueryV1('__proto__=x')!;
    expect(Object.hasOwn(v1.multiValueQueryStringParameters, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(v1.multiValueQueryStringParameters)).toBe(Object.prototype);
  });
});

describe('§1.4 query component decoding', () => {
  it.each([
    ['Hello%20World', 'Hello World'],
    ['C%23%20Programming', 'C# Programming'],
    ['caf%C3%A9', 'café'],
    ['a+b', 'a b'],
    ['plain', 'plain'],
    ['', ''],
  ])('%s → %s', (raw, decoded) => {
    expect(decodeQueryComponent(raw)).toBe(decoded);
  });

  it('keeps malformed escapes as written and still decodes the valid ones [INF]', () => {
    expect(decodeQueryComponent('100%')).toBe('100%');
    expect(decodeQueryComponent('%zz%20ok')).toBe('%zz ok');
    expect(decodeQueryComponent('%E2%82%AC-%E2')).toBe('€-%E2');
  });
});
