// `Runtime.verify`: load each handler in a throwaway worker, the way the first request would,
// and collect what is wrong, so that `localgw check` and a reload can report it up front.
import fs from 'node:fs';
import type { HandlerRef } from './handler-ref.js';
import type { WorkerSlot } from './worker-slot.js';

/** A module that takes longer than this to load is reported rather than waited for. */
const LOAD_TIMEOUT_MS = 30_000;
/** Workers started at once; each may spin up tsx for TypeScript. */
const CONCURRENCY = 4;

export async function verifyHandlers(
  handlers: readonly HandlerRef[],
  spawn: (ref: HandlerRef) => WorkerSlot,
): Promise<Array<{ handler: HandlerRef; message: string }>> {
  const messages: Array<string | undefined> = new Array(handlers.length);
  let next = 0;
  const work = async () => {
    while (next < handlers.length) {
      const index = next++;
      messages[index] = await verifyOne(handlers[index]!, spawn);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, handlers.length) }, work));
  return handlers.flatMap((handler, i) => (messages[i] === undefined ? [] : [{ handler, message: messages[i] }]));
}

async function verifyOne(ref: HandlerRef, spawn: (ref: HandlerRef) => WorkerSlot): Promise<string | undefined> {
  if (!fs.statSync(ref.file, { throwIfNoEntry: false })?.isFile()) return `file not found: ${ref.file}`;
  let slot: WorkerSlot;
  try {
    slot = spawn(ref);
  } catch (error) {
    return `could not start a worker to load ${ref.file}: ${error instanceof Error ? error.message : String(error)}`;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), LOAD_TIMEOUT_MS)));
  const outcome = await Promise.race([slot.load(), timeout]);
  clearTimeout(timer);
  await slot.terminate();
  if (outcome === 'timeout') return `${ref.file} did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s`;
  switch (outcome.kind) {
    case 'ok':
      return undefined;
    case 'load-error':
      return outcome.message;
    case 'crash':
      return `${ref.file}: the module ended its worker while loading: ${outcome.reason}`;
    default:
      return `${ref.file}: unexpected outcome ${outcome.kind}`;
  }
}
