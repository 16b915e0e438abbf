// @localgw/runtime: Lambda-style handlers in worker threads, isolated from the gateway.
export { createRuntime } from './create-runtime.js';
export { HANDLER_EXTENSIONS, resolveHandlerRef } from './handler-ref.js';
export { DEFAULT_REGION } from './lambda-context.js';

export type { FunctionStats, InlineHandler, InvokeRequest, Runtime, RuntimeOptions, VerifyProblem } from './create-runtime.js';
export type { HandlerRef, ResolveHandlerResult } from './handler-ref.js';
export type { InvokeOutcome } from './invoke.js';
export type { LambdaContext } from './lambda-context.js';
export type { ModuleGraphEntry, RuntimeLogEntry } from './worker-slot.js';
