import pc from 'picocolors';
import { useColor } from './colors.js';
import { escapeLogText, logText } from './log-text.js';

/** One line per request: `GET /items/42 → GET /items/{id} · 200 · 3.1 ms`. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** The matched route key; undefined when nothing matched (404, automatic preflight). */
  routeKey: string | undefined;
  statusCode: number;
  durationMs: number;
  requestId: string;
  /** What the authorizer decided, e.g. `jwt main ✓ sub=alice` or `jwt main ✗ token expired …`. */
  auth?: string;
  /** Why the gateway answered with an error (handler threw, timeout…), for the developer. */
  note?: string;
}

export interface HandlerLogEntry {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
  functionName: string;
  routeKey?: string;
  requestId?: string;
}

/** Everything localgw prints goes through a Logger, so tests can record or silence it. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  request(entry: RequestLogEntry): void;
  handler(entry: HandlerLogEntry): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  request() {},
  handler() {},
};

export interface ConsoleLoggerOptions {
  /** Default: a TTY or FORCE_COLOR, never with NO_COLOR (see `useColor`). */
  colors?: boolean;
  write?: (line: string) => void;
  writeError?: (line: string) => void;
}

export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const c = pc.createColors(options.colors ?? useColor(process.stdout));
  const out = options.write ?? ((line: string) => queueLine(process.stdout, line));
  const err = options.writeError ?? ((line: string) => queueLine(process.stderr, line));
  // A line per request: the parts that repeat are made once.
  const statuses = new Map<number, string>();
  const status = (code: number) => {
    if (typeof code !== 'number') return logText(code);
    let text = statuses.get(code);
    if (text === undefined) {
      text = String(code);
      text = code >= 500 ? c.red(text) : code >= 400 ? c.yellow(text) : code >= 300 ? c.cyan(text) : c.green(text);
      statuses.set(code, text);
    }
    return text;
  };
  const methods = new Map<string, string>();
  const method = (name: string) => {
    if (typeof name !== 'string') return c.bold(logText(name));
    let text = methods.get(name);
    if (text === undefined) {
      text = c.bold(escapeLogText(name));
      // Methods are a handful, unless a client invents them.
      if (methods.size < 64) methods.set(name, text);
    }
    return text;
  };
  const arrow = ` ${c.dim('→')} `;
  const dot = ` ${c.dim('·')} `;
  const noRoute = c.dim('(no route)');
  // The line can never throw, whatever the entry holds (issue 13): every field goes through
  // logText, which also escapes what a client controls (the path, an Origin in a note, a token's
  // kid in the authorizer's reason). The catch is for entries whose very fields throw on access.
  const requestLine = (e: RequestLogEntry): string => {
    try {
      const ms = typeof e.durationMs === 'number' ? formatMs(e.durationMs) : logText(e.durationMs);
      let line = `${method(e.method)} ${logText(e.path)}${arrow}${e.routeKey === undefined ? noRoute : logText(e.routeKey)}${dot}${status(e.statusCode)}${dot}${ms} ms`;
      if (e.auth) line += `${dot}${logText(e.auth)}`;
      if (e.note) line += `${dot}${c.red(logText(e.note))}`;
      return line;
    } catch {
      return c.red('(a request log line could not be formatted)');
    }
  };
  return {
    info: (message) => out(message),
    warn: (message) => err(c.yellow(message)),
    error: (message) => err(c.red(message)),
    request(e) {
      out(requestLine(e));
    },
    handler(e) {
      const tag = c.dim(`[${e.routeKey ?? e.functionName}${e.requestId ? ` ${e.requestId}` : ''}]`);
      const text = e.level === 'error' ? c.red(e.text) : e.level === 'warn' ? c.yellow(e.text) : e.text;
      (e.level === 'error' || e.level === 'warn' ? err : out)(`${tag} ${text}`);
    },
  };
}

/** `ms` rounded to one decimal, for request durations: like `toFixed(1)` in a third of its time. */
export function formatMs(ms: number): string {
  const tenths = Math.round(ms * 10);
  if (!(tenths >= 0 && tenths < 1e9)) return ms.toFixed(1);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/**
 * Console output is collected and written at most every FLUSH_MS: writes to a TTY, a file or
 * (on Linux) a pipe are synchronous system calls, and one per request line cost a busy server a
 * large part of its time (issue 7's profile). A person cannot see a 10 ms delay. Order across
 * stdout and stderr is kept; whatever is still queued is written when the process exits.
 */
const FLUSH_MS = 10;
const queued: Array<{ stream: NodeJS.WritableStream; text: string }> = [];
let flushTimer: NodeJS.Timeout | undefined;
let exitHooked = false;

function queueLine(stream: NodeJS.WritableStream, line: string): void {
  const last = queued[queued.length - 1];
  if (last !== undefined && last.stream === stream) last.text += `${line}\n`;
  else queued.push({ stream, text: `${line}\n` });
  // Unref'd: pending output never keeps the process alive; the exit hook writes it instead.
  flushTimer ??= setTimeout(flushQueued, FLUSH_MS).unref();
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', flushQueued);
  }
}

function flushQueued(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  for (const { stream, text } of queued.splice(0)) stream.write(text);
}
