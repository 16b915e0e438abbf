import { describe, expect, it } from 'vitest';
import { validateCors } from './validate-cors.js';
import { findCorsTraps } from './traps.js';

const paths = (issues: { path: string }[]) => issues.map((i) => i.path);
const only = (issues: ReturnType<typeof validateCors>) => {
  expect(issues).toHaveLength(1);
  return issues[0]!;
};

describe('§2.1 allowOrigins', () => {
  it.each([
    'https://www.example.com',
    'http://localhost:3000',
    'http://127.0.0.1:5173',
    'http://[::1]:8080',
    'https://App.Example.com',
    '*',
    'https://*',
    'http://*',
  ])('accepts %s', (origin) => {
    expect(validateCors({ allowOrigins: [origin] })).toEqual([]);
  });

  it('rejects a partial wildcard, saying there are no wildcard subdomains and showing an origin to list', () => {
    const issue = only(validateCors({ allowOrigins: ['https://a.com', 'https://*.example.com'] }));
    expect(issue).toMatchObject({ path: 'cors.allowOrigins[1]', severity: 'error' });
    expect(issue.message).toContain('partial wildcard');
    expect(issue.hint).toContain('no wildcard subdomains');
    expect(issue.hint).toContain('"https://www.example.com"');
  });

  it.each(['*.example.com', 'https://example.*', 'https://app-*.example.com', 'http://*:3000'])('rejects the wildcard form %s', (origin) => {
    expect(only(validateCors({ allowOrigins: [origin] })).message).toContain('partial wildcard');
  });

  it('rejects a malformed origin such as "https:/" (AWS-validated LocalStack test)', () => {
    const issue = only(validateCors({ allowOrigins: ['https:/'] }));
    expect(issue.message).toBe('"https:/" is not an origin');
    expect(issue.hint).toContain('scheme://host[:port]');
  });

  it.each([
    ['https://www.example.com/', 'ends with "/"', 'https://www.example.com'],
    ['https://www.example.com/app', 'no path', 'https://www.example.com'],
    ['https://www.example.com?x=1', 'no path or query', 'https://www.example.com'],
    ['www.example.com', 'no scheme', 'https://www.example.com'],
    ['localhost:3000', 'no scheme', 'http://localhost:3000'],
    [' https://www.example.com ', 'spaces', 'https://www.example.com'],
  ])('rejects %j (%s) and shows the fixed origin', (origin, message, fixed) => {
    const issue = only(validateCors({ allowOrigins: [origin] }));
    expect(issue.message).toContain(message);
    expect(issue.hint).toBe(`use "${fixed}"`);
  });

  it.each(['', 'null', 'https://', 'https://a.com:99999', 'https://a b.com'])('rejects %j', (origin) => {
    expect(paths(validateCors({ allowOrigins: [origin] }))).toEqual(['cors.allowOrigins[0]']);
  });
});

describe('§2.1 allowCredentials', () => {
  it('is rejected with a "*" origin, with AWS\'s message', () => {
    const issue = only(validateCors({ allowOrigins: ['*'], allowCredentials: true }));
    expect(issue).toMatchObject({
      path: 'cors.allowCredentials',
      message: "allow-credentials is not supported if 'allow-origin' is *",
      severity: 'error',
    });
    expect(issue.hint).toContain('exact origins');
  });

  it('is rejected even when "*" sits next to exact origins', () => {
    expect(paths(validateCors({ allowOrigins: ['http://localhost:3000', '*'], allowCredentials: true }))).toEqual(['cors.allowCredentials']);
  });

  it('is fine with exact origins and with scheme wildcards', () => {
    expect(validateCors({ allowOrigins: ['https://a.com', 'https://*'], allowCredentials: true })).toEqual([]);
  });

  it('false with "*" is fine', () => {
    expect(validateCors({ allowOrigins: ['*'], allowCredentials: false })).toEqual([]);
  });
});

describe('§2.1 exposeHeaders and allowHeaders', () => {
  it('accept header names and "*" (date, x-api-id, *; authorization, *)', () => {
    expect(validateCors({ exposeHeaders: ['date', 'x-api-id', '*'], allowHeaders: ['Authorization', 'Content-Type', '*'] })).toEqual([]);
  });

  it('rejects a comma list in one entry and shows the split list', () => {
    const issue = only(validateCors({ allowHeaders: ['Content-Type, Authorization'] }));
    expect(issue.path).toBe('cors.allowHeaders[0]');
    expect(issue.hint).toBe('list each header as its own entry: ["Content-Type","Authorization"]');
  });

  it.each([
    ['x custom', "letters, digits"],
    ['x-api-id ', 'use "x-api-id"'],
    ['', 'remove the empty entry'],
    ['x-ü', "letters, digits"],
  ])('rejects %j', (name, hint) => {
    const issue = only(validateCors({ exposeHeaders: [name] }));
    expect(issue.path).toBe('cors.exposeHeaders[0]');
    expect(issue.hint).toContain(hint);
  });
});

describe('§2.1 maxAge', () => {
  it.each([-1, 0, 300, 86_400])('accepts %d', (maxAge) => {
    expect(validateCors({ maxAge })).toEqual([]);
  });

  it.each([-2, 86_401, 1_000_000])('rejects %d (range -1 to 86400)', (maxAge) => {
    const issue = only(validateCors({ maxAge }));
    expect(issue.path).toBe('cors.maxAge');
    expect(issue.message).toContain('-1 to 86400');
  });

  it('rejects a fraction', () => {
    expect(only(validateCors({ maxAge: 1.5 })).message).toContain('whole number');
  });
});

describe('§2.1 allowMethods', () => {
  it('accepts real HTTP methods and "*"', () => {
    expect(validateCors({ allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*'] })).toEqual([]);
  });

  it('accepts lower-case methods (compileCors upper-cases them)', () => {
    expect(validateCors({ allowMethods: ['get'] })).toEqual([]);
  });

  it('rejects BAD (AWS-validated LocalStack test)', () => {
    expect(only(validateCors({ allowMethods: ['BAD'] })).message).toBe('"BAD" is not an HTTP method');
  });

  it('suggests GET for the typo GTE, at the entry\'s index', () => {
    const issue = only(validateCors({ allowMethods: ['POST', 'GTE'] }));
    expect(issue.path).toBe('cors.allowMethods[1]');
    expect(issue.hint).toBe('did you mean "GET"?');
  });

  it.each([
    ['ANY', 'use "*" to allow every method'],
    ['GET,POST', 'list each method as its own entry: ["GET","POST"]'],
    [' GET', 'use "GET"'],
    ['FROBNICATE', 'use one of GET'],
  ])('rejects %j with a hint', (method, hint) => {
    expect(only(validateCors({ allowMethods: [method] })).hint).toContain(hint);
  });
});

describe('validateCors paths', () => {
  it('uses the base path it is given', () => {
    expect(paths(validateCors({ maxAge: -5 }, 'stages.dev.cors'))).toEqual(['stages.dev.cors.maxAge']);
    expect(paths(validateCors({ maxAge: -5 }, ''))).toEqual(['maxAge']);
  });

  it('reports every problem at once, in config order', () => {
    const issues = validateCors({
      allowOrigins: ['*', 'https://*.x.com'],
      allowCredentials: true,
      maxAge: 90_000,
      allowMethods: ['GTE'],
      allowHeaders: ['a b'],
      exposeHeaders: ['c d'],
    });
    expect(paths(issues)).toEqual([
      'cors.allowCredentials',
      'cors.allowOrigins[1]',
      'cors.maxAge',
      'cors.allowMethods[0]',
      'cors.allowHeaders[0]',
      'cors.exposeHeaders[0]',
    ]);
    expect(issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it('accepts an empty config (CORS configured, nothing allowed)', () => {
    expect(validateCors({})).toEqual([]);
  });
});

describe('findCorsTraps (warnings API Gateway would accept)', () => {
  it('§2.3 "Matching": allowOrigins without allowMethods means no preflight ever matches', () => {
    const [warning, ...rest] = findCorsTraps({ allowOrigins: ['https://a.com'] });
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ path: 'cors.allowMethods', severity: 'warning' });
    expect(warning!.hint).toContain('["*"]');
  });

  it('says nothing when allowMethods is set', () => {
    expect(findCorsTraps({ allowOrigins: ['https://a.com'], allowMethods: ['GET'] })).toEqual([]);
  });

  it.each([
    ['https://a.com:443', 'https://a.com'],
    ['http://localhost:80', 'http://localhost'],
  ])('warns that %s never matches, browsers omit the default port', (origin, fixed) => {
    const warnings = findCorsTraps({ allowOrigins: [origin], allowMethods: ['*'] });
    expect(warnings).toEqual([expect.objectContaining({ path: 'cors.allowOrigins[0]', hint: `use "${fixed}"` })]);
  });

  it('does not warn for a non-default port', () => {
    expect(findCorsTraps({ allowOrigins: ['https://a.com:8443'], allowMethods: ['*'] })).toEqual([]);
  });

  it('warns that exposeHeaders "*" is literal with credentials', () => {
    expect(paths(findCorsTraps({ allowCredentials: true, exposeHeaders: ['date', '*'] }))).toEqual(['cors.exposeHeaders[1]']);
    expect(findCorsTraps({ exposeHeaders: ['*'] })).toEqual([]);
  });
});
