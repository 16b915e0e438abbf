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
