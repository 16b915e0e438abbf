const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

// Requests come many to the second: the last second's text is kept, as formatting a Date
// costs more than the rest of a 2.0 event's fields together. Only epochs from 1970 to the end
// of Date's range (8.64e15) are kept, where `new Date` and the division agree on the second.
const LAST_DATE = 8.64e15;
let lastSecond = NaN;
let lastText = '';

/**
 * `requestContext.time` (2.0) and `requestTime` (1.0): Common Log Format in UTC,
 * `dd/MMM/yyyy:HH:mm:ss +0000` (§4.1: `"14/Apr/2025:22:14:51 +0000"`).
 *
 * @example formatRequestTime(1744668836573) // '14/Apr/2025:22:13:56 +0000'
 */
export function formatRequestTime(timeEpoch: number): string {
  const second = Math.floor(timeEpoch / 1000);
  if (second === lastSecond) return lastText;
  const date = new Date(timeEpoch);
  const text =
    `${pad2(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]!}/${date.getUTCFullYear()}:` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())} +0000`;
  if (timeEpoch >= 0 && timeEpoch < LAST_DATE) {
    lastSecond = second;
    lastText = text;
  }
  return text;
}
