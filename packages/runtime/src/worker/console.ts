// Handler output goes to the main thread as messages tagged with the current request id, so the
// CLI can print it next to the request (Lambda tags each CloudWatch line the same way).
import { format } from 'node:util';
import type { LogLevel } from '../protocol.js';

export type LogSink = (level: LogLevel, text: string) => void;

const LEVELS: readonly LogLevel[] = ['log', 'info', 'warn', 'error', 'debug'];

/** Replace the console methods handlers use; `console.trace` is reported at `debug` with its stack. */
export function forwardConsole(sink: LogSink): void {
  for (const level of LEVELS) {
    console[level] = (...args: unknown[]) => sink(level, format(...args));
  }
  console.trace = (...args: unknown[]) => {
    const trace = { name: 'Trace', message: format(...args), stack: '' };
    Error.captureStackTrace(trace, console.trace);
    sink('debug', trace.stack);
  };
}
