// Large request bodies go to a handler's worker in shared memory, so the worker reads the bytes
// where they are instead of a structured clone copying them twice on the gateway's thread. The
// shared buffers are reused: Node 20 takes milliseconds to allocate a fresh 1 MB
// SharedArrayBuffer (measured 3.4-4.5 ms, against 45 µs for an ordinary one), and a fresh buffer
// of any kind costs page faults and garbage collections as it is first written. A 1 MB upload
// spent a third of the gateway's thread on that (issue 17).
//
// A shared body counts its holders: the server while the pipeline runs (it reads the socket
// straight into one), and each worker it was posted to, until that worker has answered (it reads
// the body while building the event, before the handler runs) or its thread has exited. The last
// one to let go puts the buffer back. A holder that cannot tell when a thread stops reading (an
// invocation withdrawn from a worker that may still hold it) never lets go: the garbage collector
// frees that buffer instead, which is always safe.

/** Bodies at least this large are shared; smaller ones are cheaper to copy than to share. */
export const SHARED_BODY_BYTES = 16 * 1024;

/** Free buffers kept for reuse, in bytes, at most. */
const MAX_FREE_BYTES = 64 * 1024 * 1024;

/** Free buffers are dropped after this long without a body being made: memory follows use. */
const TRIM_AFTER_MS = 10_000;

/** Free buffers by size class: class `c` holds buffers of 2^c bytes. */
const free: SharedArrayBuffer[][] = [];
let freeBytes = 0;
/** The holders of each shared body's buffer that is in use. */
const holders = new WeakMap<ArrayBufferLike, number>();
let madeSinceTrim = false;
let trimTimer: NodeJS.Timeout | undefined;

function sizeClass(bytes: number): number {
  return Math.max(14, 32 - Math.clz32(bytes - 1));
}

/**
 * A shared body of `size` bytes with one holder, the caller, who fills it: a reused buffer still
 * holds an earlier body's bytes.
 */
export function sharedBody(size: number): Uint8Array {
  const c = sizeClass(size);
  let buffer = free[c]?.pop();
  if (buffer === undefined) buffer = new SharedArrayBuffer(2 ** c);
  else freeBytes -= buffer.byteLength;
  madeSinceTrim = true;
  holders.set(buffer, 1);
  return new Uint8Array(buffer, 0, size);
}

/** A shared copy of `bytes`, with one holder, the caller. */
export function sharedCopy(bytes: Uint8Array): Uint8Array {
  const body = sharedBody(bytes.byteLength);
  body.set(bytes);
  return body;
}

/** One more holder for `body`, if it is a shared body in use; false otherwise (nothing changes). */
export function holdSharedBody(body: Uint8Array): boolean {
  const count = holders.get(body.buffer);
  if (count === undefined || count === 0) return false;
  holders.set(body.buffer, count + 1);
  return true;
}

/** A holder of `body` lets go; the last one puts its buffer back for reuse. */
export function releaseSharedBody(body: Uint8Array): void {
  const buffer = body.buffer;
  const count = holders.get(buffer);
  if (count === undefined || count === 0) return;
  holders.set(buffer, count - 1);
  if (count > 1 || freeBytes + buffer.byteLength > MAX_FREE_BYTES) return;
  (free[sizeClass(buffer.byteLength)] ??= []).push(buffer as SharedArrayBuffer);
  freeBytes += buffer.byteLength;
  if (trimTimer === undefined) {
    trimTimer = setTimeout(trim, TRIM_AFTER_MS);
    trimTimer.unref();
  }
}

function trim(): void {
  trimTimer = undefined;
  if (madeSinceTrim) {
    madeSinceTrim = false;
    trimTimer = setTimeout(trim, TRIM_AFTER_MS);
    trimTimer.unref();
    return;
  }
  free.length = 0;
  freeBytes = 0;
}

/** @internal For tests: the bytes of free buffers kept for reuse. */
export function sharedBodyBytesFree(): number {
  return freeBytes;
}
