/**
 * A problem found in a config, at a path a user can find in their file
 * (`routes["GET /items/{id}"].authorizer`), with a hint that says how to fix it.
 */
export interface ConfigIssue {
  /** Where: a JS-like path into the config, e.g. `cors.allowOrigins[1]`. `''` for the whole file. */
  path: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** How to fix it, when we know. */
  hint?: string;
  /** Errors stop the config from loading; warnings are printed by `localgw check` and at start. */
  severity: 'error' | 'warning';
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['routes', 'GET /x', 'authorizer']` → `routes["GET /x"].authorizer`. */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** One line per issue: `path: message (hint)`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.path ? `${issue.path}: ` : '';
  return `${where}${issue.message}${issue.hint ? ` (${issue.hint})` : ''}`;
}
