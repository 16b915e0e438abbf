// The Lambda Runtime API (version 2018-06-01) of one execution environment: the HTTP endpoint a
// runtime process finds in AWS_LAMBDA_RUNTIME_API, asks for invocations (GET …/invocation/next)
// and answers them on (POST …/invocation/{id}/response, …/error, …/init/error). Paths, headers,
// status codes and error bodies follow AWS's documentation (runtimes-api) and its Runtime
// Interface Emulator (rapi/): 202 {"status":"OK"} on success, 400 InvalidRequestID for an id
// that is not the current invocation's, 403 InvalidStateTransition for a call the runtime's
// state does not allow, 413 RequestEntityTooLarge past Lambda's response quota.
//
// One server per runtime process, on 127.0.0.1 and a port of its own: every runtime interface
// client takes host:port, and the port tells which environment a request is from.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LAMBDA_MAX_RESPONSE_BYTES, responseTooLarge } from '../call-handler.js';
import type { InvokeOutcome } from '../invoke.js';

const PREFIX = '/2018-06-01/runtime/';
const NEXT = `${PREFIX}invocation/next`;
const INVOCATION = `${PREFIX}invocation/`;
const INIT_ERROR = `${PREFIX}init/error`;

/** Lambda's longest function timeout: the deadline given for an invocation that has none. */
const MAX_FUNCTION_TIMEOUT_MS = 900_000;

/** One invocation as the Runtime API hands it to the runtime. */
export interface ApiInvocation {
  /** `Lambda-Runtime-Aws-Request-Id`, the `{id}` of the runtime's answer. */
  readonly requestId: string;
  /** Epoch ms (`Lambda-Runtime-Deadline-Ms`); `Infinity` when the invocation has no timeout. */
  readonly deadline: number;
  /** The event, as JSON. */
  readonly body: string;
  /** `Lambda-Runtime-Trace-Id`. */
  readonly traceId: string;
  /** `Lambda-Runtime-Client-Context` (mobile SDK invocations only: never sent for API Gateway). */
  readonly clientContext?: string;
  /** `Lambda-Runtime-Cognito-Identity` (likewise). */
  readonly cognitoIdentity?: string;
}

/** An invocation's end as the runtime reports it, or the init failure it reports. */
export type ApiError = { errorType: string; errorMessage: string; stack?: string };

export interface RuntimeApiListener {
  /** The runtime asked for its first invocation: its init phase is over. */
  initDone(): void;
  /** An invocation went out as the answer to GET …/next: it runs now. */
  delivered(invocation: ApiInvocation): void;
  /** The runtime answered the running invocation (`ok`), failed it (`error`), or answered past the quota. */
  answered(invocation: ApiInvocation, outcome: Extract<InvokeOutcome, { kind: 'ok' | 'error' }>): void;
  /** The runtime reported that it could not initialize (POST …/init/error). */
  initFailed(error: ApiError): void;
}

/** The runtime's state, named as in the Runtime Interface Emulator (they appear in 403 messages). */
type Phase = 'Started' | 'Ready' | 'RuntimeResponseSentState' | 'InitError';

export class RuntimeApi {
  readonly #server: http.Server;
  readonly #listener: RuntimeApiListener;
  readonly #functionArn: string;
  #phase: Phase = 'Started';
  /** The invocation to give on the next GET …/next. */
  #offered: ApiInvocation | undefined;
  /** The last one given: its id is the only one the runtime may answer for, until the next one. */
  #current: ApiInvocation | undefined;
  #answeredCurrent = false;
  /** A GET …/next waiting for an invocation. */
  #waiting: http.ServerResponse | undefined;
  #address = '';
  #closed = false;

  private constructor(listener: RuntimeApiListener, functionArn: string) {
    this.#listener = listener;
    this.#functionArn = functionArn;
    this.#server = http.createServer({ noDelay: true, keepAliveTimeout: 0 }, (req, res) => this.#route(req, res));
    // A GET …/next waits as long as the environment is idle (minutes): no server timeout may cut it.
    this.#server.requestTimeout = 0;
    this.#server.headersTimeout = 0;
    this.#server.keepAliveTimeout = 0;
    // Neither the server nor the runtime's connections keep the gateway alive; the process does while busy.
    this.#server.unref();
    this.#server.on('connection', (socket) => socket.unref());
  }

  /** A Runtime API on 127.0.0.1 and a free port. */
  static async start(listener: RuntimeApiListener, functionArn: string): Promise<RuntimeApi> {
    const api = new RuntimeApi(listener, functionArn);
    await new Promise<void>((resolve, reject) => {
      api.#server.once('error', reject);
      api.#server.listen(0, '127.0.0.1', () => {
        api.#server.off('error', reject);
        resolve();
      });
    });
    api.#address = `127.0.0.1:${(api.#server.address() as AddressInfo).port}`;
    return api;
  }

  /** `AWS_LAMBDA_RUNTIME_API`: host and port, no scheme. */
  get address(): string {
    return this.#address;
  }

  /** Whether an invocation was handed out and not yet answered. */
  get running(): boolean {
    return this.#current !== undefined && !this.#answeredCurrent;
  }

  /**
   * Give the runtime `invocation` as the answer to its GET …/next: at once if one is waiting,
   * else to the next one. One at a time: the environment runs one invocation at a time.
   */
  offer(invocation: ApiInvocation): void {
    this.#offered = invocation;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      this.#deliver(waiting, invocation);
    }
  }

  /** Take back an invocation offered and not yet handed out (its timeout fired first). */
  withdraw(invocation: ApiInvocation): boolean {
    if (this.#offered !== invocation) return false;
    this.#offered = undefined;
    return true;
  }

  /** Stop serving: the waiting GET …/next and every connection are dropped. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiting = undefined;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  #route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (path === NEXT) {
      if (req.method !== 'GET') return methodNotAllowed(req, res);
      return this.#next(req, res);
    }
    if (path === INIT_ERROR) {
      if (req.method !== 'POST') return methodNotAllowed(req, res);
      return this.#initError(req, res);
    }
    if (path.startsWith(INVOCATION)) {
      const rest = path.slice(INVOCATION.length);
      const slash = rest.indexOf('/');
      const kind = rest.slice(slash + 1);
      if (slash > 0 && (kind === 'response' || kind === 'error')) {
        if (req.method !== 'POST') return methodNotAllowed(req, res);
        return this.#answer(req, res, decodeId(rest.slice(0, slash)), kind);
      }
    }
    notFound(req, res);
  }

  #next(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    if (this.#phase === 'InitError') return forbidden(res, this.#phase, 'Ready');
    if (this.#waiting !== undefined) {
      // One environment, one invocation at a time: a second waiting GET is a runtime's bug.
      return forbidden(res, 'Ready', 'Ready', 'another GET /runtime/invocation/next is already waiting');
    }
    const first = this.#phase === 'Started';
    this.#phase = 'Ready';
    if (first) this.#listener.initDone();
    if (this.#closed) return;
    res.once('close', () => {
      if (this.#waiting === res) this.#waiting = undefined;
    });
    const offered = this.#offered;
    if (offered === undefined) {
      this.#waiting = res;
      return;
    }
    // What the runtime wrote to stdout before this request is in the same turn's reads: handing
    // the next invocation out after them keeps their lines tagged with the invocation that
    // printed them (the log is tagged by the invocation running when a line arrives).
    this.#waiting = res;
    setImmediate(() => {
      if (this.#waiting !== res || this.#offered !== offered) return;
      this.#waiting = undefined;
      this.#deliver(res, offered);
    });
  }

  #deliver(res: http.ServerResponse, invocation: ApiInvocation): void {
    this.#offered = undefined;
    this.#current = invocation;
    this.#answeredCurrent = false;
    const deadline = Number.isFinite(invocation.deadline) ? invocation.deadline : Date.now() + MAX_FUNCTION_TIMEOUT_MS;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(invocation.body),
      'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
      'Lambda-Runtime-Deadline-Ms': String(Math.floor(deadline)),
      'Lambda-Runtime-Invoked-Function-Arn': this.#functionArn,
      'Lambda-Runtime-Trace-Id': invocation.traceId,
    };
    // Sent only when set, as Lambda does: API Gateway invocations carry neither.
    if (invocation.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = invocation.clientContext;
    if (invocation.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = invocation.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(invocation.body);
    this.#listener.delivered(invocation);
  }

  #answer(req: http.IncomingMessage, res: http.ServerResponse, id: string, kind: 'response' | 'error'): void {
    const current = this.#current;
    // The emulator checks the id first: before any invocation, every id is unknown.
    if (current === undefined || id !== current.requestId) {
      req.resume();
      return json(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    }
    const target = kind === 'response' ? 'InvocationResponse' : 'InvocationErrorResponse';
    if (this.#phase !== 'Ready' || this.#answeredCurrent) {
      req.resume();
      return forbidden(res, this.#phase, target);
    }
    // Claimed now, on arrival: a second answer is refused whatever its body, and a GET …/next
    // sent right behind this request (pipelined) finds the runtime past its answer.
    this.#answeredCurrent = true;
    this.#phase = 'RuntimeResponseSentState';
    readBody(req, (body, size) => {
      if (body === undefined) {
        json(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${LAMBDA_MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' });
        this.#listener.answered(current, responseTooLarge(size));
        return;
      }
      json(res, 202, { status: 'OK' });
      this.#listener.answered(current, kind === 'response' ? { kind: 'ok', payload: body } : { kind: 'error', ...parseError(body, req.headers) });
    });
  }

  #initError(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.#phase !== 'Started') {
      req.resume();
      return forbidden(res, this.#phase, 'InitError');
    }
    this.#phase = 'InitError';
    readBody(req, (body) => {
      json(res, 202, { status: 'OK' });
      this.#listener.initFailed(parseError(body ?? '', req.headers));
    });
  }
}

/**
 * The body as text, or `undefined` once it is over Lambda's response quota (`size` then counts
 * it all: the rest is read and dropped, never kept).
 */
function readBody(req: http.IncomingMessage, done: (body: string | undefined, size: number) => void): void {
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = Number.isFinite(declared) && declared > LAMBDA_MAX_RESPONSE_BYTES;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > LAMBDA_MAX_RESPONSE_BYTES) over = true;
    if (!over) chunks.push(chunk);
    else chunks.length = 0;
  });
  req.once('end', () => done(over ? undefined : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'), size));
  // A runtime that dies mid-body: the process's exit reports it.
  req.once('error', () => {});
}

/**
 * An error body as runtimes send it (`{"errorMessage", "errorType", "stackTrace"}`); a body that
 * is not that JSON is the message, and `Lambda-Runtime-Function-Error-Type` (else "Unhandled",
 * Lambda's `X-Amz-Function-Error`) the type.
 */
export function parseError(body: string, headers: http.IncomingHttpHeaders): ApiError {
  const header = headers['lambda-runtime-function-error-type'];
  const headerType = typeof header === 'string' && header !== '' ? header : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const { errorMessage, errorType, stackTrace } = parsed as Record<string, unknown>;
    const error: ApiError = {
      errorType: typeof errorType === 'string' && errorType !== '' ? errorType : (headerType ?? 'Unhandled'),
      errorMessage: typeof errorMessage === 'string' ? errorMessage : errorMessage === undefined ? '' : JSON.stringify(errorMessage),
    };
    const stack = Array.isArray(stackTrace) ? stackTrace.map(String).join('') : typeof stackTrace === 'string' ? stackTrace : undefined;
    if (stack) error.stack = stack.replace(/\n$/, '');
    return error;
  }
  return { errorType: headerType ?? 'Unhandled', errorMessage: body };
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function json(res: http.ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The emulator's answer to a call the runtime's state does not allow. */
function forbidden(res: http.ServerResponse, from: Phase, to: string, error = 'State transition is not allowed'): void {
  json(res, 403, { errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: ${error}`, errorType: 'InvalidStateTransition' });
}

/** As the emulator's router (chi): a plain-text 404 for a path it does not serve. */
function notFound(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end('404 page not found\n');
}

/** …and an empty 405 for a served path asked with another method. */
function methodNotAllowed(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  res.writeHead(405, { 'Content-Length': 0 });
  res.end();
}
