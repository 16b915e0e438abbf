import pc from 'picocolors';
import { useColor } from './colors.js';

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
  const status = (code: number) => {
    const text = String(code);
    return code >= 500 ? c.red(text) : code >= 400 ? c.yellow(text) : code >= 300 ? c.cyan(text) : c.green(text);
  };
  return {
    info: (message) => out(message),
    warn: (message) => err(c.yellow(message)),
    error: (message) => err(c.red(message)),
    request(e) {
      const route = e.routeKey === undefined ? c.dim('(no route)') : e.routeKey;
      let line = `${c.bold(e.method)} ${e.path} ${c.dim('→')} ${route} ${c.dim('·')} ${status(e.statusCode)} ${c.dim('·')} ${e.durationMs.toFixed(1)} ms`;
      if (e.auth) line += ` ${c.dim('·')} ${e.auth}`;
      if (e.note) line += ` ${c.dim('·')} ${c.red(e.note)}`;
      out(line);
    },
    handler(e) {
      const tag = c.dim(`[${e.routeKey ?? e.functionName}${e.requestId ? ` ${e.requestId}` : ''}]`);
      const text = e.level === 'error' ? c.red(e.text) : e.level === 'warn' ? c.yellow(e.text) : e.text;
      (e.level === 'error' || e.level === 'warn' ? err : out)(`${tag} ${text}`);
    },
  };
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
