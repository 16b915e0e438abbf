import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResultRingReader, ResultRingWriter } from './result-ring.js';

type Entry = [id: number, ms: number, payload: string];

/** A writer and a reader over one small ring, as the two threads see it. */
function ring(bytes: number) {
  const memory = new SharedArrayBuffer(bytes);
  const positions = { array: new Int32Array(new SharedArrayBuffer(8)), write: 0, read: 1 };
  const writer = new ResultRingWriter(memory, positions);
  const reader = new ResultRingReader(memory, positions);
  const readAll = (max?: number): Entry[] => {
    const out: Entry[] = [];
    reader.read((id, ms, payload) => out.push([id, ms, payload]), max);
    return out;
  };
  return { writer, readAll, positions };
}

describe('results ring', () => {
  it('hands over results in order, with their ids, times and UTF-8 text', () => {
    const { writer, readAll } = ring(1024);
    expect(readAll()).toEqual([]);
    expect(writer.write(1, 0.25, '{"statusCode":200}')).toBe(true);
    expect(writer.write(2, 1.5, '"é ✓ 𝄞"')).toBe(true);
    expect(writer.write(3, 0, '')).toBe(true);
    expect(readAll()).toEqual([
      [1, 0.25, '{"statusCode":200}'],
      [2, 1.5, '"é ✓ 𝄞"'],
      [3, 0, ''],
    ]);
    expect(readAll()).toEqual([]);
  });

  it('refuses what does not fit (the caller sends it another way) and loses nothing', () => {
    const { writer, readAll } = ring(256);
    // Room is reserved for 3 bytes a character: 100 characters never fit in 256 bytes.
    expect(writer.write(1, 0, 'x'.repeat(100))).toBe(false);
    let written = 0;
    while (writer.write(written + 1, 0, 'abcdefghijklmnop')) written++;
    expect(written).toBeGreaterThan(3);
    expect(readAll().map(([id]) => id)).toEqual(Array.from({ length: written }, (_, i) => i + 1));
    // Read out, it has room again.
    expect(writer.write(99, 0, 'again')).toBe(true);
    expect(readAll()).toEqual([[99, 0, 'again']]);
  });

  it('reads at most `max` at a time, the rest on the next read', () => {
    const { writer, readAll } = ring(1024);
    for (let id = 1; id <= 5; id++) writer.write(id, 0, `r${id}`);
    expect(readAll(2).map(([id]) => id)).toEqual([1, 2]);
    expect(readAll().map(([id]) => id)).toEqual([3, 4, 5]);
  });

  it('wraps around its end for any sequence of writes and reads', () => {
    // Random payload sizes and read timings over a small ring: every write that succeeds is
    // read back once, in order, intact; a write refused leaves everything as it was.
    const step = fc.oneof(
      fc.record({ write: fc.string({ unit: 'binary', maxLength: 40 }) }),
      fc.record({ read: fc.integer({ min: 1, max: 6 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const { writer, readAll } = ring(192);
        const pending: Entry[] = [];
        let id = 0;
        for (const s of steps) {
          if ('write' in s) {
            id++;
            if (writer.write(id, id / 4, s.write)) pending.push([id, id / 4, s.write]);
          } else {
            expect(readAll(s.read)).toEqual(pending.splice(0, s.read));
          }
        }
        expect(readAll()).toEqual(pending);
      }),
      { numRuns: 500 },
    );
  });

  it('never lets the write position catch up with the read position (equal means empty)', () => {
    const { writer, readAll, positions } = ring(64);
    // 12-byte header + 4 bytes of room for a 1-character payload: 16 bytes an entry.
    expect([1, 2, 3].map((id) => writer.write(id, 0, 'a'))).toEqual([true, true, true]);
    // A fourth would fill the ring exactly, ending where the reader waits (0): refused.
    expect(writer.write(4, 0, 'a')).toBe(false);
    expect(Atomics.load(positions.array, positions.write)).toBe(48);
    expect(readAll().map(([n]) => n)).toEqual([1, 2, 3]);
  });
});
