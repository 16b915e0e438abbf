import { describe, expect, it } from 'vitest';
import { formatRequestTime } from './request-time.js';

describe('§4.1 requestContext.time (CLF, UTC)', () => {
  it.each([
    // Epochs and times from captured events (§4.1, §4.3, TT-snap, spring-cloud-function).
    [1744668836573, '14/Apr/2025:22:13:56 +0000'],
    [1744669019524, '14/Apr/2025:22:16:59 +0000'],
    [1744668875623, '14/Apr/2025:22:14:35 +0000'],
    [1689098119662, '11/Jul/2023:17:55:19 +0000'],
    // Padding of single-digit fields, and the first month.
    [Date.UTC(2024, 0, 5, 3, 4, 5), '05/Jan/2024:03:04:05 +0000'],
    [Date.UTC(1999, 11, 31, 23, 59, 59, 999), '31/Dec/1999:23:59:59 +0000'],
    [0, '01/Jan/1970:00:00:00 +0000'],
  ])('%d → %s', (epoch, expected) => {
    expect(formatRequestTime(epoch)).toBe(expected);
  });
});

describe('formatRequestTime keeps the last second', () => {
  it('is right for each call in a row that goes back and forth across second boundaries', () => {
    // In this order: each call could wrongly reuse the text of the one before.
    const calls: Array<[number, string]> = [
      [1744668836999, '14/Apr/2025:22:13:56 +0000'],
      [1744668837000, '14/Apr/2025:22:13:57 +0000'],
      [1744668836000, '14/Apr/2025:22:13:56 +0000'],
      [999, '01/Jan/1970:00:00:00 +0000'],
      [1000, '01/Jan/1970:00:00:01 +0000'],
      [999.5, '01/Jan/1970:00:00:00 +0000'],
      [-1, '31/Dec/1969:23:59:59 +0000'],
      // Date drops the fraction: -0.5 is 0, in 1970, though it divides into second -1.
      [-0.5, '01/Jan/1970:00:00:00 +0000'],
      [-1, '31/Dec/1969:23:59:59 +0000'],
    ];
    for (const [epoch, expected] of calls) expect(formatRequestTime(epoch)).toBe(expected);
  });
});
