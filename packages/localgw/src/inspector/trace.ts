import type { RouteExplanation } from '@localgw/core';
import type { RequestLogEntry } from '../log.js';

/**
 * What the gateway did with one request, step by step in the pipeline's order (issue 20): what
 * the request inspector shows. The pipeline fills one only while someone is watching
 * (`Inspector.active`); otherwise it costs a branch per step.
 */
export interface RequestTrace {
  readonly requestId: string;
  readonly time: number;
  readonly request: {
    readonly method: string;
    readonly rawPath: string;
    readonly rawQueryString: string;
    /** `[name, value, …]` as received. */
    readonly headers: readonly string[];
    /** The body as text (UTF-8) or base64, at most PREVIEW_BYTES of it; undefined without one (or unread, streamed). */
    body?: BodyPreview;
  };
  stage?: { name: string; pathWithoutStage: string | undefined; note: string };
  route?: RouteExplanation;
  cors?: { configured: boolean; decision: string };
  authorizer?:
    | { kind: 'jwt'; name: string; allowed: boolean; statusCode?: number; reason?: string; claims?: Readonly<Record<string, string>>; scopes?: readonly string[] | null }
    | {
        kind: 'request';
        name: string;
        allowed: boolean;
        statusCode?: number;
        reason: string;
        /** `hit` (cached answer), `miss` (invoked), `off` (caching disabled), `no-identity` (401 before invoking). */
        cache: 'hit' | 'miss' | 'off' | 'no-identity';
        event?: unknown;
        answer?: string;
      };
  integration?:
    | { kind: 'lambda'; functionName: string; payloadFormatVersion: string; event?: unknown; outcome?: string; result?: string; note?: string; durationMs?: number }
    | { kind: 'http'; url?: string; statusCode?: number; note?: string; durationMs?: number };
  /** Console lines the handler (or authorizer) printed while serving this request. */
  logs: Array<{ level: string; text: string }>;
  response?: {
    statusCode: number;
    headers: ReadonlyArray<readonly [string, string]>;
    body?: BodyPreview;
    /** What the gateway added to (or dropped from) the integration's headers. */
    added: string[];
    removed: string[];
  };
  /** The one-line summary (the request log line's fields). */
  summary?: RequestLogEntry;
  timings?: { totalMs: number; authorizerMs?: number; integrationMs?: number };
}

export interface BodyPreview {
  readonly encoding: 'utf8' | 'base64';
  readonly text: string;
  readonly bytes: number;
  readonly truncated: boolean;
}

/** How much of a body the inspector keeps. */
export const PREVIEW_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function previewBody(body: string | Uint8Array | undefined): BodyPreview | undefined {
  if (body === undefined) return undefined;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (bytes.byteLength === 0) return undefined;
  const kept = bytes.byteLength > PREVIEW_BYTES ? bytes.subarray(0, PREVIEW_BYTES) : bytes;
  const truncated = kept.byteLength < bytes.byteLength;
  try {
    return { encoding: 'utf8', text: utf8.decode(kept), bytes: bytes.byteLength, truncated };
  } catch {
    return { encoding: 'base64', text: Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength).toString('base64'), bytes: bytes.byteLength, truncated };
  }
}

/** One request in the inspector's list: the log line's fields, always kept (cheap). */
export interface TraceSummary {
  readonly requestId: string;
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly statusCode: number;
  readonly routeKey: string | undefined;
  readonly durationMs: number;
  readonly auth: string | undefined;
  readonly note: string | undefined;
  /** Whether the full story was recorded (someone was watching). */
  readonly detailed: boolean;
}

export interface ReloadRecord {
  readonly time: number;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly reason: string;
  readonly error?: string;
}

/**
 * The inspector's store: a bounded ring of the last `capacity` requests (their summaries always,
 * their full traces while someone watches), the reload history, and live listeners.
 */
export class Inspector {
  readonly capacity: number;
  // A ring of the last `capacity` log entries and their times: kept for every request, so the
  // list has the requests from before the page was opened. Nothing is allocated for it per
  // request beyond the log entry the request already has.
  readonly #entries: Array<RequestLogEntry | undefined>;
  readonly #times: Float64Array;
  #next = 0;
  #count = 0;
  readonly #traces = new Map<string, RequestTrace>();
  readonly #listeners = new Set<(summary: TraceSummary) => void>();
  readonly #reloads: ReloadRecord[] = [];
  /** Traces in flight, by request id, for the console lines their handlers print. */
  readonly #open = new Map<string, RequestTrace>();
  #watchers = 0;

  constructor(capacity = 200) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`the inspector keeps at least one request, got ${capacity}`);
    this.capacity = capacity;
    this.#entries = new Array<RequestLogEntry | undefined>(capacity);
    this.#times = new Float64Array(capacity);
  }

  /** True while someone watches: only then does the pipeline record full traces. */
  get active(): boolean {
    return this.#watchers > 0;
  }

  /** Starts watching; the returned function stops. Listeners get each new request's summary. */
  watch(listener?: (summary: TraceSummary) => void): () => void {
    this.#watchers++;
    if (listener) this.#listeners.add(listener);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.#watchers--;
      if (listener) this.#listeners.delete(listener);
    };
  }

  /** A trace for `request`, when someone watches. */
  begin(request: { requestId: string; timeEpoch: number; method: string; rawPath: string; rawQueryString: string; rawHeaders: readonly string[]; body: Uint8Array | undefined }): RequestTrace | undefined {
    if (this.#watchers === 0) return undefined;
    const trace: RequestTrace = {
      requestId: request.requestId,
      time: request.timeEpoch,
      request: { method: request.method, rawPath: request.rawPath, rawQueryString: request.rawQueryString, headers: [...request.rawHeaders], body: previewBody(request.body) },
      logs: [],
    };
    this.#open.set(request.requestId, trace);
    return trace;
  }

  /** A console line of a handler; kept with its request's trace if that is being recorded. */
  log(requestId: string | undefined, level: string, text: string): void {
    if (requestId === undefined || this.#open.size === 0) return;
    const trace = this.#open.get(requestId);
    if (trace && trace.logs.length < 1000) trace.logs.push({ level, text: text.length > 8192 ? `${text.slice(0, 8192)}…` : text });
  }

  /** A request was answered: list it (and keep its trace, if any). */
  record(entry: RequestLogEntry, time: number, trace: RequestTrace | undefined): void {
    const at = this.#next;
    const dropped = this.#entries[at];
    if (dropped !== undefined && this.#traces.size > 0) this.#traces.delete(dropped.requestId);
    this.#entries[at] = entry;
    this.#times[at] = time;
    this.#next = at + 1 === this.capacity ? 0 : at + 1;
    if (this.#count < this.capacity) this.#count++;
    if (trace) {
      trace.summary = entry;
      this.#traces.set(entry.requestId, trace);
      // Console lines a handler prints just after answering still arrive for a moment.
      setTimeout(() => this.#open.delete(entry.requestId), 1_000).unref();
    }
    if (this.#listeners.size > 0) {
      const summary = this.#summaryAt(at);
      for (const listener of this.#listeners) listener(summary);
    }
  }

  #summaryAt(at: number): TraceSummary {
    const entry = this.#entries[at]!;
    return {
      requestId: entry.requestId,
      time: this.#times[at]!,
      method: entry.method,
      path: entry.path,
      statusCode: entry.statusCode,
      routeKey: entry.routeKey,
      durationMs: entry.durationMs,
      auth: entry.auth,
      note: entry.note,
      detailed: this.#traces.has(entry.requestId),
    };
  }

  /** Summaries, newest first. */
  list(): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (let i = 1; i <= this.#count; i++) out.push(this.#summaryAt((this.#next - i + this.capacity) % this.capacity));
    return out;
  }

  get(requestId: string): RequestTrace | undefined {
    return this.#traces.get(requestId);
  }

  reloaded(record: ReloadRecord): void {
    this.#reloads.push(record);
    if (this.#reloads.length > 100) this.#reloads.shift();
  }

  reloads(): ReloadRecord[] {
    return [...this.#reloads].reverse();
  }
}

/** The header lines `after` has that `before` did not, and the reverse (`name: value`, names lower-cased). */
export function headerDiff(before: ReadonlyArray<readonly [string, string]>, after: ReadonlyArray<readonly [string, string]>): { added: string[]; removed: string[] } {
  const lines = (list: ReadonlyArray<readonly [string, string]>) => list.map(([n, v]) => `${n.toLowerCase()}: ${v}`);
  const b = lines(before);
  const a = lines(after);
  const minus = (x: string[], y: string[]) => {
    const left = [...y];
    return x.filter((line) => {
      const at = left.indexOf(line);
      if (at < 0) return true;
      left.splice(at, 1);
      return false;
    });
  };
  return { added: minus(a, b), removed: minus(b, a) };
}
