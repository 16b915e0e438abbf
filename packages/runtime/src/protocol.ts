// The messages exchanged between the main thread and a handler worker. Both sides import this
// file, so it depends on nothing (but types: `node:worker_threads` and core's wire form of a request).
//
// Under load, messaging cost more than the handlers (issue 7), so: invocations travel to a worker
// in batches, one message per turn of the main thread's event loop; `ok` results come back
// through a ring in shared memory (result-ring.ts), everything else a worker says through one
// port in order, which the main thread drains with `receiveMessageOnPort` (before the ring) when
// a shared counter moves: one wake-up for however many results and messages (a 'message' event
// each cost several microseconds of the gateway's thread).

import type { MessagePort } from 'node:worker_threads';
import type { WireContext } from '@localgw/core/event-wire';

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** Indexes into `WorkerConfig.progress`. */
/**
 * The id of the invocation the worker last started. The worker claims each with a
 * compare-and-swap; the main thread takes back the ones not started by swapping in
 * `WITHDRAWN_FENCE | highest id taken back`, which the worker's next claim runs into.
 */
export const STARTED = 0;
export const FINISHED = 1;
/** Messages the worker has posted on `replies` or results it wrote to `results`; the main thread waits on it. */
export const POSTED = 2;
/** The write and read positions of the `results` ring (result-ring.ts). */
export const RESULTS_WRITTEN = 3;
export const RESULTS_READ = 4;
export const PROGRESS_BYTES = 20;
export const WITHDRAWN_FENCE = 1 << 30;

/** `workerData` of every handler worker: one worker serves one function. */
export interface WorkerConfig {
  /** Absolute path of the handler module. */
  file: string;
  /** Export to call; dots walk into nested objects, like Lambda's `index.nested.handler`. */
  exportName: string;
  functionName: string;
  logStreamName: string;
  /** Report the module graph after loading (`RuntimeOptions.onModules`). */
  trackModules?: boolean;
  /**
   * Boot (and start tracking the module graph), but load the handler's module only on a
   * `StartMessage`: a worker started while a file is still being saved, ahead of its reload.
   */
  held?: boolean;
  /**
   * Held, and for no function yet: `file`, `exportName`, `functionName` and `logStreamName`
   * are placeholders, and the `StartMessage` names the function (`Runtime.prepareSpare`).
   */
  spare?: boolean;
  /**
   * Set when a bootstrap (the tsx loader used when running from `src/`) imports the entry and
   * calls its `runWorker` itself; the entry must then not start on its own.
   */
  bootstrapped?: boolean;
  /**
   * Int32s: the id of the invocation the worker last started, and of the one it last
   * finished (then POSTED). Results are sent in batches, so a worker stuck in a handler can hold finished
   * ones unsent; this tells the main thread which invocations started (never to be run twice)
   * and which one is running (the one to stop at its timeout).
   */
  progress: SharedArrayBuffer;
  /** Where the worker posts every message (`FromWorker`), bumping `progress[POSTED]` after each. */
  replies: MessagePort;
  /**
   * A ring of `RESULT_RING_BYTES` for `ok` results (result-ring.ts), also counted in
   * `progress[POSTED]`; a result that does not fit goes on `replies` as an `OkResultMessage`.
   */
  results: SharedArrayBuffer;
}

/**
 * An invocation as the worker queues it. It arrives as `INVOCATION_FIELDS` entries of an
 * `InvokeBatch`, in this order, with `context` as the number the batch's header gave it.
 */
export interface Invocation {
  id: number;
  /** Epoch milliseconds at which the invocation times out, for `getRemainingTimeInMillis()`. */
  deadline: number;
  requestId: string;
  /** The request's route context (`WireEvent.context`); undefined for a plain event. */
  context: WireContext | undefined;
  /**
   * A request in `encodeEventInput`'s form (`WireEvent` of `@localgw/core`: this is its
   * `fields`, the next three its other parts), which the worker turns into the payload-format
   * event; or, wrapped, a plain event to pass as it is (the other three fields then unused).
   */
  event: readonly unknown[] | { event: unknown };
  headers: readonly string[] | undefined;
  authorizer: string | undefined;
  body: Uint8Array | undefined;
  /** `InvokeRequest.bodyAsBytes`: a large structured result body may come back as bytes. */
  bodyAsBytes: boolean;
}

export const INVOCATION_FIELDS = 9;

/**
 * Invocations to run one after the other, in order, after any already received: a worker is one
 * Lambda execution environment and never runs two at once. A flat array (`Invocation`'s fields
 * one invocation after the other), because an array of primitives is structured-cloned in a
 * third of the time of the same values as objects, on each side of the hop.
 *
 * It starts with a `BatchHeader`: a route's context (the part of its requests' events that
 * never changes, stage variables included) is sent to a worker once, and invocations refer to
 * it by number.
 */
export type InvokeBatch = Array<BatchHeader[number] | Invocation[keyof Invocation]>;

export type BatchHeader = [
  /** Forget every context number given before this batch (numbers are then given anew). */
  reset: boolean,
  /** New contexts, `[number, context, number, context, …]`, or null. */
  contexts: Array<number | WireContext> | null,
];

export const BATCH_HEADER_FIELDS = 2;

/** Load the module and resolve the export without invoking it (`Runtime.verify`). */
export interface LoadMessage {
  type: 'load';
  id: number;
}

/** Load the module now: the reload a held worker was started for has come (`WorkerConfig.held`). */
export interface StartMessage {
  type: 'start';
  /** For a spare worker (`WorkerConfig.spare`): the function it serves from now on. */
  assign?: SpareAssignment;
}

/** What a spare worker learns when it is given a function. */
export interface SpareAssignment {
  file: string;
  exportName: string;
  functionName: string;
  logStreamName: string;
  /** The function's whole environment: it replaces the worker's `process.env`. */
  env: Record<string, string>;
  /** Report the module graph (false: the file's graph is known already, the tracking stops). */
  trackModules: boolean;
}

export type ToWorker = InvokeBatch | LoadMessage | StartMessage;

/** What a worker can report by itself; timeouts and crashes are detected by the main thread. */
export type WorkerOutcome =
  /**
   * `body`, when set, is the result's `body` field as the bytes the client gets (decoded from
   * base64 when `isBase64Encoded`), taken out of `payload` (result-body.ts).
   */
  | { kind: 'ok'; payload: string; body?: Uint8Array }
  | { kind: 'error'; errorType: string; errorMessage: string; stack?: string }
  | { kind: 'load-error'; message: string; stack?: string };

export interface Result {
  id: number;
  outcome: WorkerOutcome;
  /** How long the invocation ran in the worker, in ms: the pool's measure of the function's speed. */
  ms: number;
}

/** An invocation's outcome; results come in the order the invocations were received in. */
export interface ResultMessage extends Result {
  type: 'result';
}

/**
 * An `ok` result too large for the results ring or with its body as bytes (transferred), as
 * `[id, ms, payload, body?]`: the shape that is cheapest to clone, as an `InvokeBatch` is.
 * Other outcomes are `ResultMessage`s.
 */
export type OkResultMessage = [id: number, ms: number, payload: string, body?: Uint8Array];

export interface LogMessage {
  type: 'log';
  level: LogLevel;
  text: string;
  /** Absent for output printed while the module loads (Lambda's init phase). */
  requestId?: string;
}

/** The local files the handler's module loaded, sent once after the init phase. */
export interface ModulesMessage {
  type: 'modules';
  files: string[];
}

/**
 * A child process the handler started (`alive`), or one that exited: the gateway kills those
 * still alive when the worker goes, since a terminated worker cannot.
 */
export interface ChildMessage {
  type: 'child';
  pid: number;
  alive: boolean;
}

export type FromWorker = OkResultMessage | ResultMessage | LogMessage | ModulesMessage | ChildMessage;
