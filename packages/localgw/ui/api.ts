// The inspector page's view of the admin server's JSON (packages/localgw/src/inspector/routes.ts).
// The shapes mirror RequestTrace and TraceSummary (src/inspector/trace.ts); kept apart because
// the page is bundled for the browser, not compiled with the server.

export interface Summary {
  requestId: string;
  time: number;
  method: string;
  path: string;
  statusCode: number;
  routeKey?: string;
  durationMs: number;
  auth?: string;
  note?: string;
  detailed: boolean;
}

export interface BodyPreview {
  encoding: 'utf8' | 'base64';
  text: string;
  bytes: number;
  truncated: boolean;
}

export interface Trace {
  requestId: string;
  time: number;
  request: { method: string; rawPath: string; rawQueryString: string; headers: string[]; body?: BodyPreview };
  stage?: { name: string; pathWithoutStage?: string; note: string };
  route?: { candidates: Array<{ routeKey: string; rule: string }>; otherMethods: Array<{ routeKey: string; rule: string }>; decision: string; selected?: string };
  cors?: { configured: boolean; decision: string };
  authorizer?:
    | { kind: 'jwt'; name: string; allowed: boolean; statusCode?: number; reason?: string; claims?: Record<string, string>; scopes?: string[] | null }
    | { kind: 'request'; name: string; allowed: boolean; statusCode?: number; reason: string; cache: string; event?: unknown; answer?: string };
  integration?:
    | { kind: 'lambda'; functionName: string; payloadFormatVersion: string; event?: unknown; outcome?: string; result?: string; note?: string; durationMs?: number }
    | { kind: 'http'; url?: string; statusCode?: number; note?: string; durationMs?: number };
  logs: Array<{ level: string; text: string }>;
  response?: { statusCode: number; headers: Array<[string, string]>; body?: BodyPreview; added: string[]; removed: string[] };
  summary?: { note?: string; auth?: string; routeKey?: string };
  timings?: { totalMs: number };
}

export interface RouteTable {
  apis: Array<{ apiId: string; stage: string; routes: Array<{ routeKey: string; integration: string; authorizer?: string; scopes: string[] }> }>;
  warnings: Array<{ path: string; message: string; hint?: string; severity: string }>;
}

export interface ReloadRecord {
  time: number;
  ok: boolean;
  durationMs: number;
  reason: string;
  error?: string;
}

export interface FunctionStats {
  functionName: string;
  file: string;
  exportName: string;
  workers: number;
  busy: number;
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

export const api = {
  requests: () => getJson<{ capacity: number; requests: Summary[] }>('/inspector/api/requests'),
  trace: (id: string) => getJson<Trace | { summary: Summary; detailed: false }>(`/inspector/api/requests/${encodeURIComponent(id)}`),
  routes: () => getJson<RouteTable>('/inspector/api/routes'),
  reloads: () => getJson<{ reloads: ReloadRecord[] }>('/inspector/api/reloads'),
  functions: () => getJson<{ functions: FunctionStats[] }>('/inspector/api/functions'),
  async replay(id: string): Promise<{ status: number; requestId?: string }> {
    const res = await fetch(`/inspector/api/requests/${encodeURIComponent(id)}/replay`, { method: 'POST' });
    return (await res.json()) as { status: number; requestId?: string };
  },
};

/** `curl` for the request as it was received (single-quoted for a POSIX shell). */
export function toCurl(trace: Trace, base: string): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl', '-i'];
  if (trace.request.method !== 'GET') parts.push('-X', trace.request.method);
  const h = trace.request.headers;
  for (let i = 0; i < h.length; i += 2) {
    if (/^(host|content-length|connection)$/i.test(h[i]!)) continue;
    parts.push('-H', quote(`${h[i]}: ${h[i + 1]}`));
  }
  const body = trace.request.body;
  if (body && body.encoding === 'utf8') parts.push('--data-raw', quote(body.text));
  else if (body) parts.push('--data-binary', '@-', `# (${body.bytes} bytes of binary body, base64 in the inspector)`);
  parts.push(quote(`${base}${trace.request.rawPath}${trace.request.rawQueryString ? `?${trace.request.rawQueryString}` : ''}`));
  return parts.join(' ');
}
