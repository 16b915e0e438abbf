import { TrieMatcher, type Matcher, type MethodSlot, type RouteEntry, type TrieNode } from './match.js';
import type { RouteKey, Segment } from './route-key.js';

/**
 * Compiles routes once per config into a matcher whose per-request cost does not grow with the
 * number of routes (style principle 3). Priority follows §1.3; see `TrieMatcher`.
 *
 * Two routes with the same method and the same template shape (differing only in variable names)
 * conflict; config validation rejects them, and here the first one listed wins.
 *
 * @example
 * const matcher = compileRoutes([{ key: parsed.value, target: handler }]);
 * matcher.match('GET', '/items/42'); // { key, target, pathParameters: { id: '42' } }
 */
export function compileRoutes<T>(routes: ReadonlyArray<{ key: RouteKey; target: T }>): Matcher<T> {
  const root = createNode<T>();
  let fallback: RouteEntry<T> | undefined;
  for (const route of routes) {
    const { key } = route;
    if (key.kind === 'default') {
      fallback ??= { route, params: [], greedy: undefined };
      continue;
    }
    const params: Array<{ name: string; index: number }> = [];
    let node = root;
    let greedyName: string | undefined;
    const { segments } = key;
    // Indexed: 10,000 routes are compiled at start in cold code, where an entries() iterator costs (issue 17).
    for (let index = 0; index < segments.length; index++) {
      const segment = segments[index]!;
      if (segment.kind === 'greedy') {
        greedyName = segment.name;
        break;
      }
      if (segment.kind === 'param') {
        params.push({ name: segment.name, index });
        node = node.param ??= createNode();
      } else {
        node.literals ??= new Map();
        let child = node.literals.get(segment.value);
        if (child === undefined) node.literals.set(segment.value, (child = createNode()));
        node = child;
      }
    }
    if (greedyName === undefined) {
      addToSlot((node.end ??= createSlot()), key.method, { route, params, greedy: undefined });
    } else {
      const start = key.segments.length - 1;
      addToSlot((node.greedy ??= createSlot()), key.method, { route, params, greedy: { name: greedyName, start } });
    }
  }
  // Array.prototype.sort is stable, so conflicting routes keep their config order.
  const ordered = [...routes].sort((a, b) => compareRouteKeys(a.key, b.key));
  return new TrieMatcher(root, fallback, ordered);
}

/**
 * Orders route keys the way `match` prefers them (§1.3): full templates before greedy ones before
 * `$default`. Two keys that can match the same request compare exactly as `match` ranks them;
 * the rest (different lengths, different literals) are ordered only to make the table readable.
 */
function compareRouteKeys(a: RouteKey, b: RouteKey): number {
  if (a.kind === 'default' || b.kind === 'default') return Number(a.kind === 'default') - Number(b.kind === 'default');
  const aGreedy = isGreedy(a.segments);
  const bGreedy = isGreedy(b.segments);
  if (aGreedy !== bGreedy) return aGreedy ? 1 : -1;
  const aExplicit = a.method !== 'ANY';
  const bExplicit = b.method !== 'ANY';
  if (!aGreedy) {
    return compareTemplates(a.segments, b.segments) || Number(bExplicit) - Number(aExplicit) || compareText(a.method, b.method);
  }
  return (
    literalCount(b.segments) - literalCount(a.segments) ||
    Number(bExplicit) - Number(aExplicit) ||
    b.segments.length - a.segments.length ||
    compareTemplates(a.segments, b.segments) ||
    compareText(a.method, b.method)
  );
}

/** Segment by segment: a literal before a variable (§1.3 step 3), then literals alphabetically, then shorter first. */
function compareTemplates(a: readonly Segment[], b: readonly Segment[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const byKind = rank(x) - rank(y);
    if (byKind !== 0) return byKind;
    if (x.kind === 'literal' && y.kind === 'literal' && x.value !== y.value) return compareText(x.value, y.value);
  }
  return a.length - b.length;
}

function rank(segment: Segment): number {
  return segment.kind === 'literal' ? 0 : segment.kind === 'param' ? 1 : 2;
}

function isGreedy(segments: readonly Segment[]): boolean {
  // Called twice per comparison of the sort: plain indexing, not `at(-1)` (slow in cold code).
  return segments.length > 0 && segments[segments.length - 1]!.kind === 'greedy';
}

function literalCount(segments: readonly Segment[]): number {
  let count = 0;
  for (const segment of segments) if (segment.kind === 'literal') count++;
  return count;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function createNode<T>(): TrieNode<T> {
  return { literals: undefined, param: undefined, end: undefined, greedy: undefined };
}

function createSlot<T>(): MethodSlot<T> {
  return { byMethod: new Map(), any: undefined };
}

function addToSlot<T>(slot: MethodSlot<T>, method: string, entry: RouteEntry<T>): void {
  if (method === 'ANY') slot.any ??= entry;
  else if (!slot.byMethod.has(method)) slot.byMethod.set(method, entry);
}
