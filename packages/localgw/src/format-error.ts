import { formatIssue } from '@localgw/core';
import { isLocalgwError } from './errors.js';

/**
 * The one place that turns a failure into text for people: a headline, then one line per
 * issue with its path and a hint. Used by the CLI and by the reload log.
 */
export function formatLoadError(error: unknown): string {
  if (!isLocalgwError(error)) return error instanceof Error ? (error.stack ?? error.message) : String(error);
  const lines = [error.message];
  // Warnings ride along when they explain the error (a template whose only API is a REST one).
  for (const issue of error.details.issues ?? []) lines.push(`  ${issue.severity === 'warning' ? '!' : '✗'} ${formatIssue(issue)}`);
  return lines.join('\n');
}
