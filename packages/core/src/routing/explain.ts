import { decodePercentTwice } from './percent-decode.js';
import type { RouteKey, Segment } from './route-key.js';

/**
 * Why a request went to the route it went to (§1.3), for people: every route whose path template
 * fits the request, in the order API Gateway prefers them, each with the rule that ranks it
 * below the one before; the routes whose path fits but whose method does not; and `$default`
 * when nothing else did. Slow and thorough (it looks at every route), so it runs only for a
 * request someone is inspecting, never on the request path. The winner is the matcher's.
 */
export interface RouteExplanation {
  /** Candidates in priority order; the first is the one selected (unless `fallback`). */
  readonly candidates: ReadonlyArray<{ readonly routeKey: string; readonly rule: string }>;
  /** Routes whose path fits but not the method. */
  readonly otherMethods: ReadonlyArray<{ readonly routeKey: string; readonly rule: string }>;
  /** How the route was chosen, in one sentence. */
  readonly decision: string;
  /** The selected route key, `$default`, or undefined (404). */
  readonly selected: string | undefined;
}

type Route = { readonly key: RouteKey };

/** `rawPath` as `Matcher.match` takes it: no query, stage removed. */
export function explainMatch(routes: readonly Route[], method: string, rawPath: string): RouteExplanation {
  const segments = rawPath.split('/').filter((s) => s !== '').map(decodePercentTwice);
  const fitting = routes.filter((r): r is { key: Extract<RouteKey, { kind: 'route' }> } => r.key.kind === 'route' && templateMatches(r.key.segments, segments));
  const matching = fitting.filter((r) => r.key.method === method || r.key.method === 'ANY').sort((a, b) => compare(a.key, b.key).order);
  const otherMethods = fitting
    .filter((r) => r.key.method !== method && r.key.method !== 'ANY')
    .map((r) => ({ routeKey: r.key.routeKey, rule: `its method is ${r.key.method}, the request's ${method}${method === 'HEAD' && r.key.method === 'GET' ? ' (HEAD is its own method, §1.5)' : ''}` }));
  const candidates = matching.map((r, i) => ({ routeKey: r.key.routeKey, rule: i === 0 ? firstRule(r.key) : compare(matching[i - 1]!.key, r.key).rule }));
  const fallback = routes.find((r) => r.key.kind === 'default');
  if (matching.length > 0) {
    const winner = matching[0]!.key;
    const decision =
      matching.length === 1
        ? `${winner.routeKey} is the only route that fits ${method} ${rawPath || '/'}`
        : `${winner.routeKey} wins over ${matching[1]!.key.routeKey}: ${compare(winner, matching[1]!.key).rule}`;
    return { candidates, otherMethods, decision, selected: winner.routeKey };
  }
  if (fallback) {
    return {
      candidates: [{ routeKey: '$default', rule: 'catches every request no other route matches (§1.3)' }],
      otherMethods,
      decision: `no route fits ${method} ${rawPath || '/'}, so $default takes it`,
      selected: '$default',
    };
  }
  return { candidates: [], otherMethods, decision: `no route fits ${method} ${rawPath || '/'} and there is no $default: 404 (§1.6)`, selected: undefined };
}

function firstRule(key: Extract<RouteKey, { kind: 'route' }>): string {
  return isGreedy(key.segments) ? 'matches with its greedy variable' : 'a full match of the path';
}

/** §1.3 steps 2-5 for two routes that both match; `rule` says why `a` comes before `b`. */
function compare(a: Extract<RouteKey, { kind: 'route' }>, b: Extract<RouteKey, { kind: 'route' }>): { order: number; rule: string } {
  const ga = isGreedy(a.segments);
  const gb = isGreedy(b.segments);
  if (ga !== gb) return { order: ga ? 1 : -1, rule: 'a full match beats a greedy variable (§1.3 step 2)' };
  if (!ga) {
    const at = firstDifference(a.segments, b.segments);
    if (at !== undefined) return { order: at.order, rule: `a literal beats a variable at segment ${at.index + 1} (§1.3 step 3)` };
    return { order: explicitFirst(a, b), rule: 'an explicit method beats ANY (§1.3 step 4)' };
  }
  const literals = literalCount(b.segments) - literalCount(a.segments);
  if (literals !== 0) return { order: literals, rule: 'more literal segments before the greedy variable (§1.3 step 5)' };
  const methods = explicitFirst(a, b);
  if (methods !== 0) return { order: methods, rule: 'an explicit method beats ANY (§1.3 step 5)' };
  const depth = b.segments.length - a.segments.length;
  if (depth !== 0) return { order: depth, rule: 'more segments before the greedy variable (§1.3 step 5)' };
  const at = firstDifference(a.segments, b.segments);
  return { order: at?.order ?? 0, rule: 'a literal beats a variable at the first segment where they differ (§1.3 step 5)' };
}

function explicitFirst(a: Extract<RouteKey, { kind: 'route' }>, b: Extract<RouteKey, { kind: 'route' }>): number {
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

function firstDifference(a: readonly Segment[], b: readonly Segment[]): { index: number; order: number } | undefined {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!.kind === 'literal' ? 0 : 1;
    const y = b[i]!.kind === 'literal' ? 0 : 1;
    if (x !== y) return { index: i, order: x - y };
  }
  return undefined;
}

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

function isGreedy(segments: readonly Segment[]): boolean {
  return segments.at(-1)?.kind === 'greedy';
}

function literalCount(segments: readonly Segment[]): number {
  let n = 0;
  for (const s of segments) if (s.kind === 'literal') n++;
  return n;
}
