/**
 * The API's CORS configuration, with API Gateway's names and rules (aws-behavior.md §2.1).
 * Leaving `cors` out means CORS is not configured: the gateway adds no CORS headers, answers no
 * preflight itself, and passes any CORS headers your handlers return through unchanged (§2.2,
 * §2.5). With `cors` present, even `{}`, the gateway owns CORS: CORS headers your handlers return
 * are dropped and replaced by the ones configured here.
 *
 * @example
 * ```json
 * {
 *   "allowOrigins": ["https://www.example.com", "http://localhost:5173"],
 *   "allowMethods": ["GET", "POST"],
 *   "allowHeaders": ["authorization", "content-type"],
 *   "allowCredentials": true,
 *   "exposeHeaders": ["x-request-id"],
 *   "maxAge": 300
 * }
 * ```
 */
export interface CorsConfig {
  /**
   * Origins allowed to call the API, sent back in `Access-Control-Allow-Origin`. Each entry is an
   * exact origin (`scheme://host[:port]`, no path, no trailing slash, e.g.
   * `"https://www.example.com"`), `"*"` for every origin, `"https://*"` for every https origin,
   * or `"http://*"` for every http origin. Partial wildcards such as `"https://*.example.com"`
   * are rejected, as API Gateway rejects them: list each origin. Only the one origin that made the
   * request is ever sent back, never the whole list. Matching ignores letter case.
   *
   * Absent or empty: no origin is allowed, so no CORS headers are sent.
   */
  allowOrigins?: string[];
  /**
   * Sends `Access-Control-Allow-Credentials: true`, so browsers may send cookies and
   * `Authorization` headers and let scripts read the response. API Gateway rejects it when
   * `allowOrigins` contains `"*"` (even next to other origins); list the origins instead.
   *
   * @default false
   */
  allowCredentials?: boolean;
  /**
   * Response headers that browser scripts may read, sent in `Access-Control-Expose-Headers`
   * (e.g. `["date", "x-api-id"]`). `"*"` exposes every header, except on requests made with
   * credentials, where browsers read it as a header literally named `*`.
   */
  exposeHeaders?: string[];
  /**
   * How long, in seconds, a browser may cache a preflight answer, sent in
   * `Access-Control-Max-Age`. API Gateway accepts -1 to 86400; -1 is sent as is and is taken to
   * mean "do not cache" (AWS does not document it). Browsers cap the value themselves
   * (Chromium: 7200).
   *
   * Absent: the header is not sent, and browsers cache for 5 seconds.
   */
  maxAge?: number;
  /**
   * Methods a preflight may ask for, sent in `Access-Control-Allow-Methods`: HTTP methods such as
   * `"GET"` or `"DELETE"`, or `"*"` for every method. API Gateway answers a preflight only when
   * the requested method is listed here: with `allowMethods` absent, no preflight succeeds.
   */
  allowMethods?: string[];
  /**
   * Request headers a preflight may ask for, sent in `Access-Control-Allow-Headers`
   * (e.g. `["authorization", "content-type"]`), or `"*"` for any header. A preflight succeeds only
   * when every header it asks for is listed here (letter case is ignored).
   */
  allowHeaders?: string[];
}
