// The ring in shared memory through which a worker hands the gateway its `ok` results. Both
// sides import this file; it depends on nothing (shared memory, `Buffer` and `Atomics` only).
//
// Why not a message each: posting one cost the worker a structured clone, a mutex and a system
// call (the wake-up of the receiving port), and reading it cost the gateway's thread another
// clone, about a fifth of each thread's work on a quick route (issue 7). A result written here
// costs a copy of its bytes on each side, and the worker can still not hold one back: it is
// readable the moment it is written, even while the next handler blocks the worker's thread.
//
// One writer (the worker), one reader (the gateway's thread). Entries are a 12-byte header
// (payload length in bytes, invocation id, milliseconds as a float32) and the payload as UTF-8,
// padded to 4 bytes. An entry never wraps around the end: a length of WRAP there sends the
// reader back to the start. The write position never catches up with the read position (4
// bytes stay free), so equal positions mean empty.

/** Shared memory of one worker's ring; results bigger than a share of it go by message. */
export const RESULT_RING_BYTES = 256 * 1024;

const HEADER_BYTES = 12;
const WRAP = -1;

/** Where the two positions live: two Int32 slots of an array both threads share. */
export interface RingPositions {
  array: Int32Array;
  /** The index of the write position (bytes), which the writer moves. */
  write: number;
  /** The index of the read position (bytes), which the reader moves. */
  read: number;
}

export type RingResult = (id: number, ms: number, payload: string) => void;

class Ring {
  protected readonly bytes: Buffer;
  protected readonly ints: Int32Array;
  protected readonly floats: Float32Array;
  protected readonly size: number;
  protected readonly positions: RingPositions;

  constructor(memory: SharedArrayBuffer, positions: RingPositions) {
    this.positions = positions;
    this.bytes = Buffer.from(memory);
    this.ints = new Int32Array(memory);
    this.floats = new Float32Array(memory);
    this.size = memory.byteLength;
  }
}

export class ResultRingWriter extends Ring {
  /**
   * Write one result; false when it does not fit now (a large payload, or a reader that is far
   * behind): send it another way. The caller then tells the reader that something was posted.
   */
  write(id: number, ms: number, payload: string): boolean {
    const { array, write, read } = this.positions;
    const readAt = Atomics.load(array, read);
    let at = Atomics.load(array, write);
    // Room for the longest UTF-8 the payload can be, so that it is encoded once, in place.
    const need = HEADER_BYTES + align4(payload.length * 3);
    if (at >= readAt) {
      const toEnd = this.size - at;
      // Filling the ring up to its end is fine unless the reader waits at 0 (that would read as empty).
      if (need > toEnd || (need === toEnd && readAt === 0)) {
        if (need > readAt - 4) return false;
        this.ints[at >> 2] = WRAP;
        at = 0;
      }
    } else if (need > readAt - at - 4) return false;
    const length = this.bytes.write(payload, at + HEADER_BYTES, 'utf8');
    const slot = at >> 2;
    this.ints[slot] = length;
    this.ints[slot + 1] = id;
    this.floats[slot + 2] = ms;
    const next = at + HEADER_BYTES + align4(length);
    // Published last: the reader reads nothing of an entry before its position is stored.
    Atomics.store(array, write, next === this.size ? 0 : next);
    return true;
  }
}

export class ResultRingReader extends Ring {
  /** Hand every result written so far to `onResult`, at most `max`; returns how many. */
  read(onResult: RingResult, max = Infinity): number {
    const { array, write, read } = this.positions;
    const writtenTo = Atomics.load(array, write);
    let at = Atomics.load(array, read);
    let count = 0;
    while (at !== writtenTo && count < max) {
      const slot = at >> 2;
      const length = this.ints[slot]!;
      if (length === WRAP) {
        at = 0;
        continue;
      }
      const id = this.ints[slot + 1]!;
      const ms = this.floats[slot + 2]!;
      const start = at + HEADER_BYTES;
      const payload = this.bytes.toString('utf8', start, start + length);
      const next = start + align4(length);
      at = next === this.size ? 0 : next;
      // Freed before the result is handled: a throwing handler must not make it read twice.
      Atomics.store(array, read, at);
      count++;
      onResult(id, ms, payload);
    }
    return count;
  }
}

function align4(bytes: number): number {
  return (bytes + 3) & ~3;
}
