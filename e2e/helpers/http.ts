import { Agent, request } from 'undici';

// Short keep-alive so a test run never waits on idle sockets (undici's writing-tests advice).
export const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/** One real HTTP request over loopback. */
export async function http(
  url: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: string | Uint8Array } = {},
): Promise<HttpResult> {
  const res = await request(url, { method: (options.method ?? 'GET') as 'GET', headers: options.headers, body: options.body, dispatcher: agent });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}
