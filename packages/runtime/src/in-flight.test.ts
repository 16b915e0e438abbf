import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlotInvocation } from './worker-slot.js';
import { InFlight } from './worker-slot.js';

const invocation = (n: number) => ({ requestId: `r${n}` }) as unknown as SlotInvocation;

describe("a worker slot's invocations in flight", () => {
  it('behaves as an ordered map of increasing ids, whatever is taken in which order', () => {
    // Mostly the oldest is answered, as a worker does; sometimes another, a suffix is taken
    // back (withdrawal), or everything (the worker died). Long runs cross the compaction.
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.constant({ kind: 'add' as const }) },
      { weight: 5, arbitrary: fc.constant({ kind: 'oldest' as const }) },
      { weight: 1, arbitrary: fc.nat().map((n) => ({ kind: 'any' as const, n })) },
      { weight: 1, arbitrary: fc.nat().map((n) => ({ kind: 'after' as const, n })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'all' as const }) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const queue = new InFlight();
        const model = new Map<number, SlotInvocation>();
        let nextId = 1;
        for (const s of steps) {
          const ids = [...model.keys()];
          if (s.kind === 'add') {
            const id = nextId++;
            const item = invocation(id);
            queue.add(id, item);
            model.set(id, item);
          } else if (s.kind === 'oldest' || s.kind === 'any') {
            const id = s.kind === 'oldest' ? (ids[0] ?? 999_999) : (ids[s.n % (ids.length || 1)] ?? 999_999);
            expect(queue.take(id)).toBe(model.get(id));
            model.delete(id);
          } else if (s.kind === 'after') {
            const after = ids.length ? ids[s.n % ids.length]! - 1 : 0;
            const expected = ids.filter((id) => id > after);
            expect(queue.takeAfter(after)).toStrictEqual(expected.map((id) => model.get(id)));
            for (const id of expected) model.delete(id);
          } else {
            expect(queue.takeAll()).toStrictEqual([...model]);
            model.clear();
          }
          expect(queue.size).toBe(model.size);
          expect([...queue.entries()]).toStrictEqual([...model]);
          expect(queue.newestId).toBe([...model.keys()].at(-1));
        }
      }),
      { numRuns: 300 },
    );
  });
});
