import { decodePercentTwice } from './percent-decode.js';
import type { RouteKey } from './route-key.js';

/** The route a request selected (§1.3), with its path variables percent-decoded (§1.4). */
export interface RouteMatch<T> {
  key: RouteKey;
  target: T;
  /** Undefined when the route has no variables (AWS sends `pathParameters` only when it has some). */
  pathParameters: Record<string, string> | undefined;
}

/** Routes compiled once per config; `match` is the per-request step. */
export interface Matcher<T> {
  /**
   * Selects the route for a request, or undefined for 404 (§1.6).
   * `rawPath` is still percent-encoded, has no query string, ends where API Gateway's path ends
   * (`pathBeforeDecodedQuery`) and has the stage prefix removed (`stripStage`).
   */
  match(method: string, rawPath: string): RouteMatch<T> | undefined;
  /** Every route in match priority order (§1.3), `$default` last: the table the CLI prints. */
  readonly routes: ReadonlyArray<{ key: RouteKey; target: T }>;
}

/** A route as stored in the trie: where its variables sit in the request's segments. */
export interface RouteEntry<T> {
  readonly route: { key: RouteKey; target: T };
  readonly params: ReadonlyArray<{ readonly name: string; readonly index: number }>;
  readonly greedy: { readonly name: string; readonly start: number } | undefined;
}

/** The routes that end at one trie position, by method; `ANY` is kept apart as the fallback. */
export interface MethodSlot<T> {
  readonly byMethod: Map<string, RouteEntry<T>>;
  any: RouteEntry<T> | undefined;
}

/** One position in the path templates. A request segment follows at most one literal child. */
export interface TrieNode<T> {
  literals: Map<string, TrieNode<T>> | undefined;
  param: TrieNode<T> | undefined;
  /** Routes whose template ends here. */
  end: MethodSlot<T> | undefined;
  /** Routes whose greedy variable starts at the next segment. */
  greedy: MethodSlot<T> | undefined;
}

/**
 * Depth-first search of the template trie, literal child before variable child. The cost depends
 * on the request's depth and on how many templates overlap it, not on how many routes exist.
 *
 * Matching is synchronous and never re-entered, so the segment list and the best greedy
 * candidate live in fields that every call reuses: a request allocates its segments and its result.
 */
export class TrieMatcher<T> implements Matcher<T> {
  readonly routes: ReadonlyArray<{ key: RouteKey; target: T }>;
  readonly #root: TrieNode<T>;
  readonly #fallback: RouteEntry<T> | undefined;
  readonly #segments: string[] = [];
  #method = '';
  #greedy: RouteEntry<T> | undefined;
  #greedyLiterals = 0;
  #greedyExplicit = false;
  #greedyDepth = 0;

  constructor(root: TrieNode<T>, fallback: RouteEntry<T> | undefined, routes: ReadonlyArray<{ key: RouteKey; target: T }>) {
    this.#root = root;
    this.#fallback = fallback;
    this.routes = routes;
  }

  match(method: string, rawPath: string): RouteMatch<T> | undefined {
    const segments = this.#segments;
    splitSegments(rawPath, segments);
    this.#method = method;
    this.#greedy = undefined;
    // §1.3: a full match beats any greedy match, which beats `$default`.
    const entry = this.#search(this.#root, 0, 0) ?? this.#greedy ?? this.#fallback;
    const result = entry === undefined ? undefined : toMatch(entry, segments);
    segments.length = 0;
    this.#greedy = undefined;
    return result;
  }

  /** Returns the first full (non-greedy) match in priority order; records greedy candidates on the way. */
  #search(node: TrieNode<T>, depth: number, literals: number): RouteEntry<T> | undefined {
    const segments = this.#segments;
    // `{proxy+}` needs at least one segment (§1.3: `GET /pets` does not match `GET /pets/{proxy+}`),
    // except at the root, where AWS's own test tool lets `ANY /{proxy+}` match `/` (§1.1).
    if (node.greedy !== undefined && (depth < segments.length || depth === 0)) {
      this.#considerGreedy(node.greedy, depth, literals);
    }
    if (depth === segments.length) {
      // §1.3 step 4: for the same template, an explicit method beats ANY. HEAD is its own method (§1.5).
      return node.end === undefined ? undefined : (node.end.byMethod.get(this.#method) ?? node.end.any);
    }
    // §1.3 step 3: at the first segment where templates differ, a literal beats a variable.
    const literal = node.literals?.get(segments[depth]!);
    if (literal !== undefined) {
      const found = this.#search(literal, depth + 1, literals + 1);
      if (found !== undefined) return found;
    }
    return node.param === undefined ? undefined : this.#search(node.param, depth + 1, literals);
  }

  /**
   * §1.3 step 5 [INF]: among greedy routes, more literal segments win, then an explicit method over
   * ANY, then more segments before the greedy variable. Remaining ties go to the first one found,
   * which the literal-first search order makes the one with a literal at the first differing segment.
   */
  #considerGreedy(slot: MethodSlot<T>, depth: number, literals: number): void {
    const explicit = slot.byMethod.get(this.#method);
    const entry = explicit ?? slot.any;
    if (entry === undefined) return;
    const isExplicit = explicit !== undefined;
    if (this.#greedy !== undefined) {
      if (literals !== this.#greedyLiterals) {
        if (literals < this.#greedyLiterals) return;
      } else if (isExplicit !== this.#greedyExplicit) {
        if (!isExplicit) return;
      } else if (depth <= this.#greedyDepth) {
        return;
      }
    }
    this.#greedy = entry;
    this.#greedyLiterals = literals;
    this.#greedyExplicit = isExplicit;
    this.#greedyDepth = depth;
  }
}

/**
 * Splits a raw path into decoded, non-empty segments. Empty segments are dropped, so `/items/`
 * and `//items` match `/items` (§1.4). Each segment is decoded twice, as API Gateway decodes the
 * path (§1.4 rule a). Splitting happens before decoding, so `%2F` stays inside
 * its segment: `/files/a%2Fb` is one segment `a/b`. AWS's behaviour here is unknown (§1.4);
 * LocalStack, which validates against AWS, keeps `foo%2Fbar` as one parameter value.
 */
function splitSegments(rawPath: string, into: string[]): void {
  into.length = 0;
  let start = 0;
  while (start <= rawPath.length) {
    let end = rawPath.indexOf('/', start);
    if (end === -1) end = rawPath.length;
    if (end > start) into.push(decodePercentTwice(rawPath.slice(start, end)));
    start = end + 1;
  }
}

function toMatch<T>(entry: RouteEntry<T>, segments: readonly string[]): RouteMatch<T> {
  const { key, target } = entry.route;
  if (entry.params.length === 0 && entry.greedy === undefined) return { key, target, pathParameters: undefined };
  const pathParameters: Record<string, string> = {};
  for (const { name, index } of entry.params) setParameter(pathParameters, name, segments[index]!);
  if (entry.greedy !== undefined) {
    // The greedy value is the decoded remaining segments, so a trailing slash leaves no trace (§1.4).
    // It is '' for `ANY /{proxy+}` matching `/`.
    setParameter(pathParameters, entry.greedy.name, segments.slice(entry.greedy.start).join('/'));
  }
  return { key, target, pathParameters };
}

function setParameter(record: Record<string, string>, name: string, value: string): void {
  // `{__proto__}` is a legal variable name; plain assignment would change the prototype instead.
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}
