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
//
// Prefetch, localgw's own addition, used by its Python client: a GET …/next that carries
// `Localgw-Runtime-Prefetch: 1` may be answered while the invocation before it still runs. The
// environment still runs one invocation at a time, in order, but the next one is already in its
// socket when it posts its answer: it does not sleep between invocations, and the gateway's write
// does not have to wake it. Such a runtime keeps one GET waiting beyond the one for its next
// invocation. What it is handed is its to run, or to hand back unstarted (POST
// …/invocation/{id}/localgw-return) when the one before it is slow; runtimes that do not ask
// for prefetch get the standard API.
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { LAMBDA_MAX_RESPONSE_BYTES, responseTooLarge } from '../call-handler.js';
import type { InvokeOutcome } from '../invoke.js';
import { createHttpServer, type HttpRequest, type Reply } from './http-server.js';

const PREFIX = '/2018-06-01/runtime/';
const NEXT = `${PREFIX}invocation/next`;
const INVOCATION = `${PREFIX}invocation/`;
const INIT_ERROR = `${PREFIX}init/error`;

/** The header with which a GET …/next asks to be answered before the running invocation ends. */
export const PREFETCH_HEADER = 'localgw-runtime-prefetch';
/** GETs …/next a prefetching runtime may keep waiting beyond the one for its next invocation. */
export const MAX_PREFETCH = 8;

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
  /**
   * An invocation went out as the answer to GET …/next: the runtime has it, and runs it now or,
   * prefetched, once it has answered those handed out before it.
   */
  delivered(invocation: ApiInvocation): void;
  /** The runtime answered the running invocation (`ok`), failed it (`error`), or answered past the quota. */
  answered(invocation: ApiInvocation, outcome: Extract<InvokeOutcome, { kind: 'ok' | 'error' }>): void;
  /** The runtime reported that it could not initialize (POST …/init/error). */
  initFailed(error: ApiError): void;
  /** A prefetching runtime handed back an invocation it had not started (POST …/invocation/{id}/localgw-return). */
  returned(invocation: ApiInvocation): void;
}

/** The runtime's state, named as in the Runtime Interface Emulator (they appear in 403 messages). */
type Phase = 'Started' | 'Ready' | 'RuntimeResponseSentState' | 'InitError';

export class RuntimeApi {
  readonly #server: net.Server;
  readonly #listener: RuntimeApiListener;
  readonly #functionArn: string;
  #phase: Phase = 'Started';
  /** The invocation to give on the next GET …/next. */
  #offered: ApiInvocation | undefined;
  /** The last one given: its id is the only one the runtime may answer for, until the next one. */
  #current: ApiInvocation | undefined;
  #answeredCurrent = false;
  /** Prefetched: handed out while `#current` ran, in order; each becomes current when the one before is answered. */
  readonly #ahead: ApiInvocation[] = [];
  /** GETs …/next waiting for an invocation, oldest first: one, or two with prefetch. */
  readonly #waiting: Reply[] = [];
  #prefetch = false;
  #address = '';
  #closed = false;
  readonly #sockets = new Set<net.Socket>();

  private constructor(listener: RuntimeApiListener, functionArn: string) {
    this.#listener = listener;
    this.#functionArn = functionArn;
    this.#server = createHttpServer((request, reply) => this.#route(request, reply), LAMBDA_MAX_RESPONSE_BYTES);
    // Neither the server nor the runtime's connections keep the gateway alive; the process does while busy.
    this.#server.unref();
    this.#server.on('connection', (socket) => {
      socket.unref();
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /**
   * A Runtime API on 127.0.0.1 and a free port. (Over a Unix socket, which localgw's own Python
   * client could use, an exchange measured no faster here, with or without prefetch: loopback TCP
   * serves every client.)
   */
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

  /** Whether the runtime asks for prefetch (see the top of this file): invocations may be offered while one runs. */
  get prefetching(): boolean {
    return this.#prefetch;
  }

  /**
   * Give the runtime `invocation` as the answer to its GET …/next: at once if one is waiting,
   * else to the next one. One offer at a time; while one runs, only to a runtime that prefetches.
   */
  offer(invocation: ApiInvocation): void {
    this.#offered = invocation;
    const waiting = this.#waiting.shift();
    if (waiting !== undefined) this.#deliver(waiting, invocation);
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
    this.#waiting.length = 0;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #route(request: HttpRequest, reply: Reply): void {
    const { path, method } = request;
    if (path === NEXT) return method === 'GET' ? this.#next(request, reply) : methodNotAllowed(reply);
    if (path === INIT_ERROR) return method === 'POST' ? this.#initError(request, reply) : methodNotAllowed(reply);
    if (path.startsWith(INVOCATION)) {
      const rest = path.slice(INVOCATION.length);
      const slash = rest.indexOf('/');
      const kind = rest.slice(slash + 1);
      if (slash > 0 && (kind === 'response' || kind === 'error')) {
        return method === 'POST' ? this.#answer(request, reply, decodeId(rest.slice(0, slash)), kind) : methodNotAllowed(reply);
      }
      if (slash > 0 && kind === 'localgw-return' && this.#prefetch) {
        return method === 'POST' ? this.#return(reply, decodeId(rest.slice(0, slash))) : methodNotAllowed(reply);
      }
    }
    // As the emulator's router (chi): a plain-text 404 for a path it does not serve.
    reply.send(404, 'text/plain; charset=utf-8', '404 page not found\n', 'X-Content-Type-Options: nosniff\r\n');
  }

  #next(request: HttpRequest, reply: Reply): void {
    if (this.#phase === 'InitError') return forbidden(reply, this.#phase, 'Ready');
    const prefetch = request.headers.get(PREFETCH_HEADER) === '1';
    if (this.#waiting.length >= (prefetch ? 1 + MAX_PREFETCH : 1)) {
      // One environment, one invocation at a time: another waiting GET is a runtime's bug.
      return forbidden(reply, 'Ready', 'Ready', 'another GET /runtime/invocation/next is already waiting');
    }
    const first = this.#phase === 'Started';
    this.#phase = 'Ready';
    if (first) {
      this.#prefetch = prefetch;
      this.#listener.initDone();
    }
    if (this.#closed) return;
    const offered = this.#offered;
    if (offered !== undefined && this.#waiting.length === 0) return this.#deliver(reply, offered);
    this.#waiting.push(reply);
    reply.onClose(() => {
      const at = this.#waiting.indexOf(reply);
      if (at >= 0) this.#waiting.splice(at, 1);
    });
  }

  #deliver(reply: Reply, invocation: ApiInvocation): void {
    this.#offered = undefined;
    if (this.running) this.#ahead.push(invocation);
    else {
      this.#current = invocation;
      this.#answeredCurrent = false;
    }
    const deadline = Number.isFinite(invocation.deadline) ? invocation.deadline : Date.now() + MAX_FUNCTION_TIMEOUT_MS;
    let headers =
      `Lambda-Runtime-Aws-Request-Id: ${invocation.requestId}\r\n` +
      `Lambda-Runtime-Deadline-Ms: ${Math.floor(deadline)}\r\n` +
      `Lambda-Runtime-Invoked-Function-Arn: ${this.#functionArn}\r\n` +
      `Lambda-Runtime-Trace-Id: ${invocation.traceId}\r\n`;
    // Sent only when set, as Lambda does: API Gateway invocations carry neither.
    if (invocation.clientContext !== undefined) headers += `Lambda-Runtime-Client-Context: ${invocation.clientContext}\r\n`;
    if (invocation.cognitoIdentity !== undefined) headers += `Lambda-Runtime-Cognito-Identity: ${invocation.cognitoIdentity}\r\n`;
    // Handed out at once. The runtime's lines printed before its answer still carry the previous
    // invocation's tag: they were written before the answer that asked for this one, so they
    // are read before it (the kernel reports the pipe ready before the socket; libuv handles
    // them in that order).
    reply.send(200, 'application/json', invocation.body, headers);
    this.#listener.delivered(invocation);
  }

  #answer(request: HttpRequest, reply: Reply, id: string, kind: 'response' | 'error'): void {
    const current = this.#current;
    // The emulator checks the id first: before any invocation, every id is unknown.
    if (current === undefined || id !== current.requestId) return json(reply, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    const target = kind === 'response' ? 'InvocationResponse' : 'InvocationErrorResponse';
    if (this.#phase !== 'Ready' || this.#answeredCurrent) return forbidden(reply, this.#phase, target);
    this.#answeredCurrent = true;
    this.#phase = 'RuntimeResponseSentState';
    const next = this.#ahead.shift();
    if (next !== undefined) {
      // A prefetched invocation: the runtime runs it now.
      this.#current = next;
      this.#answeredCurrent = false;
      this.#phase = 'Ready';
    }
    const { body } = request;
    if (body === undefined) {
      json(reply, 413, { errorMessage: `Exceeded maximum allowed payload size (${LAMBDA_MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' });
      this.#listener.answered(current, responseTooLarge(request.size));
      return;
    }
    json(reply, 202, { status: 'OK' });
    const text = body.toString('utf8');
    this.#listener.answered(current, kind === 'response' ? { kind: 'ok', payload: text } : { kind: 'error', ...parseError(text, request.headers) });
  }

  #return(reply: Reply, id: string): void {
    const at = this.#ahead.findIndex((invocation) => invocation.requestId === id);
    // Only one handed out behind the running one, not started, can come back.
    if (at < 0) return json(reply, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    const [invocation] = this.#ahead.splice(at, 1);
    json(reply, 202, { status: 'OK' });
    this.#listener.returned(invocation!);
  }

  #initError(request: HttpRequest, reply: Reply): void {
    if (this.#phase !== 'Started') return forbidden(reply, this.#phase, 'InitError');
    this.#phase = 'InitError';
    json(reply, 202, { status: 'OK' });
    this.#listener.initFailed(parseError(request.body?.toString('utf8') ?? '', request.headers));
  }
}

/**
 * An error body as runtimes send it (`{"errorMessage", "errorType", "stackTrace"}`); a body that
 * is not that JSON is the message, and `Lambda-Runtime-Function-Error-Type` (else "Unhandled",
 * Lambda's `X-Amz-Function-Error`) the type.
 */
export function parseError(body: string, headers: ReadonlyMap<string, string>): ApiError {
  const header = headers.get('lambda-runtime-function-error-type');
  const headerType = header !== undefined && header !== '' ? header : undefined;
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

function json(reply: Reply, status: number, body: object): void {
  reply.send(status, 'application/json', JSON.stringify(body));
}

/** The emulator's answer to a call the runtime's state does not allow. */
function forbidden(reply: Reply, from: Phase, to: string, error = 'State transition is not allowed'): void {
  json(reply, 403, { errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: ${error}`, errorType: 'InvalidStateTransition' });
}

/** As the emulator's router: an empty 405 for a served path asked with another method. */
function methodNotAllowed(reply: Reply): void {
  reply.send(405, undefined, '');
}
