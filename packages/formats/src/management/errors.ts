/**
 * The management API's error types (config-formats.md §5.4), with the HTTP status the service
 * model gives each. Clients read the type from the `x-amzn-ErrorType` header and the text from
 * `message`, so the AWS CLI prints `An error occurred (BadRequestException) when calling the
 * UpdateApi operation: <message>`.
 */
export type ManagementErrorType = 'BadRequestException' | 'NotFoundException' | 'ConflictException' | 'TooManyRequestsException' | 'AccessDeniedException';

const STATUS: Record<ManagementErrorType, number> = {
  BadRequestException: 400,
  AccessDeniedException: 403,
  NotFoundException: 404,
  ConflictException: 409,
  TooManyRequestsException: 429,
};

export class ManagementError extends Error {
  readonly type: ManagementErrorType;
  readonly statusCode: number;
  /** NotFoundException's `resourceType` member. */
  readonly resourceType: string | undefined;

  constructor(type: ManagementErrorType, message: string, resourceType?: string) {
    super(message);
    this.name = 'ManagementError';
    this.type = type;
    this.statusCode = STATUS[type];
    this.resourceType = resourceType;
  }
}

export function isManagementError(error: unknown): error is ManagementError {
  return error instanceof ManagementError;
}

export const badRequest = (message: string) => new ManagementError('BadRequestException', message);
export const conflict = (message: string) => new ManagementError('ConflictException', message);
/** moto's texts, which match AWS's v1 wording (config-formats.md §5.4, §7). */
export const notFound = (resourceType: string, id: string) =>
  new ManagementError('NotFoundException', `Invalid ${resourceType} identifier specified ${id}`, resourceType);
