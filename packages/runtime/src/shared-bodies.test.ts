import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdSharedBody, releaseSharedBody, SHARED_BODY_BYTES, sharedBody, sharedBodyBytesFree, sharedCopy } from './shared-bodies.js';

// Issue 17: large request bodies reach a worker in shared buffers that are reused, never while
// anything may still read them.

afterEach(() => {
  vi.useRealTimers();
});

describe('shared bodies', () => {
  // First: the trim timer is armed by the first release, and must be a fake one here.
  it('free buffers are dropped once no body was made for a while: memory follows use', () => {
    vi.useFakeTimers();
    releaseSharedBody(sharedBody(300_000));
    expect(sharedBodyBytesFree()).toBeGreaterThanOrEqual(2 ** 19);
    // Still in use: kept.
    vi.advanceTimersByTime(10_000);
    expect(sharedBodyBytesFree()).toBeGreaterThan(0);
    vi.advanceTimersByTime(10_000);
    expect(sharedBodyBytesFree()).toBe(0);
  });

  it('a body is a view of exactly its size on a SharedArrayBuffer of its power-of-two class', () => {
    const body = sharedBody(1_000_000);
    expect(body.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(body.byteLength).toBe(1_000_000);
    expect(body.buffer.byteLength).toBe(2 ** 20);
    // The smallest class is the sharing threshold's.
    expect(sharedBody(SHARED_BODY_BYTES - 1).buffer.byteLength).toBe(SHARED_BODY_BYTES);
  });

  it('the buffer comes back for reuse only when its last holder lets go', () => {
    const first = sharedCopy(new Uint8Array(40_000).fill(1));
    expect(holdSharedBody(first)).toBe(true);
    releaseSharedBody(first);
    // One holder left: a new body of the same class gets another buffer.
    const second = sharedBody(40_000);
    expect(second.buffer).not.toBe(first.buffer);
    releaseSharedBody(first);
    const third = sharedBody(50_000);
    expect(third.buffer).toBe(first.buffer);
    expect(third.byteLength).toBe(50_000);
    releaseSharedBody(second);
    releaseSharedBody(third);
  });

  it('a copy holds the bytes it was given', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
    const copy = sharedCopy(bytes);
    expect(Buffer.from(copy).equals(Buffer.from(bytes))).toBe(true);
    releaseSharedBody(copy);
  });

  it('holding a body that is free, or not a shared body at all, does nothing', () => {
    const body = sharedBody(20_000);
    releaseSharedBody(body);
    expect(holdSharedBody(body)).toBe(false);
    expect(holdSharedBody(new Uint8Array(20_000))).toBe(false);
    expect(holdSharedBody(new Uint8Array(new SharedArrayBuffer(20_000)))).toBe(false);
    // A release too many is ignored: the buffer is on the free list once, and lent once.
    const before = sharedBodyBytesFree();
    releaseSharedBody(body);
    expect(sharedBodyBytesFree()).toBe(before);
    const again = sharedBody(20_000);
    expect(again.buffer).toBe(body.buffer);
    expect(sharedBody(20_000).buffer).not.toBe(body.buffer);
  });
});
