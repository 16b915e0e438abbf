import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Edits a file the way editors save: write a temp file beside it, then rename over. Refuses an
 * edit that leaves the content unchanged (vite's editFile rule), so a test cannot pass by
 * reading the old version.
 */
export function editFile(file: string, change: (text: string) => string): void {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`editFile: the edit of ${file} changed nothing`);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, after);
  renameSync(temp, file);
}

/** Polls `read` until it returns `expected` (deep equal) — conditions, not sleeps. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  await expect.poll(read, { timeout: timeoutMs, interval: 25 }).toEqual(expected);
}
