import { describe, expect, it } from 'vitest';
import { compileCors } from './compile-cors.js';

describe('§2.3 Access-Control-Allow-Origin (origin matcher)', () => {
  it('echoes an origin that matches an explicit entry', () => {
    const cors = compileCors({ allowOrigins: ['https://a.example.com', 'https://b.example.com'] });
    expect(cors.allowOrigin('https://b.example.com')).toBe('https://b.example.com');
    expect(cors.allowOrigin('https://c.example.com')).toBeUndefined();
  });

  it('§8.2: never concatenates allowOrigins; only the requesting origin comes back', () => {
    const cors = compileCors({ allowOrigins: ['https://a.com', 'https://b.com'] });
    expect(cors.allowOrigin('https://a.com')).toBe('https://a.com');
    expect(cors.allowOrigin('https://a.com,https://b.com')).toBeUndefined();
  });

  it('matches exactly: no prefix, suffix, port or scheme slack', () => {
    const cors = compileCors({ allowOrigins: ['https://example.com'] });
    for (const origin of ['https://example.com.evil.com', 'https://sub.example.com', 'http://example.com', 'https://example.com:8443', 'null', '']) {
      expect(cors.allowOrigin(origin)).toBeUndefined();
    }
  });

  it('"Origin case": compares without case, echoes the Origin as sent', () => {
    const cors = compileCors({ allowOrigins: ['http://MyORIGIN.com'] });
    expect(cors.allowOrigin('http://myorigin.com')).toBe('http://myorigin.com');
    expect(cors.allowOrigin('HTTP://MYORIGIN.COM')).toBe('HTTP://MYORIGIN.COM');
  });

  it('"https://*" echoes any https origin and nothing else', () => {
    const cors = compileCors({ allowOrigins: ['https://*'] });
    expect(cors.allowOrigin('https://localhost:4000')).toBe('https://localhost:4000');
    expect(cors.allowOrigin('http://localhost:4000')).toBeUndefined();
    expect(cors.allowOrigin('https://')).toBeUndefined();
  });

  it('"http://*" echoes any http origin and nothing else', () => {
    const cors = compileCors({ allowOrigins: ['http://*'] });
    expect(cors.allowOrigin('http://localhost:4000')).toBe('http://localhost:4000');
    expect(cors.allowOrigin('https://localhost:4000')).toBeUndefined();
  });

  it('"*" answers "*" for any origin, "null" included', () => {
    const cors = compileCors({ allowOrigins: ['*'] });
    expect(cors.allowOrigin('https://anything.example')).toBe('*');
    expect(cors.allowOrigin('null')).toBe('*');
  });

  it('an explicit entry wins over "*" and is echoed', () => {
    const cors = compileCors({ allowOrigins: ['*', 'https://a.com'] });
    expect(cors.allowOrigin('https://a.com')).toBe('https://a.com');
    expect(cors.allowOrigin('https://b.com')).toBe('*');
  });

  it('no allowOrigins allows no origin', () => {
    expect(compileCors({}).allowOrigin('https://a.com')).toBeUndefined();
    expect(compileCors({ allowOrigins: [] }).allowOrigin('https://a.com')).toBeUndefined();
  });
});

describe('compileCors precomputed values', () => {
  it('joins header strings once', () => {
    const cors = compileCors({
      allowOrigins: ['https://a.com'],
      allowCredentials: true,
      exposeHeaders: ['Date', 'x-api-id'],
      maxAge: 300,
      allowMethods: ['GET', 'post'],
      allowHeaders: ['Authorization', 'Content-Type'],
    });
    expect(cors).toMatchObject({
      allowCredentials: true,
      exposeHeaders: 'Date,x-api-id',
      maxAge: '300',
      anyMethod: false,
      allowMethods: 'GET,POST',
      anyHeader: false,
      allowHeaders: 'Authorization,Content-Type',
    });
    expect([...cors.methods]).toEqual(['GET', 'POST']);
    expect([...cors.headers]).toEqual(['authorization', 'content-type']);
  });

  it('defaults: nothing exposed, no max-age, empty allow lists, no credentials', () => {
    expect(compileCors({})).toMatchObject({
      allowCredentials: false,
      exposeHeaders: undefined,
      maxAge: undefined,
      anyMethod: false,
      allowMethods: '',
      anyHeader: false,
      allowHeaders: '',
    });
    expect(compileCors({ exposeHeaders: [] }).exposeHeaders).toBeUndefined();
  });

  it('keeps maxAge -1 and 0 as they are', () => {
    expect(compileCors({ maxAge: -1 }).maxAge).toBe('-1');
    expect(compileCors({ maxAge: 0 }).maxAge).toBe('0');
  });

  it('records "*" separately from the method and header sets', () => {
    const cors = compileCors({ allowMethods: ['GET', '*'], allowHeaders: ['x-a', '*'] });
    expect(cors.anyMethod).toBe(true);
    expect(cors.anyHeader).toBe(true);
    expect(cors.methods.has('*')).toBe(false);
    expect(cors.headers.has('*')).toBe(false);
  });
});
