// How the Lambda Node.js runtime calls a handler and decides that an invocation is complete,
// following aws-lambda-nodejs-runtime-interface-client (Runtime.js, CallbackContext.js).
// Shared by the worker and the in-process (inline) path; depends only on `node:*`.
import { types } from 'node:util';
import type { WorkerOutcome } from './protocol.js';
import type { ContextControl, ContextFields, LambdaContext } from './lambda-context.js';
import { createContext } from './lambda-context.js';
import { splitResultBody } from './result-body.js';

export type Completion = { ok: true; result: unknown } | { ok: false; error: unknown };

export type Handler = (event: unknown, context: LambdaContext, callback: (error?: unknown, result?: unknown) => void) => unknown;

export interface HandlerCall {
  /** Settles once with the invocation's result or error. */
  readonly completion: Promise<Completion>;
  /**
   * Tell the call that the event loop has nothing left to run. Only a worker can know this
   * (its `beforeExit`); the inline path never calls it.
   */
  eventLoopEmpty(): void;
}

export interface CallOptions {
  /**
   * Whether the caller can detect an empty event loop. Without it (inline handlers) a callback
   * result is used at once, and a synchronous handler that neither returns a promise nor takes a
   * callback completes with `null` at once, which is what Lambda ends up answering.
   */
  detectsEmptyEventLoop: boolean;
}

/** An async handler whose promise is still pending when nothing is left to run (Node 18+ runtimes). */
export const NODEJS_EXIT = {
  errorType: 'Runtime.NodeJsExit',
  errorMessage: 'Runtime exited without providing a reason: the handler returned a Promise that was never settled, and nothing else was left to run',
} as const;

/**
 * Call `handler` like Lambda does. Completion, first one wins:
 * - a returned promise settles;
 * - `callback(err, result)`: an error completes at once; a result waits for the empty event loop
 *   while `context.callbackWaitsForEmptyEventLoop` is true (the default), like Lambda;
 * - `context.done/succeed/fail` complete at once;
 * - the event loop empties: the waiting callback result, or `null` for a synchronous handler, or
 *   `Runtime.NodeJsExit` for an `async function` whose promise never settled.
 */
export function callHandler(handler: Handler, event: unknown, fields: ContextFields, options: CallOptions): HandlerCall {
  const call = new Call(handler, options.detectsEmptyEventLoop);
  try {
    const context = createContext(fields, call);
    call.context = context;
    const returned = handler(event, context, call.callback);
    if (isThenable(returned)) {
      returned.then(
        (result) => call.complete({ ok: true, result }),
        (error: unknown) => call.complete({ ok: false, error }),
      );
    } else if (!options.detectsEmptyEventLoop && handler.length < 3) {
      call.complete({ ok: true, result: null });
    }
  } catch (error) {
    call.complete({ ok: false, error });
  }
  return call;
}

/** One invocation's completion state; the context's methods and the callback drive it. */
class Call implements HandlerCall, ContextControl {
  readonly completion: Promise<Completion>;
  /** Its flag decides, when the callback is called, whether a result waits for the empty event loop. */
  context: LambdaContext | undefined;
  readonly #handler: Handler;
  readonly #detectsEmptyEventLoop: boolean;
  #finish!: (completion: Completion) => void;
  #finished = false;
  #deferred: Completion | undefined;

  constructor(handler: Handler, detectsEmptyEventLoop: boolean) {
    this.#handler = handler;
    this.#detectsEmptyEventLoop = detectsEmptyEventLoop;
    this.completion = new Promise<Completion>((resolve) => (this.#finish = resolve));
  }

  complete(completion: Completion): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#deferred = undefined;
    this.#finish(completion);
  }

  done(error?: unknown, result?: unknown): void {
    if (this.#finished || this.#deferred) return;
    this.complete(error === undefined || error === null ? { ok: true, result } : { ok: false, error });
  }

  /** The handler's third argument; handlers call it detached, so it is bound. */
  readonly callback = (error?: unknown, result?: unknown): void => {
    if (this.#finished || this.#deferred) return;
    if (error !== undefined && error !== null) this.complete({ ok: false, error });
    else if (this.context?.callbackWaitsForEmptyEventLoop && this.#detectsEmptyEventLoop) this.#deferred = { ok: true, result };
    else this.complete({ ok: true, result });
  };

  eventLoopEmpty(): void {
    if (this.#finished) return;
    if (this.#deferred) this.complete(this.#deferred);
    else if (types.isAsyncFunction(this.#handler)) {
      const error = new Error(NODEJS_EXIT.errorMessage);
      error.name = NODEJS_EXIT.errorType;
      error.stack = undefined;
      this.complete({ ok: false, error });
    } else this.complete({ ok: true, result: null });
  }
}

/**
 * Lambda's quota on a synchronous invocation's response, in bytes of the serialised result: "6 MB",
 * exactly the number its error names (the request side is 6 MiB, `LAMBDA_MAX_PAYLOAD_BYTES`).
 */
export const LAMBDA_MAX_RESPONSE_BYTES = 6_291_556;

/**
 * Serialise like the Lambda runtime: `undefined` becomes `null`. A result over Lambda's response
 * quota fails the invocation, as it does on Lambda (and API Gateway answers 500). With
 * `bodyAsBytes`, a structured result's large body comes back as bytes (`splitResultBody`).
 */
export function toOutcome(completion: Completion, bodyAsBytes = false): WorkerOutcome {
  if (!completion.ok) return toErrorOutcome(completion.error);
  if (bodyAsBytes) {
    const split = splitResultBody(completion.result, LAMBDA_MAX_RESPONSE_BYTES);
    if (split !== undefined) return split;
  }
  let payload: string | undefined;
  try {
    payload = JSON.stringify(completion.result === undefined ? null : completion.result);
  } catch (error) {
    // Lambda reports `Runtime.JSONStringifyError: Unable to stringify response body` (BigInt,
    // circular structures, a throwing toJSON); the original error explains which one.
    const cause = toErrorOutcome(error);
    return {
      kind: 'error',
      errorType: 'Runtime.JSONStringifyError',
      errorMessage: `Unable to stringify response body (${cause.errorType}: ${cause.errorMessage})`,
      ...(cause.stack === undefined ? {} : { stack: cause.stack }),
    };
  }
  if (payload === undefined) {
    // A function or a symbol serialises to `undefined`; Lambda sends no body, i.e. null.
    return { kind: 'ok', payload: 'null' };
  }
  // Counted only when it could be over: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (payload.length * 3 > LAMBDA_MAX_RESPONSE_BYTES) {
    const bytes = Buffer.byteLength(payload);
    if (bytes > LAMBDA_MAX_RESPONSE_BYTES) return responseTooLarge(bytes);
  }
  return { kind: 'ok', payload };
}

/** How Lambda fails an invocation whose response is `bytes` long, over its quota (any runtime). */
export function responseTooLarge(bytes: number): { kind: 'error'; errorType: string; errorMessage: string } {
  return {
    kind: 'error',
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${LAMBDA_MAX_RESPONSE_BYTES} bytes).`,
  };
}

/** Lambda's `errorType`/`errorMessage` for anything a handler throws or rejects with. */
export function toErrorOutcome(error: unknown): { kind: 'error'; errorType: string; errorMessage: string; stack?: string } {
  if (isErrorLike(error)) {
    return {
      kind: 'error',
      errorType: error.name,
      errorMessage: error.message,
      ...(typeof error.stack === 'string' ? { stack: error.stack } : {}),
    };
  }
  let message: string;
  try {
    message = String(error);
  } catch {
    message = Object.prototype.toString.call(error);
  }
  return { kind: 'error', errorType: typeof error, errorMessage: message };
}

function isErrorLike(value: unknown): value is { name: string; message: string; stack?: unknown } {
  if (types.isNativeError(value)) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
