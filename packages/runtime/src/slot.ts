// What a pool (pool.ts) needs of an execution environment, whatever runs it: a worker thread
// (worker-slot.ts, Node.js handlers) or a child process speaking the Runtime API
// (process/process-slot.ts, every other runtime). One pool policy for both.
import type { SlotInvocation } from './worker-slot.js';

export interface Slot {
  /** Not dead, and not told to stop. */
  readonly alive: boolean;
  /** Invocations given and not answered. */
  readonly pending: number;
  /** Smoothed time an invocation takes here; `undefined` means never queue a second one on it. */
  readonly serviceMs: number | undefined;
  /** When it started, was last given work while idle, or last answered (performance.now()). */
  progressAt: number;
  /** Called once when it is gone, after its invocations were dealt with. */
  onExit: ((slot: Slot) => void) | undefined;
  /** Called after results arrived (it may have room, or be idle). */
  onProgress: ((slot: Slot) => void) | undefined;
  /** Run `invocation` here (behind those already given); a dead slot hands it back (`requeue`). */
  start(invocation: SlotInvocation): void;
  /** `invocation`'s timeout fired: stop it if it runs, free what waits on it. */
  expire(invocation: SlotInvocation): void;
  /** Stop; what had not started goes back to the pool, what ran ends as a crash with `reason`. */
  terminate(reason?: string): Promise<void>;
  /** Nothing finished for `ms`. */
  stalled(now: number, ms: number): boolean;
  /** Hand back what waits behind the invocation that runs (see WorkerSlot). */
  withdrawWaiting(): void;
  /** Replace this environment if what waits on it has not started for `warmMs` (`coldMs` before its first). */
  resetIfBlocked(now: number, warmMs: number, coldMs: number): void;
}
