import type { ConfigIssue } from '@localgw/core';

export type LocalgwErrorCode =
  | 'ERR_CONFIG_NOT_FOUND'
  | 'ERR_CONFIG_PARSE'
  | 'ERR_CONFIG_INVALID'
  | 'ERR_HANDLER_NOT_FOUND'
  | 'ERR_AUTHORIZER_UNKNOWN'
  | 'ERR_LISTEN'
  | 'ERR_USAGE';

/** A failure the user can fix (bad config, port in use); the CLI prints it as one paragraph. */
export class LocalgwError extends Error {
  override readonly name = 'LocalgwError';
  constructor(
    readonly code: LocalgwErrorCode,
    message: string,
    readonly details: { file?: string; issues?: ConfigIssue[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

export function isLocalgwError(error: unknown): error is LocalgwError {
  return error instanceof LocalgwError;
}
