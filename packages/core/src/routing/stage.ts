/** The stage served from the root of the invoke URL, with no path prefix (§1.2). */
export const DEFAULT_STAGE = '$default';

/**
 * The path routes are matched against: `rawPath` without the stage segment (§1.2, "`$request.path`
 * is the request path, without the stage name"). Returns undefined when the path is outside the
 * stage; the caller answers `404 {"message":"Not Found"}` (§1.6).
 *
 * The path stays percent-encoded; the stage segment is compared as sent, so `/d%65v` is not `/dev`.
 *
 * @example stripStage('dev', '/dev/items') // '/items'
 * @example stripStage('dev', '/dev') // '/'
 * @example stripStage('$default', '/items') // '/items' (the $default stage adds no prefix, §8.8)
 */
export function stripStage(stage: string, rawPath: string): string | undefined {
  if (stage === DEFAULT_STAGE) return rawPath;
  // startsWith with an offset compares in place, so a request allocates nothing to miss.
  if (rawPath.charCodeAt(0) !== 47 /* / */ || !rawPath.startsWith(stage, 1)) return undefined;
  const end = stage.length + 1;
  if (rawPath.length === end) return '/';
  // `/devices` is not inside stage `dev`: the stage must be a whole segment.
  if (rawPath.charCodeAt(end) !== 47) return undefined;
  return rawPath.slice(end);
}
