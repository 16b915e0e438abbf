// A spare worker booted before there is a runtime to own it. `localgw start` boots it first thing,
// so that the thread's start (about 100 ms here, most of the first request's wait) overlaps with
// Node loading and compiling the rest of the CLI and the gateway reading its config; the runtime
// then adopts it as its spare (`Runtime.prepareSpare`). Before this, the spare booted only once
// the gateway was being created, and the first request still waited for it (issue 17).
import { stringEntries } from './lambda-context.js';
import { WorkerSlot, type RuntimeLogEntry } from './worker-slot.js';

/** The heap limit a runtime gives its workers unless told otherwise (`RuntimeOptions.workerMemoryLimitMb`). */
export const DEFAULT_WORKER_MEMORY_LIMIT_MB = 512;

/** An unadopted early spare is stopped after this long: nothing keeps it otherwise. */
const UNADOPTED_TTL_MS = 60_000;

interface EarlySpare {
  slot: WorkerSlot;
  trackModules: boolean;
  memoryLimitMb: number;
  /** Where its log lines go: nowhere until a runtime adopts it. */
  logs: { to?: (entry: RuntimeLogEntry) => void };
}

let early: EarlySpare | undefined;

/**
 * A worker booted without a function (`WorkerSlot.assign` gives it one): held before loading any
 * module. Undefined if Node cannot start a worker; the first request then reports why.
 */
export function startSpareSlot(settings: { trackModules: boolean; memoryLimitMb: number; env: Record<string, string>; onLog: (entry: RuntimeLogEntry) => void }): WorkerSlot | undefined {
  try {
    return new WorkerSlot({
      config: { file: '', exportName: '', functionName: '', logStreamName: '', trackModules: settings.trackModules, held: true, spare: true },
      env: settings.env,
      memoryLimitMb: settings.memoryLimitMb,
      onLog: settings.onLog,
      onModules: () => {},
    });
  } catch {
    return undefined;
  }
}

/**
 * Boot a spare worker now, for the runtime created later in this process to adopt. Does nothing
 * if one is booted already, or if Node cannot start a worker (the runtime reports that then).
 */
export function bootSpareWorker(options: { trackModules: boolean; memoryLimitMb?: number }): void {
  if (early !== undefined) return;
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_WORKER_MEMORY_LIMIT_MB;
  const logs: EarlySpare['logs'] = {};
  const slot = startSpareSlot({ trackModules: options.trackModules, memoryLimitMb, env: stringEntries(process.env), onLog: (entry) => logs.to?.(entry) });
  if (slot === undefined) return;
  const spare: EarlySpare = { slot, trackModules: options.trackModules, memoryLimitMb, logs };
  early = spare;
  setTimeout(() => {
    if (early !== spare) return;
    early = undefined;
    void spare.slot.terminate();
  }, UNADOPTED_TTL_MS).unref();
}

/**
 * The early spare, for a runtime whose workers it fits (the same heap limit and module tracking);
 * its log lines go to `onLog` from now on. Undefined when there is none, it died, or it does not fit
 * (it is then stopped: nothing else would take it).
 */
export function adoptEarlySpare(settings: { trackModules: boolean; memoryLimitMb: number; onLog: (entry: RuntimeLogEntry) => void }): WorkerSlot | undefined {
  const spare = early;
  if (spare === undefined) return undefined;
  early = undefined;
  if (!spare.slot.alive || spare.trackModules !== settings.trackModules || spare.memoryLimitMb !== settings.memoryLimitMb) {
    void spare.slot.terminate();
    return undefined;
  }
  spare.logs.to = settings.onLog;
  return spare.slot;
}
