import { gatewayResponse, setRequestId, type GatewayResponse } from '@localgw/core';
import type { Logger, RequestLogEntry } from '../log.js';

/**
 * The answer to a request that localgw itself failed on (a bug, not a handler's fault): what API
 * Gateway answers for its own failures, `500 {"message":"Internal Server Error"}` with
 * `apigw-requestid` (§7.1, §10), plus the error's stack and the request's log line.
 */
export function internalError(logger: Logger, error: unknown, request: { method: string; path: string; requestId: string; timeEpoch: number }): GatewayResponse {
  const reason = describeError(error);
  safely(() => logger.error(`localgw internal error: ${reason.stack}`));
  logRequest(logger, {
    method: request.method,
    path: request.path,
    routeKey: undefined,
    statusCode: 500,
    durationMs: Date.now() - request.timeEpoch,
    requestId: request.requestId,
    note: `localgw internal error: ${reason.message}`,
  });
  const response = gatewayResponse('INTERNAL_SERVER_ERROR');
  setRequestId(response, request.requestId);
  return response;
}

/** Writes a request's log line; a logger that throws costs the line, never the answer. */
export function logRequest(logger: Logger, entry: RequestLogEntry): void {
  try {
    logger.request(entry);
  } catch (error) {
    safely(() => logger.error(`localgw could not write a request log line: ${describeError(error).message}`));
  }
}

/** Message and stack of anything thrown, without calling back into it beyond what cannot throw. */
function describeError(error: unknown): { message: string; stack: string } {
  try {
    if (error instanceof Error) return { message: String(error.message), stack: String(error.stack ?? error.message) };
    const text = String(error);
    return { message: text, stack: text };
  } catch {
    return { message: '(an unprintable value was thrown)', stack: '(an unprintable value was thrown)' };
  }
}

function safely(write: () => void): void {
  try {
    write();
  } catch {
    // Nowhere left to report it.
  }
}
