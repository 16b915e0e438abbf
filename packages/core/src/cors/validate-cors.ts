import { didYouMean } from '../config/did-you-mean.js';
import { formatPath, type ConfigIssue } from '../config/issues.js';
import type { CorsConfig } from './types.js';

/** Methods `allowMethods` accepts besides `*`. API Gateway rejects anything else, e.g. `BAD` (§2.1). */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'] as const;

/** `IntegerWithLengthBetweenMinus1And86400` in the AWS SDK model (§2.1). */
export const MAX_AGE_MIN = -1;
export const MAX_AGE_MAX = 86_400;

const METHODS: ReadonlySet<string> = new Set(CORS_METHODS);
const WILDCARD_ORIGINS: ReadonlySet<string> = new Set(['*', 'https://*', 'http://*']);
// RFC 9110 token: what a header name may be. `*` is a token too, which is how "*" passes.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// scheme://host[:port], where host is a name, an IPv4 address or a bracketed IPv6 address.
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)(?::(\d{1,5}))?$/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const LEADING_WILDCARD = /^(?:([a-z][a-z0-9+.-]*):\/\/)?\*\.([^*/]+)$/i;
const ORIGIN_FORMS = 'an origin is scheme://host[:port], e.g. "https://www.example.com"; the only wildcards are "*", "https://*" and "http://*"';

interface Problem {
  message: string;
  hint?: string;
}

/**
 * The CORS settings API Gateway would reject with a BadRequestException (aws-behavior.md §2.1),
 * as errors at paths like `cors.allowOrigins[1]`. Returns `[]` for a valid config. Only errors:
 * softer advice lives in {@link findCorsTraps}.
 *
 * @example
 * validateCors({ allowOrigins: ['https://*.example.com'] });
 * // [{ path: 'cors.allowOrigins[0]', message: '"https://*.example.com" uses a partial wildcard, …', … }]
 */
export function validateCors(cors: CorsConfig, basePath = 'cors'): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const report = (segments: PropertyKey[], problem: Problem) =>
    issues.push({ path: joinPath(basePath, segments), ...problem, severity: 'error' });

  if (cors.allowCredentials === true && cors.allowOrigins?.includes('*')) {
    // AWS's own wording (aws-cdk#9076); it applies even when "*" sits next to exact origins.
    report(['allowCredentials'], {
      message: "allow-credentials is not supported if 'allow-origin' is *",
      hint: 'list the exact origins allowed to send credentials instead of "*", or remove allowCredentials',
    });
  }

  cors.allowOrigins?.forEach((origin, i) => {
    const problem = checkOrigin(origin);
    if (problem) report(['allowOrigins', i], problem);
  });

  if (cors.maxAge !== undefined) {
    const maxAge = cors.maxAge;
    if (!Number.isInteger(maxAge)) {
      report(['maxAge'], { message: `${maxAge} is not a whole number of seconds`, hint: `use ${Math.round(maxAge)}` });
    } else if (maxAge < MAX_AGE_MIN || maxAge > MAX_AGE_MAX) {
      report(['maxAge'], {
        message: `${maxAge} is outside the range API Gateway accepts (${MAX_AGE_MIN} to ${MAX_AGE_MAX} seconds)`,
        hint: maxAge > MAX_AGE_MAX ? `use at most ${MAX_AGE_MAX} (one day); browsers cap it lower anyway (Chromium: 7200)` : `use ${MAX_AGE_MIN} to ask browsers not to cache preflights`,
      });
    }
  }

  cors.allowMethods?.forEach((method, i) => {
    const problem = checkMethod(method);
    if (problem) report(['allowMethods', i], problem);
  });

  for (const key of ['allowHeaders', 'exposeHeaders'] as const) {
    cors[key]?.forEach((name, i) => {
      const problem = checkHeaderName(name);
      if (problem) report([key, i], problem);
    });
  }
  return issues;
}

/** `true` for `scheme://host[:port]` with a port in range; wildcards are not exact origins. */
export function isExactOrigin(text: string): boolean {
  const match = ORIGIN.exec(text);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65_535);
}

export function joinPath(basePath: string, segments: PropertyKey[]): string {
  const rest = formatPath(segments);
  return basePath ? `${basePath}${rest.startsWith('[') ? '' : '.'}${rest}` : rest;
}

function checkOrigin(entry: string): Problem | undefined {
  if (WILDCARD_ORIGINS.has(entry.toLowerCase()) || isExactOrigin(entry)) return undefined;
  const quoted = JSON.stringify(entry);
  const trimmed = entry.trim();

  if (trimmed.includes('*')) {
    const leading = LEADING_WILDCARD.exec(trimmed);
    const example = leading ? `"${(leading[1] ?? 'https').toLowerCase()}://www.${leading[2]!}"` : '"https://www.example.com"';
    return {
      message: `${quoted} uses a partial wildcard, which API Gateway rejects`,
      hint: `API Gateway has no wildcard subdomains: list each origin, e.g. ${example}; only "*", "https://*" and "http://*" are wildcards`,
    };
  }
  if (trimmed === 'null') {
    return {
      message: '"null" is not an origin API Gateway can list',
      hint: 'file:// pages and sandboxed frames send "Origin: null"; only "*" allows them',
    };
  }

  const fixed = suggestOrigin(trimmed);
  const hint = fixed !== undefined && fixed !== entry ? `use "${fixed}"` : ORIGIN_FORMS;
  if (trimmed !== entry && isExactOrigin(trimmed)) return { message: `${quoted} has spaces around it`, hint };
  // "localhost:3000" has no scheme; "https:/" has a broken one.
  if (!/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(trimmed)) return { message: `${quoted} is not an origin: it has no scheme`, hint };
  const afterAuthority = /^[^:]+:\/\/[^/?#]*(.*)$/.exec(trimmed)?.[1] ?? '';
  if (afterAuthority === '/') return { message: `${quoted} is not an origin: it ends with "/"`, hint };
  if (afterAuthority !== '') return { message: `${quoted} is not an origin: an origin has no path or query`, hint };
  return { message: `${quoted} is not an origin`, hint };
}

/** The origin the user most likely meant: scheme added, path dropped, lower-cased; if it is one. */
function suggestOrigin(text: string): string | undefined {
  let withScheme = text;
  if (!SCHEME.test(text)) {
    if (!/^[\w.-]+(?::\d+)?(?:[/?#]|$)/.test(text)) return undefined;
    // Dev servers on localhost are plain http; everything else is most likely https.
    withScheme = `${/^(?:localhost|127\.0\.0\.1)(?:[:/?#]|$)/i.test(text) ? 'http' : 'https'}://${text}`;
  }
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)/i.exec(withScheme);
  if (!match) return undefined;
  const fixed = `${match[1]!}://${match[2]!}`.toLowerCase();
  return isExactOrigin(fixed) ? fixed : undefined;
}

function checkMethod(method: string): Problem | undefined {
  // Letter case is not what AWS checks for; compileCors upper-cases, as browsers send methods.
  if (method === '*' || METHODS.has(method.toUpperCase())) return undefined;
  const message = `${JSON.stringify(method)} is not an HTTP method`;
  const trimmed = method.trim();
  if (trimmed === '*' || METHODS.has(trimmed.toUpperCase())) return { message, hint: `use "${trimmed.toUpperCase()}"` };
  const parts = splitList(trimmed);
  if (trimmed.includes(',') && parts.length > 1) return { message, hint: `list each method as its own entry: ${JSON.stringify(parts.map((p) => p.toUpperCase()))}` };
  if (trimmed.toUpperCase() === 'ANY') return { message, hint: 'use "*" to allow every method' };
  const suggestion = didYouMean(trimmed, CORS_METHODS);
  return { message, hint: suggestion ? `did you mean "${suggestion}"?` : `use one of ${CORS_METHODS.join(', ')}, or "*"` };
}

function checkHeaderName(name: string): Problem | undefined {
  if (TOKEN.test(name)) return undefined;
  const message = name === '' ? 'an empty header name' : `${JSON.stringify(name)} is not a valid header name`;
  const trimmed = name.trim();
  if (trimmed === '') return { message, hint: 'remove the empty entry' };
  if (TOKEN.test(trimmed)) return { message, hint: `use "${trimmed}"` };
  const parts = splitList(trimmed);
  if (trimmed.includes(',') && parts.length > 1 && parts.every((p) => TOKEN.test(p))) {
    return { message, hint: `list each header as its own entry: ${JSON.stringify(parts)}` };
  }
  return { message, hint: "header names are letters, digits and !#$%&'*+-.^_`|~, without spaces" };
}

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((part) => part !== '');
}
