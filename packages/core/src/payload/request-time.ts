const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * `requestContext.time` (2.0) and `requestTime` (1.0): Common Log Format in UTC,
 * `dd/MMM/yyyy:HH:mm:ss +0000` (§4.1: `"14/Apr/2025:22:14:51 +0000"`).
 *
 * @example formatRequestTime(1744668836573) // '14/Apr/2025:22:13:56 +0000'
 */
export function formatRequestTime(timeEpoch: number): string {
  const date = new Date(timeEpoch);
  return (
    `${pad2(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]!}/${date.getUTCFullYear()}:` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())} +0000`
  );
}
