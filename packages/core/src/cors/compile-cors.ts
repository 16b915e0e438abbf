import type { CorsConfig } from './types.js';

/**
 * A {@link CorsConfig} turned into what each request only has to look up: the origin matcher,
 * the sets that decide a preflight, and every header value that does not depend on the request
 * (hono's cors middleware style). Built once per config by {@link compileCors}.
 */
export interface CompiledCors {
  /**
   * The `Access-Control-Allow-Origin` value for a request `Origin`, or `undefined` when that
   * origin is not allowed: the origin itself when an exact entry or a `https://*` / `http://*`
   * entry matches it, `"*"` when only the `"*"` entry does.
   */
  readonly allowOrigin: (origin: string) => string | undefined;
  readonly allowCredentials: boolean;
  /** `Access-Control-Expose-Headers` value; `undefined` when none are configured. */
  readonly exposeHeaders: string | undefined;
  /** `Access-Control-Max-Age` value; `undefined` when `maxAge` is not set. */
  readonly maxAge: string | undefined;
  /** `allowMethods` contains `*`. */
  readonly anyMethod: boolean;
  /** Allowed methods, upper-case, without `*`. */
  readonly methods: ReadonlySet<string>;
  /** `Access-Control-Allow-Methods` value when `anyMethod` is false; `''` when none. */
  readonly allowMethods: string;
  /** `allowHeaders` contains `*`. */
  readonly anyHeader: boolean;
  /** Allowed request headers, lower-case, without `*`. */
  readonly headers: ReadonlySet<string>;
  /** `Access-Control-Allow-Headers` value when `anyHeader` is false; `''` when none (still sent, §2.3). */
  readonly allowHeaders: string;
}

// AWS's separator is unverified; browsers accept "a,b" and "a, b" alike.
const SEPARATOR = ',';

/** Precomputes everything CORS needs per request. Expects a config {@link validateCors} accepted. */
export function compileCors(cors: CorsConfig): CompiledCors {
  const methods = (cors.allowMethods ?? []).map((m) => m.toUpperCase());
  const headers = cors.allowHeaders ?? [];
  return {
    allowOrigin: compileOriginMatcher(cors.allowOrigins ?? []),
    allowCredentials: cors.allowCredentials === true,
    exposeHeaders: cors.exposeHeaders?.length ? cors.exposeHeaders.join(SEPARATOR) : undefined,
    maxAge: cors.maxAge === undefined ? undefined : String(cors.maxAge),
    anyMethod: methods.includes('*'),
    methods: new Set(methods.filter((m) => m !== '*')),
    allowMethods: methods.join(SEPARATOR),
    anyHeader: headers.includes('*'),
    headers: new Set(headers.filter((h) => h !== '*').map((h) => h.toLowerCase())),
    allowHeaders: headers.join(SEPARATOR),
  };
}

const HTTPS_ORIGIN = /^https:\/\/./i;
const HTTP_ORIGIN = /^http:\/\/./i;
const NO_ORIGIN = (): undefined => undefined;

function compileOriginMatcher(origins: readonly string[]): (origin: string) => string | undefined {
  let any = false;
  let anyHttps = false;
  let anyHttp = false;
  const exact = new Set<string>();
  for (const entry of origins) {
    const lower = entry.toLowerCase();
    if (lower === '*') any = true;
    else if (lower === 'https://*') anyHttps = true;
    else if (lower === 'http://*') anyHttp = true;
    // Origin case (§2.3, unverified): browsers always send scheme and host in lower case, so an
    // entry written "https://App.example.com" could never match if compared as text. We compare
    // without case and echo the Origin exactly as the request sent it.
    else exact.add(lower);
  }
  if (!any && !anyHttps && !anyHttp && exact.size === 0) return NO_ORIGIN;
  const hasExact = exact.size > 0;

  return (origin) => {
    if (hasExact && (exact.has(origin) || exact.has(origin.toLowerCase()))) return origin;
    if ((anyHttps && HTTPS_ORIGIN.test(origin)) || (anyHttp && HTTP_ORIGIN.test(origin))) return origin;
    // "*" answers "*": with credentials a browser would reject it, but validateCors already
    // refuses allowCredentials next to "*" (§2.1), so "*" is always acceptable here.
    return any ? '*' : undefined;
  };
}
