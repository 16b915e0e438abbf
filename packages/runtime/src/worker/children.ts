// The child processes a handler starts, reported to the gateway's thread: a worker that is
// terminated (a timeout, a reload, the idle timeout) runs no cleanup of its own, so only the
// gateway can stop its children, and it must know their process ids.
import { ChildProcess } from 'node:child_process';

type Spawn = (this: ChildProcess, ...args: unknown[]) => unknown;

/**
 * Call `report(pid, true)` for every child process this thread starts, and `report(pid, false)`
 * when it exits. `spawn`, `exec`, `execFile` and `fork` all start theirs through
 * `ChildProcess.prototype.spawn`; the `*Sync` ones give no process id before the child ends.
 */
export function reportChildren(report: (pid: number, alive: boolean) => void): void {
  const prototype = ChildProcess.prototype as unknown as { spawn: Spawn };
  const spawn = prototype.spawn;
  prototype.spawn = function (this: ChildProcess, ...args: unknown[]) {
    const result = spawn.apply(this, args);
    const pid = this.pid;
    if (pid !== undefined) {
      report(pid, true);
      this.once('exit', () => report(pid, false));
    }
    return result;
  };
}
