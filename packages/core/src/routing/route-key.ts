/** One segment of a route path template: `items`, `{id}` or `{proxy+}`. */
export type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

/** A parsed route key (§1.1): the `$default` catch-all, or a method plus a path template. */
export type RouteKey =
  | { kind: 'default'; routeKey: '$default' }
  | {
      kind: 'route';
      /** Normalised text, e.g. `GET /items/{id}`; what AWS reports as `routeKey`. */
      routeKey: string;
      /** Upper-case HTTP method, or `ANY`. */
      method: string;
      /** The path template, e.g. `/items/{id}`. */
      path: string;
      /** The path split on `/`; `[]` for the root path `/`. */
      segments: Segment[];
    };

export type ParseResult = { ok: true; value: RouteKey } | { ok: false; message: string; hint?: string };

type ParseFailure = Extract<ParseResult, { ok: false }>;

/** The methods a route key may name (§1.1: `$context.httpMethod` values, plus `ANY`). */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

const METHODS: ReadonlySet<string> = new Set(ROUTE_METHODS);
const VARIABLE_NAME = /^[A-Za-z0-9._-]+$/;
// `%` is refused because request segments are decoded before they are compared (§1.4), so an
// encoded literal could never match; `?` and `#` start a query or fragment, never a path.
const FORBIDDEN_IN_LITERAL = /[%?#\s\p{Cc}]/u;

/**
 * Parses a route key as written in config: `$default` or `METHOD /path` (§1.1).
 *
 * @example parseRouteKey('GET /items/{id}') // { ok: true, value: { kind: 'route', method: 'GET', … } }
 * @example parseRouteKey('ANY /files/{proxy+}/x') // { ok: false, message: 'greedy variable {proxy+} must be …' }
 */
export function parseRouteKey(key: string): ParseResult {
  if (key === '$default') return { ok: true, value: { kind: 'default', routeKey: '$default' } };
  const trimmed = key.trim();
  if (trimmed !== key) {
    const hint = parseRouteKey(trimmed).ok ? `use "${trimmed}"` : undefined;
    return fail(`route key "${key}" has leading or trailing whitespace`, hint);
  }
  if (key.toLowerCase() === '$default' || key.toLowerCase() === 'default') {
    return fail(`"${key}" is not a route key`, 'the catch-all route is spelled "$default"');
  }
  const space = key.indexOf(' ');
  if (space === -1) {
    return key.startsWith('/')
      ? fail(`route key "${key}" has no method`, `use "ANY ${key}" to match every method, or name one, e.g. "GET ${key}"`)
      : fail(`"${key}" is not a route key`, 'write "$default" or "METHOD /path", e.g. "GET /items/{id}"');
  }
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  if (path.includes(' ')) {
    const words = key.split(/ +/).filter(Boolean);
    return fail(
      'a route key has exactly one space, between the method and the path',
      words.length === 2 ? `use "${words[0]} ${words[1]}"` : 'e.g. "GET /items/{id}"',
    );
  }
  if (!METHODS.has(method)) {
    const upper = method.toUpperCase();
    // AWS stores methods upper-case and rejects other spellings, so do not silently fix them.
    return METHODS.has(upper)
      ? fail(`method "${method}" must be upper-case`, `use "${upper} ${path}"`)
      : fail(`"${method}" is not a method a route can use`, `use one of ${ROUTE_METHODS.join(', ')}`);
  }
  return parsePath(method, path);
}

function parsePath(method: string, path: string): ParseResult {
  if (!path.startsWith('/')) return fail(`path "${path}" must start with "/"`, `use "${method} /${path}"`);
  const routeKey = `${method} ${path}`;
  if (path === '/') return { ok: true, value: { kind: 'route', routeKey, method, path, segments: [] } };

  const parts = path.slice(1).split('/');
  if (parts.includes('')) {
    const cleaned = '/' + parts.filter(Boolean).join('/');
    return fail(`path "${path}" has an empty segment (a doubled or trailing "/")`, `use "${method} ${cleaned}"`);
  }
  const segments: Segment[] = [];
  const names = new Set<string>();
  for (const [index, part] of parts.entries()) {
    const segment = parseSegment(method, parts, index, part);
    if ('ok' in segment) return segment;
    if (segment.kind !== 'literal') {
      if (names.has(segment.name)) {
        return fail(`path variable {${segment.name}} appears more than once in "${path}"`, 'give each variable its own name');
      }
      names.add(segment.name);
    }
    segments.push(segment);
  }
  return { ok: true, value: { kind: 'route', routeKey, method, path, segments } };
}

function parseSegment(method: string, parts: readonly string[], index: number, part: string): Segment | ParseFailure {
  if (part.startsWith('{') && part.endsWith('}')) {
    const inner = part.slice(1, -1);
    const greedy = inner.endsWith('+');
    const name = greedy ? inner.slice(0, -1) : inner;
    if (!VARIABLE_NAME.test(name)) {
      return fail(`"${part}" is not a valid path variable`, 'variable names use letters, digits, ".", "_" and "-", e.g. {id} or {proxy+}');
    }
    if (!greedy) return { kind: 'param', name };
    // §1.1: a greedy variable "must be the last segment of the resource path".
    if (index !== parts.length - 1) {
      return fail(`greedy variable ${part} must be the last segment of the path`, `use "${method} /${parts.slice(0, index + 1).join('/')}"`);
    }
    return { kind: 'greedy', name };
  }
  if (part.includes('{') || part.includes('}')) {
    // §1.1: a variable must fill a whole segment (`/a/x{id}` is invalid).
    const variable = /\{([^{}]*)\}/.exec(part)?.[0] ?? '{name}';
    const fixed = parts.map((p, i) => (i === index ? variable : p)).join('/');
    return fail(`path variable in "${part}" must fill a whole segment`, `use "${method} /${fixed}"`);
  }
  const bad = FORBIDDEN_IN_LITERAL.exec(part)?.[0];
  if (bad !== undefined) {
    const shown = JSON.stringify(bad);
    return bad === '%'
      ? fail(`path segment "${part}" contains ${shown}`, 'write the character itself (e.g. "/café"): request paths are percent-decoded before matching')
      : fail(`path segment "${part}" contains ${shown}`, 'route paths may not contain whitespace, control characters, "?" or "#"');
  }
  return { kind: 'literal', value: part };
}

function fail(message: string, hint?: string): ParseFailure {
  return hint === undefined ? { ok: false, message } : { ok: false, message, hint };
}
