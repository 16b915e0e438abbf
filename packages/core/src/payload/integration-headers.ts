import type { GatewayRequest } from '../http/gateway-request.js';

/** How the client reached the gateway, for `x-forwarded-port` / `x-forwarded-proto` (§4.1). */
export interface ForwardedInfo {
  /** Local listening port, e.g. `"3000"` (AWS sends `"443"`). */
  port: string;
  /** `"http"` or `"https"`. */
  proto: string;
}

/**
 * The request's header pairs as the integration sees them (§4.1, §4.3): the client's headers
 * plus the ones API Gateway adds, in the capitalisation the 1.0 captures show
 * (`X-Amzn-Trace-Id`, `X-Forwarded-For`, `X-Forwarded-Port`, `X-Forwarded-Proto`).
 *
 * - `X-Forwarded-For`: a client-sent value is kept and the source IP appended
 *   (`client, sourceIp`), as proxies do [INF].
 * - `X-Amzn-Trace-Id`: a client-sent value is kept (trace propagation) [INF]; otherwise one is
 *   derived from the request id and time, since core has no randomness.
 * - `X-Forwarded-Port` / `-Proto`: replaced when `forwarded` is given, else the client's stay.
 * - `Connection` is hop-by-hop: not delivered to the integration, in 2.0 or 1.0 (§10).
 *
 * Returns a new flat `[name, value, …]` array; `request.rawHeaders` is not changed. With
 * `lowerCaseNames` the added names are lower-case already (2.0 lower-cases every name, and a
 * name that needs no change costs no new string there).
 */
export function withIntegrationHeaders(request: GatewayRequest, forwarded: ForwardedInfo | undefined, lowerCaseNames = false): string[] {
  const raw = request.rawHeaders;
  const pairs: string[] = [];
  let forwardedFor: string | undefined;
  let traceId: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    switch (name.toLowerCase()) {
      case 'connection':
        continue;
      case 'x-forwarded-for':
        forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
        continue;
      case 'x-amzn-trace-id':
        traceId ??= value;
        continue;
      case 'x-forwarded-port':
      case 'x-forwarded-proto':
        if (forwarded) continue;
    }
    pairs.push(name, value);
  }
  const names = lowerCaseNames ? LOWER_CASE_NAMES : NAMES;
  pairs.push(names[0], traceId ?? formatTraceId(request.requestId, request.timeEpoch));
  pairs.push(names[1], forwardedFor === undefined ? request.sourceIp : `${forwardedFor}, ${request.sourceIp}`);
  if (forwarded) pairs.push(names[2], forwarded.port, names[3], forwarded.proto);
  return pairs;
}

const NAMES = ['X-Amzn-Trace-Id', 'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto'] as const;
const LOWER_CASE_NAMES = ['x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto'] as const;

/**
 * An X-Ray style trace header, `Root=1-<8 hex epoch seconds>-<24 hex>` (§4.1:
 * `Root=1-67fd88a4-127eb8e773d2bb6f7df47ab6`). The 24 hex digits are a hash of the request id
 * and time, so the same request always gets the same trace id and core stays free of randomness.
 */
export function formatTraceId(requestId: string, timeEpoch: number): string {
  const seconds = Math.floor(timeEpoch / 1000);
  // FNV-1a with a murmur3 finaliser, three seeds (1, 2, 3) for three unrelated words; the three
  // hashes share one pass over the id, then take in the time as two 32-bit words (this runs on
  // every request: writing the time out as text cost more than the hashing).
  let h1 = 0x811c9dc5 ^ Math.imul(1, 0x9e3779b1);
  let h2 = 0x811c9dc5 ^ Math.imul(2, 0x9e3779b1);
  let h3 = 0x811c9dc5 ^ Math.imul(3, 0x9e3779b1);
  for (let i = 0; i < requestId.length; i++) {
    const code = requestId.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x01000193);
    h3 = Math.imul(h3 ^ code, 0x01000193);
  }
  const low = timeEpoch % 0x1_0000_0000 >>> 0;
  const high = Math.floor(timeEpoch / 0x1_0000_0000) >>> 0;
  h1 = mixWord(mixWord(h1, low), high);
  h2 = mixWord(mixWord(h2, low), high);
  h3 = mixWord(mixWord(h3, low), high);
  return `Root=1-${hex8(seconds)}-${hex8(finalize(h1))}${hex8(finalize(h2))}${hex8(finalize(h3))}`;
}

/** FNV-1a over a 32-bit word, 16 bits at a time. */
function mixWord(hash: number, word: number): number {
  return Math.imul(Math.imul(hash ^ (word & 0xffff), 0x01000193) ^ (word >>> 16), 0x01000193);
}

// Two hex digits per lookup: a quarter of the string joins of one digit at a time.
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function hex8(value: number): string {
  return HEX_BYTES[value >>> 24]! + HEX_BYTES[(value >>> 16) & 255]! + HEX_BYTES[(value >>> 8) & 255]! + HEX_BYTES[value & 255]!;
}

function finalize(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
