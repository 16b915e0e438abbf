// The gateway's side of the child processes handlers start (worker/children.ts reports them):
// a worker thread that is terminated cannot clean up, and a child it started would outlive the
// worker and the gateway. Its children are killed when it goes, whatever the reason, and every
// child still known is killed when this process exits.
import fs from 'node:fs';

/** Every handler child process alive as far as we know, over all workers. */
const alive = new Set<number>();
let exitHooked = false;

export function trackChild(pid: number): void {
  alive.add(pid);
  if (!exitHooked) {
    exitHooked = true;
    // Synchronous, as 'exit' listeners must be: a process that ends without close() (an
    // uncaught exception, process.exit) still takes its handlers' children with it.
    process.once('exit', () => {
      for (const pid of alive) killChild(pid);
    });
  }
}

export function forgetChild(pid: number): void {
  alive.delete(pid);
}

/**
 * Kill a handler's child at once, with its descendants (SIGKILL: its execution environment is
 * gone, as on Lambda, and a child that handles SIGTERM must not survive it). On Linux the whole
 * tree is read from /proc first (`exec` runs a shell, whose own child would otherwise be left);
 * elsewhere a child started with `detached: true` takes its process group along.
 */
export function killChild(pid: number): void {
  alive.delete(pid);
  // Read before any kill: a killed process's children move to init, out of sight.
  const descendants = descendantsOf(pid);
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Not a group leader (the usual case), or no process groups here (Windows).
    signal(pid);
  }
  for (const descendant of descendants) signal(descendant);
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** At most this many descendants of one child are looked for (a fork bomb must not hang us). */
const MAX_DESCENDANTS = 1024;

/** The processes below `pid`, from /proc (Linux); none where there is no /proc. */
function descendantsOf(pid: number, found: number[] = []): number[] {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children: string;
    try {
      children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const text of children.split(' ')) {
      const child = Number(text);
      if (!(child > 0) || found.includes(child) || found.length >= MAX_DESCENDANTS) continue;
      found.push(child);
      descendantsOf(child, found);
    }
  }
  return found;
}
