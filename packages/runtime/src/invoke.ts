// One invocation from request to outcome: the deadline, the wait for a worker, and everything
// that can go wrong, as a value. Nothing here throws or rejects.
import { callHandler, toOutcome } from './call-handler.js';
import type { Handler } from './call-handler.js';
import type { ContextFields } from './lambda-context.js';

/** How an invocation ended. The caller maps it to a gateway response (aws-behavior.md §4.6). */
export type InvokeOutcome =
  /**
   * The handler's result, serialised like the Lambda Node.js runtime (`undefined` → `"null"`);
   * with `InvokeRequest.bodyAsBytes`, its large `body` may be taken out as `body`, the bytes the
   * client gets (decoded from base64 when `isBase64Encoded`).
   */
  | { kind: 'ok'; payload: string; body?: Uint8Array }
  /** The handler threw, rejected, called back with an error, or returned something unserialisable. → 500 */
  | { kind: 'error'; errorType: string; errorMessage: string; stack?: string }
  /** The deadline passed; the worker was terminated. → 503 (the integration timeout). */
  | { kind: 'timeout'; timeoutMs: number }
  /** The worker died: process.exit, an uncaught exception outside the invocation, out of memory. → 500 */
  | { kind: 'crash'; reason: string }
  /** The module could not be loaded or has no such function export. → 500 */
  | { kind: 'load-error'; message: string; stack?: string };

/** setTimeout's limit; longer timeouts would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Epoch ms at which an invocation arriving `now` times out; `Infinity` when it has no timeout. */
export function deadlineFor(now: number, timeoutMs: number): number {
  return hasTimeout(timeoutMs) ? now + timeoutMs : Infinity;
}

export function hasTimeout(timeoutMs: number): boolean {
  return Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS;
}

/**
 * Run an inline (function) handler in this thread. Same outcomes and serialisation as a worker,
 * but a timeout can only stop the waiting, not the handler; an empty event loop cannot be
 * detected, so callback results are used at once (see `callHandler`).
 */
export function invokeInline(handler: Handler, event: unknown, fields: ContextFields, timeoutMs: number): Promise<InvokeOutcome> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    if (hasTimeout(timeoutMs)) timer = setTimeout(() => resolve({ kind: 'timeout', timeoutMs }), timeoutMs);
    void callHandler(handler, event, fields, { detectsEmptyEventLoop: false }).completion.then((completion) => {
      if (timer) clearTimeout(timer);
      resolve(toOutcome(completion));
    });
  });
}
