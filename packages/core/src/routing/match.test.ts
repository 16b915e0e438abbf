import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRoutes } from './compile-routes.js';
import { explainMatch } from './explain.js';
import { decodePercentTwice } from './percent-decode.js';
import { ROUTE_CASES, AWS_EXAMPLE_ROUTES } from './test-support/route-cases.js';
import { parseRouteKey, type RouteKey, type Segment } from './route-key.js';

function key(text: string): RouteKey {
  const parsed = parseRouteKey(text);
  if (!parsed.ok) throw new Error(`bad route key in test: ${text}: ${parsed.message}`);
  return parsed.value;
}

function compile(routeKeys: readonly string[]) {
  return compileRoutes(routeKeys.map((text, index) => ({ key: key(text), target: index })));
}

for (const [title, cases] of Object.entries(ROUTE_CASES)) {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.name}: ${c.request.join(' ')} → ${c.expected ?? '404'}`, () => {
        const matcher = compile(c.routes);
        const match = matcher.match(...c.request);
        expect(match?.key.routeKey).toBe(c.expected);
        if (match === undefined) return;
        expect(match.target).toBe(c.routes.indexOf(match.key.routeKey));
        expect(match.pathParameters).toStrictEqual(c.pathParameters);
      });
    }
  });
}

describe('§1.3 the route table', () => {
  it('lists routes in match priority order, $default last, whatever the config order', () => {
    const shuffled = ['$default', 'ANY /{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/dog/{id}', 'GET /pets/dog/1'];
    expect(compile(shuffled).routes.map((r) => r.key.routeKey)).toEqual([...AWS_EXAMPLE_ROUTES]);
  });

  it('orders greedy routes by literals, then explicit method, then depth', () => {
    const routes = ['ANY /{proxy+}', 'GET /{a}/{rest+}', 'ANY /pets/{proxy+}', 'GET /{proxy+}', 'GET /pets/{proxy+}'];
    expect(compile(routes).routes.map((r) => r.key.routeKey)).toEqual([
      'GET /pets/{proxy+}',
      'ANY /pets/{proxy+}',
      'GET /{a}/{rest+}',
      'GET /{proxy+}',
      'ANY /{proxy+}',
    ]);
  });

  it('keeps the targets with their keys', () => {
    const routes = compile(['GET /b', 'GET /a']).routes;
    expect(routes.map((r) => [r.key.routeKey, r.target])).toEqual([['GET /a', 1], ['GET /b', 0]]);
  });
});

describe('§1.3 conflicting routes', () => {
  it('the first of two routes that differ only in variable names wins', () => {
    const match = compile(['GET /items/{id}', 'GET /items/{itemId}']).match('GET', '/items/1');
    expect(match).toStrictEqual({ key: key('GET /items/{id}'), target: 0, pathParameters: { id: '1' } });
  });

  it('the first of two $default routes wins', () => {
    expect(compile(['$default', '$default']).match('GET', '/')?.target).toBe(0);
  });

  it('the first of two equivalent greedy routes wins', () => {
    expect(compile(['ANY /{a+}', 'ANY /{b+}']).match('GET', '/x')?.pathParameters).toStrictEqual({ a: 'x' });
  });
});

describe('§1.3 matching is reusable', () => {
  it('a match does not leak state into the next one', () => {
    const matcher = compile(['GET /{proxy+}', 'GET /a/b']);
    expect(matcher.match('GET', '/a/c')?.pathParameters).toStrictEqual({ proxy: 'a/c' });
    expect(matcher.match('GET', '/a/b')?.pathParameters).toBeUndefined();
    expect(matcher.match('POST', '/a/c')).toBeUndefined();
  });

  it('every one of 1,000 routes is reachable', () => {
    const routes: string[] = [];
    for (let i = 0; i < 250; i++) {
      routes.push(`GET /r${i}`, `POST /r${i}/{id}`, `ANY /r${i}/{id}/x`, `GET /r${i}/files/{path+}`);
    }
    const matcher = compile(routes);
    for (let i = 0; i < 250; i++) {
      expect(matcher.match('GET', `/r${i}`)?.key.routeKey).toBe(`GET /r${i}`);
      expect(matcher.match('POST', `/r${i}/7`)?.pathParameters).toStrictEqual({ id: '7' });
      expect(matcher.match('PUT', `/r${i}/7/x`)?.key.routeKey).toBe(`ANY /r${i}/{id}/x`);
      expect(matcher.match('GET', `/r${i}/files/a/b`)?.pathParameters).toStrictEqual({ path: 'a/b' });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A deliberately naive reference: try every route, keep those that match, sort by the priority
// rules of §1.3 as written, take the first. The compiled matcher must agree with it.

type Route = { key: RouteKey; target: number };

function templateMatches(template: readonly Segment[], segments: readonly string[]): boolean {
  const last = template.at(-1);
  if (last?.kind === 'greedy') {
    const prefix = template.length - 1;
    // `{proxy+}` needs one segment, except `/{proxy+}` against the root path (§1.1).
    if (segments.length <= prefix && !(prefix === 0 && segments.length === 0)) return false;
  } else if (segments.length !== template.length) {
    return false;
  }
  return template.every((s, i) => s.kind !== 'literal' || s.value === segments[i]);
}

function methodMatches(routeMethod: string, method: string): boolean {
  return routeMethod === method || routeMethod === 'ANY';
}

const isGreedy = (k: Extract<RouteKey, { kind: 'route' }>) => k.segments.at(-1)?.kind === 'greedy';
const literals = (k: Extract<RouteKey, { kind: 'route' }>) => k.segments.filter((s) => s.kind === 'literal').length;
const explicit = (k: Extract<RouteKey, { kind: 'route' }>) => (k.method === 'ANY' ? 1 : 0);

/** Literal before variable at the first segment where the kinds differ. */
function positional(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!.kind === 'literal' ? 0 : 1;
    const y = b[i]!.kind === 'literal' ? 0 : 1;
    if (x !== y) return x - y;
  }
  return 0;
}

/** §1.3 steps 2–5 for two candidates that both match the request. */
function priority(a: Route, b: Route): number {
  if (a.key.kind !== 'route' || b.key.kind !== 'route') throw new Error('unreachable');
  const ka = a.key;
  const kb = b.key;
  if (isGreedy(ka) !== isGreedy(kb)) return isGreedy(ka) ? 1 : -1; // step 2
  if (!isGreedy(ka)) return positional(ka.segments, kb.segments) || explicit(ka) - explicit(kb); // steps 3–4
  return (
    literals(kb) - literals(ka) || // step 5: more literals first
    explicit(ka) - explicit(kb) || // then explicit over ANY
    kb.segments.length - ka.segments.length || // then more segments before the greedy variable
    positional(ka.segments, kb.segments)
  );
}

function referenceParameters(k: RouteKey, segments: readonly string[]): Record<string, string> | undefined {
  if (k.kind === 'default' || k.segments.every((s) => s.kind === 'literal')) return undefined;
  const out: Record<string, string> = {};
  k.segments.forEach((s, i) => {
    if (s.kind === 'param') out[s.name] = segments[i]!;
    if (s.kind === 'greedy') out[s.name] = segments.slice(i).join('/');
  });
  return out;
}

function referenceMatch(routes: readonly Route[], method: string, rawPath: string) {
  const segments = rawPath.split('/').filter((s) => s !== '').map(decodePercentTwice);
  const candidates = routes.filter((r) => r.key.kind === 'route' && methodMatches(r.key.method, method) && templateMatches(r.key.segments, segments));
  const winner = candidates.sort(priority)[0] ?? routes.find((r) => r.key.kind === 'default');
  return winner && { key: winner.key, target: winner.target, pathParameters: referenceParameters(winner.key, segments) };
}

const METHODS = ['GET', 'POST', 'HEAD', 'ANY'] as const;
const REQUEST_METHODS = ['GET', 'POST', 'HEAD', 'PUT'] as const;

const segmentTemplate = fc.constantFrom('a', 'b', '{}');
const routeText = fc
  .tuple(fc.constantFrom(...METHODS), fc.array(segmentTemplate, { maxLength: 3 }), fc.boolean())
  .map(([method, segments, greedy]) => {
    let n = 0;
    const parts = segments.map((s) => (s === '{}' ? `{v${n++}}` : s));
    if (greedy) parts.push('{rest+}');
    return `${method} /${parts.join('/')}`;
  });
const routeSet = fc
  .tuple(fc.array(routeText, { maxLength: 12 }), fc.boolean(), fc.nat())
  .map(([texts, withDefault, at]) => (withDefault ? texts.toSpliced(at % (texts.length + 1), 0, '$default') : texts));
// Encoded letters (once and twice), %2F, malformed escapes and empty segments (`//`, trailing `/`) all appear.
const requestPath = fc
  .array(fc.constantFrom('a', 'b', '%61', '%2561', 'c', 'b%2Fc', 'b%252Fc', '%zz', ''), { maxLength: 5 })
  .map((segments) => '/' + segments.join('/'));

describe('§1.3 property: the compiled matcher agrees with a naive reference', () => {
  it('selects the same route with the same parameters', () => {
    fc.assert(
      fc.property(routeSet, fc.constantFrom(...REQUEST_METHODS), requestPath, (texts, method, path) => {
        const routes = texts.map((text, target) => ({ key: key(text), target }));
        expect(compileRoutes(routes).match(method, path)).toStrictEqual(referenceMatch(routes, method, path));
      }),
      { numRuns: 2000 },
    );
  });

  it('breaks ties between overlapping greedy routes the same way (§1.3 step 5)', () => {
    // Only greedy routes over one letter, so most requests have several greedy candidates.
    const greedyRoute = fc
      .tuple(fc.constantFrom('GET', 'ANY'), fc.array(fc.constantFrom('a', '{}'), { maxLength: 3 }))
      .map(([method, segments]) => `${method} /${[...segments.map((s, i) => (s === '{}' ? `{v${i}}` : s)), '{rest+}'].join('/')}`);
    fc.assert(
      fc.property(fc.array(greedyRoute, { maxLength: 8 }), fc.integer({ min: 0, max: 5 }), (texts, depth) => {
        const routes = texts.map((text, target) => ({ key: key(text), target }));
        const path = '/a'.repeat(depth);
        expect(compileRoutes(routes).match('GET', path)).toStrictEqual(referenceMatch(routes, 'GET', path));
      }),
      { numRuns: 1000 },
    );
  });

  it('selects the first route of its own table that matches', () => {
    fc.assert(
      fc.property(routeSet, fc.constantFrom(...REQUEST_METHODS), requestPath, (texts, method, path) => {
        const matcher = compileRoutes(texts.map((text, target) => ({ key: key(text), target })));
        const segments = path.split('/').filter((s) => s !== '').map(decodePercentTwice);
        const first = matcher.routes.find(
          (r) => r.key.kind === 'default' || (methodMatches(r.key.method, method) && templateMatches(r.key.segments, segments)),
        );
        expect(matcher.routes.map((r) => r.target).sort((x, y) => x - y)).toEqual(texts.map((_, i) => i));
        expect(matcher.match(method, path)?.target).toBe(first?.target);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('explainMatch (the inspector\'s route story) agrees with the matcher', () => {
  it('its first candidate is the route the matcher selects', () => {
    fc.assert(
      fc.property(routeSet, fc.constantFrom(...REQUEST_METHODS), requestPath, (texts, method, path) => {
        const routes = texts.map((text, target) => ({ key: key(text), target }));
        expect(explainMatch(routes, method, path).selected).toBe(compileRoutes(routes).match(method, path)?.key.routeKey);
      }),
      { numRuns: 2000 },
    );
  });
});
