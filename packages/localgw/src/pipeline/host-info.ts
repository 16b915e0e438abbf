import { parseHost } from '@localgw/core';

/** What a request's Host gives its event, computed once per Host value. Read-only: shared. */
export interface HostInfo {
  api: { apiId: string; accountId: string; domainName: string; domainPrefix: string };
  /** The local connection, for `x-forwarded-port` / `x-forwarded-proto` (docs/differences.md). */
  forwarded: { port: string; proto: string };
}

/** Local stand-ins for the AWS account and API ids that appear in every event. */
export const API_IDENTITY = { apiId: 'localgw', accountId: '123456789012' } as const;

// Clients send the same Host on every request: the last one is checked first, then a small
// table. Each value is read once, and every request with it shares one HostInfo (which keys the
// worker's event context, see integrations/lambda.ts). Invalid values are remembered as null.
const MAX_HOSTS = 64;
const known = new Map<string, HostInfo | null>();
let lastValue: string | undefined;
let lastInfo: HostInfo | undefined;

/**
 * The event fields of a request's Host header, or undefined when it has none or one that is not
 * `host[:port]` (the pipeline answers 400). `requestContext.domainName` is the Host as sent, port
 * included, so that code which rebuilds the request URL from it (Hono's `hono/aws-lambda`
 * adapter, others) links to the port that was actually used.
 */
export function hostInfo(value: string | undefined, apiId: string = API_IDENTITY.apiId): HostInfo | undefined {
  if (value === undefined) return undefined;
  if (value === lastValue && (lastInfo === undefined || lastInfo.api.apiId === apiId)) return lastInfo;
  let info = known.get(value);
  // `apiId`: the API the request was routed to (a template's APIs are each served by Host).
  if (info === undefined || (info !== null && info.api.apiId !== apiId)) {
    const host = parseHost(value);
    info = host === undefined ? null : { api: { ...API_IDENTITY, apiId, domainName: host.domainName, domainPrefix: host.domainPrefix }, forwarded: { port: host.port ?? '80', proto: 'http' } };
    if (known.size >= MAX_HOSTS) known.clear();
    known.set(value, info);
  }
  lastValue = value;
  lastInfo = info ?? undefined;
  return lastInfo;
}
