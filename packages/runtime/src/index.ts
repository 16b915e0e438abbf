// @localgw/runtime: Lambda handlers isolated from the gateway: Node.js in worker threads, other
// runtimes (Python, custom runtimes) in child processes speaking the Lambda Runtime API.
export { createRuntime } from './create-runtime.js';
export { bootSpareWorker } from './early-spare.js';
export { HANDLER_EXTENSIONS, resolveHandlerRef } from './handler-ref.js';
export { DEFAULT_REGION } from './lambda-context.js';
export { releaseSharedBody, SHARED_BODY_BYTES, sharedBody } from './shared-bodies.js';

export type { FunctionStats, InlineHandler, InvokeRequest, Runtime, RuntimeOptions, VerifyProblem } from './create-runtime.js';
export type { FunctionRuntime, HandlerRef, ResolveHandlerResult } from './handler-ref.js';
export type { ProcessHandler } from './process/process-handler.js';
export type { InvokeOutcome } from './invoke.js';
export type { LambdaContext } from './lambda-context.js';
export type { ModuleGraphEntry, RuntimeLogEntry } from './worker-slot.js';
