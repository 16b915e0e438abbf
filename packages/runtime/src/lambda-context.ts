// The Lambda `context` object and the environment variables of a Lambda execution environment.
// Shared by the worker and the in-process (inline) path; depends only on `node:*`.
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** The account id localgw pretends to run in; AWS documentation uses the same one. */
export const LOCAL_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
export const FUNCTION_VERSION = '$LATEST';
/** As in Lambda, a string. The worker's real heap limit is `RuntimeOptions.workerMemoryLimitMb`. */
export const MEMORY_LIMIT_IN_MB = '128';
export const EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';

/** The fields of a Lambda Node.js `context`; `done`, `succeed`, `fail` and the flag come from call-handler. */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity: undefined;
  clientContext: undefined;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
}

export interface ContextFields {
  functionName: string;
  requestId: string;
  /** Epoch ms; `Infinity` when the invocation has no timeout. */
  deadline: number;
  logStreamName: string;
  region: string;
}

/** What the context's completion methods act on (the invocation, in call-handler). */
export interface ContextControl {
  done(error?: unknown, result?: unknown): void;
}

/**
 * The `context` a handler receives, shaped like the Lambda runtime's: one object literal with the
 * methods as own functions (handlers destructure them), built without spreads because it is
 * made for every invocation. The runtime's `callbackWaitsForEmptyEventLoop` is an accessor over
 * a flag it reads when the callback is called; here it is a plain property, read at the same
 * moment (call-handler): the same behaviour, without the accessor pair that cost V8 half a
 * microsecond to define on every invocation, most of the handler worker's time on a quick route.
 */
export function createContext(fields: ContextFields, control: ContextControl): LambdaContext {
  const { deadline, functionName } = fields;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: FUNCTION_VERSION,
    invokedFunctionArn: `arn:aws:lambda:${fields.region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: MEMORY_LIMIT_IN_MB,
    awsRequestId: fields.requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: fields.logStreamName,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error?: unknown, result?: unknown) => control.done(error, result),
    succeed: (result?: unknown) => control.done(null, result),
    // Lambda's `context.fail()` without an argument reports the string "handled".
    fail: (error?: unknown) => control.done(error === undefined || error === null ? 'handled' : error),
  };
}

/** `2024/05/01/[$LATEST]` plus 32 hex digits: one per execution environment, as in CloudWatch. */
export function createLogStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${FUNCTION_VERSION}]${randomBytes(16).toString('hex')}`;
}

export interface LambdaEnvFields {
  functionName: string;
  file: string;
  exportName: string;
  logStreamName: string;
  /** The folder handler paths are relative to (Lambda's `/var/task`). */
  taskRoot: string;
  /** The parent's environment: a region already set there wins over the default. */
  parentEnv: NodeJS.ProcessEnv;
  /** `_HANDLER` when it is not `FILE.EXPORT` relative to the task root (other runtimes say it their way). */
  handler?: string;
  /** `AWS_EXECUTION_ENV`; `null`: unset, as for custom runtimes. Default: the Node.js runtime's. */
  executionEnv?: string | null;
}

/**
 * The variables Lambda sets in every execution environment. `TZ` is left alone: a worker cannot
 * change the time zone of the process it shares, so setting `:UTC` here would be a lie.
 */
/** `process.env` without its unset names: what a worker's `env` option takes. */
export function stringEntries(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

export function createLambdaEnv(f: LambdaEnvFields): Record<string, string> {
  const region = f.parentEnv.AWS_REGION ?? f.parentEnv.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  const moduleName = path.relative(f.taskRoot, stripExtension(f.file)).split(path.sep).join('/');
  const executionEnv = f.executionEnv === undefined ? EXECUTION_ENV : f.executionEnv;
  return {
    AWS_LAMBDA_FUNCTION_NAME: f.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: FUNCTION_VERSION,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: MEMORY_LIMIT_IN_MB,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${f.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: f.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: f.parentEnv.AWS_DEFAULT_REGION ?? region,
    ...(executionEnv !== null && { AWS_EXECUTION_ENV: executionEnv }),
    LAMBDA_TASK_ROOT: f.taskRoot,
    _HANDLER: f.handler ?? `${moduleName}.${f.exportName}`,
  };
}

function stripExtension(file: string): string {
  const ext = path.extname(file);
  return ext ? file.slice(0, -ext.length) : file;
}
