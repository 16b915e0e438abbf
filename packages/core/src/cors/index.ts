export { validateCors, CORS_METHODS, MAX_AGE_MIN, MAX_AGE_MAX } from './validate-cors.js';
export { findCorsTraps } from './traps.js';
export { compileCors } from './compile-cors.js';
export { checkPreflight, isPreflight, nonPreflightOptionsResponse, preflightResponse } from './preflight.js';
export { applyCors } from './response-headers.js';

export type { CorsConfig } from './types.js';
export type { CompiledCors } from './compile-cors.js';
export type { PreflightCheck } from './preflight.js';
export type { CorsRequest } from './response-headers.js';
