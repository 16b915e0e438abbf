// The messages exchanged between the main thread and a handler worker. Both sides import this
// file, so it depends on nothing. One message goes each way per invocation; logs are the only
// other traffic.

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

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
   * Set when a bootstrap (the tsx loader used when running from `src/`) imports the entry and
   * calls its `runWorker` itself; the entry must then not start on its own.
   */
  bootstrapped?: boolean;
}

export interface InvokeMessage {
  type: 'invoke';
  id: number;
  event: unknown;
  requestId: string;
  /** Epoch milliseconds at which the invocation times out, for `getRemainingTimeInMillis()`. */
  deadline: number;
}

/** Load the module and resolve the export without invoking it (`Runtime.verify`). */
export interface LoadMessage {
  type: 'load';
  id: number;
}

export type ToWorker = InvokeMessage | LoadMessage;

/** What a worker can report by itself; timeouts and crashes are detected by the main thread. */
export type WorkerOutcome =
  | { kind: 'ok'; payload: string }
  | { kind: 'error'; errorType: string; errorMessage: string; stack?: string }
  | { kind: 'load-error'; message: string; stack?: string };

export interface ResultMessage {
  type: 'result';
  id: number;
  outcome: WorkerOutcome;
}

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

export type FromWorker = ResultMessage | LogMessage | ModulesMessage;
