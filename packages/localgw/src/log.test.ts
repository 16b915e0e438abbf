import { describe, expect, it } from 'vitest';
import { createConsoleLogger, formatMs, type RequestLogEntry } from './log.js';

const entry = (overrides: Partial<RequestLogEntry> = {}): RequestLogEntry => ({
  method: 'GET',
  path: '/items/42?x=1',
  routeKey: 'GET /items/{id}',
  statusCode: 200,
  durationMs: 3.14,
  requestId: 'abc',
  ...overrides,
});

function lines(colors: boolean, entries: RequestLogEntry[]): string[] {
  const out: string[] = [];
  const logger = createConsoleLogger({ colors, write: (line) => out.push(line), writeError: (line) => out.push(line) });
  for (const e of entries) logger.request(e);
  return out;
}

describe('request log lines', () => {
  it('read method, path, route, status and duration, then what the authorizer and the gateway said', () => {
    expect(
      lines(false, [
        entry(),
        entry({ routeKey: undefined, statusCode: 404, durationMs: 0.04 }),
        entry({ method: 'POST', statusCode: 401, auth: 'jwt main ✗ token expired', note: 'why' }),
      ]),
    ).toEqual([
      'GET /items/42?x=1 → GET /items/{id} · 200 · 3.1 ms',
      'GET /items/42?x=1 → (no route) · 404 · 0.0 ms',
      'POST /items/42?x=1 → GET /items/{id} · 401 · 3.1 ms · jwt main ✗ token expired · why',
    ]);
  });

  it('colour each status class and the method, the same on every line', () => {
    const [ok, notFound, failed, again] = lines(true, [entry(), entry({ statusCode: 404 }), entry({ statusCode: 503 }), entry()]);
    expect(ok).toContain('\u001b[1mGET\u001b[22m');
    expect(ok).toContain('\u001b[32m200\u001b[39m');
    expect(notFound).toContain('\u001b[33m404\u001b[39m');
    expect(failed).toContain('\u001b[31m503\u001b[39m');
    expect(again).toBe(ok);
  });
});

describe('formatMs', () => {
  it('rounds to one decimal', () => {
    expect([0, 0.04, 0.05, 1.25, 3.14159, 99.95, 12345.678].map(formatMs)).toEqual(['0.0', '0.0', '0.1', '1.3', '3.1', '100.0', '12345.7']);
  });

  it('leaves what it cannot do quickly to toFixed', () => {
    expect(formatMs(-1.25)).toBe((-1.25).toFixed(1));
    expect(formatMs(Number.NaN)).toBe('NaN');
    expect(formatMs(2e9)).toBe('2000000000.0');
  });
});

describe('request log lines are safe to print (issue 13, CWE-117)', () => {
  // eslint-disable-next-line no-control-regex -- the logger's own colour escapes
  const COLOURS = /\u001b\[\d+m/g;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

  it('text a client controls (path, a note quoting Origin, a token field in the reason) cannot forge a line or send escapes', () => {
    const forged = '\r\nGET /admin → GET /admin · 200 · 1.0 ms · jwt main ✓ sub=root\u001b[2K';
    const out = lines(true, [
      entry({ path: `/x${forged}`, statusCode: 401, auth: `jwt main ✗ no key with kid "${forged}"`, note: `origin https://x\u009b2J is not allowed` }),
    ]);
    expect(out).toHaveLength(1);
    // Colours are the logger's own escapes; take them out and nothing unsafe is left.
    const text = out[0]!.replace(COLOURS, '');
    expect(text).not.toMatch(UNSAFE);
    expect(text).toContain('/x\\r\\nGET /admin');
    expect(text).toContain('sub=root\\x1b[2K');
    expect(text).toContain('https://x\\x9b2J');
  });

  it('never throws, whatever the entry holds', () => {
    const notCallable = JSON.parse('{"toString":1}');
    const hostile = {
      method: notCallable,
      path: Symbol('p'),
      routeKey: 7,
      statusCode: notCallable,
      durationMs: notCallable,
      requestId: notCallable,
      auth: notCallable,
      note: 10n,
    } as unknown as RequestLogEntry;
    for (const colors of [false, true]) {
      expect(lines(colors, [hostile])[0]!.replace(COLOURS, '')).toBe(
        '{"toString":1} Symbol(p) → 7 · {"toString":1} · {"toString":1} ms · {"toString":1} · 10',
      );
    }
    const throwing = new Proxy(entry(), { get: () => { throw new Error('no'); } });
    expect(lines(false, [throwing])).toEqual(['(a request log line could not be formatted)']);
  });
});
