import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { formatPath, type ConfigIssue } from './issues.js';

type ZodIssue = z.core.$ZodIssue;

/** Keys each strict object accepts, so an unknown key can get a did-you-mean. */
export type KnownKeys = (path: ReadonlyArray<PropertyKey>) => readonly string[];

/**
 * Turns zod's issues into ones a user can act on: the path in their file, one message, and a
 * hint. Unions are unwrapped to the branch the user was evidently writing, so a typo in a
 * route object says "unknown key handlr (did you mean handler?)", not "Invalid input".
 */
export function fromZodIssues(issues: readonly ZodIssue[], knownKeys: KnownKeys): ConfigIssue[] {
  return issues.flatMap((issue) => translate(issue, [], knownKeys));
}

function translate(issue: ZodIssue, prefix: PropertyKey[], knownKeys: KnownKeys): ConfigIssue[] {
  const segments = [...prefix, ...issue.path];
  const path = formatPath(segments);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, knownKeys(segments));
        const known = knownKeys(segments);
        return {
          path: formatPath([...segments, key]),
          message: `unknown key "${key}"`,
          hint: suggestion
            ? `did you mean "${suggestion}"?`
            : known.length > 0
              ? `allowed keys: ${known.join(', ')}`
              : 'remove it',
          severity: 'error',
        } satisfies ConfigIssue;
      });
    case 'invalid_union': {
      // The branch with the fewest problems that got past the type check is what the user meant.
      const branches = issue.errors.filter((errors) => !errors.every((e) => e.code === 'invalid_type' && e.path.length === 0));
      const best = branches.sort((a, b) => a.length - b.length)[0];
      if (best) return best.flatMap((e) => translate(e, segments, knownKeys));
      return [{ path, message: issue.message.replace(/^Invalid input/, 'invalid value'), hint: unionHint(segments), severity: 'error' }];
    }
    case 'invalid_type':
      return [{ path, message: issue.message.replace(/^Invalid input: /, ''), severity: 'error' }];
    default:
      return [{ path, message: issue.message, severity: 'error' }];
  }
}

function unionHint(segments: readonly PropertyKey[]): string | undefined {
  if (segments[0] === 'routes' && segments.length === 2) {
    return 'a route is "FILE.EXPORT", { "handler": "FILE.EXPORT", … } or { "url": "http://…" }';
  }
  return undefined;
}
