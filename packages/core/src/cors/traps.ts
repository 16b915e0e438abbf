import type { ConfigIssue } from '../config/issues.js';
import type { CorsConfig } from './types.js';
import { isExactOrigin, joinPath } from './validate-cors.js';

const DEFAULT_PORT = /^(https:\/\/[^/]+):443$|^(http:\/\/[^/]+):80$/i;

/**
 * CORS settings API Gateway accepts but that do not do what their author wants, as warnings for
 * `localgw check` and the start-up banner. Run it on a config that {@link validateCors} accepted.
 */
export function findCorsTraps(cors: CorsConfig, basePath = 'cors'): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const warn = (segments: PropertyKey[], message: string, hint: string) =>
    warnings.push({ path: joinPath(basePath, segments), message, hint, severity: 'warning' });

  if (cors.allowOrigins?.length && !cors.allowMethods?.length) {
    // §2.3 "Matching": a preflight matches only a listed method, so with no list none matches.
    warn(
      ['allowMethods'],
      'is not set, so every browser preflight fails (PUT, DELETE, JSON POSTs, custom headers); API Gateway answers a preflight only for a listed method',
      'list the methods your app sends, e.g. ["GET", "POST", "PUT", "DELETE"], or use ["*"]',
    );
  }

  cors.allowOrigins?.forEach((origin, i) => {
    // Browsers never write the default port into Origin, and AWS compares origins as text.
    const match = isExactOrigin(origin) ? DEFAULT_PORT.exec(origin) : null;
    if (match) {
      warn(['allowOrigins', i], 'browsers send this origin without its default port, so it never matches', `use "${(match[1] ?? match[2])!}"`);
    }
  });

  if (cors.allowCredentials === true) {
    cors.exposeHeaders?.forEach((name, i) => {
      if (name !== '*') return;
      // Fetch standard: on a request with credentials, "*" in Access-Control-Expose-Headers is a header name.
      warn(['exposeHeaders', i], 'is read literally by browsers on requests with credentials, so it exposes nothing', 'list the headers scripts should read, e.g. ["x-request-id"]');
    });
  }
  return warnings;
}
