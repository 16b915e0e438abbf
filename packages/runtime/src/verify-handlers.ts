// `Runtime.verify`: load each handler in a throwaway worker, the way the first request would,
// and collect what is wrong, so that `localgw check` and a reload can report it up front.
import fs from 'node:fs';
import type { HandlerRef } from './handler-ref.js';
import type { InvokeOutcome } from './invoke.js';

/** An environment started only to load its handler: a worker thread or a runtime process. */
interface Loader {
  load(): Promise<InvokeOutcome>;
  terminate(): Promise<void>;
}

/** A module that takes longer than this to load is reported rather than waited for. */
const LOAD_TIMEOUT_MS = 30_000;
/** Workers started at once; each may spin up tsx for TypeScript. */
const CONCURRENCY = 4;

export async function verifyHandlers(
  handlers: readonly HandlerRef[],
  spawn: (ref: HandlerRef) => Loader,
): Promise<Array<{ handler: HandlerRef; message: string }>> {
  // Each file and export once, however many routes use it: a config with thousands of routes
  // on one handler needs one worker, not thousands.
  const distinct = new Map<string, HandlerRef>();
  for (const ref of handlers) {
    const key = refKey(ref);
    if (!distinct.has(key)) distinct.set(key, ref);
  }
  const unique = [...distinct.values()];
  const messages = new Map<string, string | undefined>();
  let next = 0;
  const work = async () => {
    while (next < unique.length) {
      const ref = unique[next++]!;
      messages.set(refKey(ref), await verifyOne(ref, spawn));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, work));
  return handlers.flatMap((handler) => {
    const message = messages.get(refKey(handler));
    return message === undefined ? [] : [{ handler, message }];
  });
}

function refKey(ref: HandlerRef): string {
  return `${ref.file}\n${ref.exportName}`;
}

async function verifyOne(ref: HandlerRef, spawn: (ref: HandlerRef) => Loader): Promise<string | undefined> {
  if (!fs.statSync(ref.file, { throwIfNoEntry: false })?.isFile()) return `file not found: ${ref.file}`;
  let slot: Loader;
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
