import { isNoBodyStatus, isStreamedBody, type GatewayResponse, type StreamedBody } from '@localgw/core';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Gateway } from './create-gateway.js';
import { LocalgwError } from './errors.js';
import { escapeLogText } from './log-text.js';
import { internalError, logRequest } from './pipeline/internal-error.js';
import { fromIncomingMessage, isClientAbort, newRequestId } from './pipeline/to-gateway-request.js';

export { isClientAbort };

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;
export const MAX_HEADER_BYTES = 10_240;
/**
 * How long close() lets a connection that is still sending its request (or sent none) carry on
 * before cutting it. An honest upload on loopback takes milliseconds; a stalled one, or a client
 * that opened a connection and went quiet, would otherwise hold the shutdown for Node's 300 s
 * request timeout. Short, so that Ctrl-C feels immediate.
 */
export const CLOSE_GRACE_MS = 1_500;

export interface Listening {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the gateway over HTTP. Binds loopback unless told otherwise (secure by default). */
export async function listen(gateway: Gateway, options: { port?: number; host?: string }): Promise<Listening> {
  const host = options.host ?? DEFAULT_HOST;
  let closing = false;
  const listener = createRequestListener(gateway, { closing: () => closing });
  // API Gateway's quota: request line plus headers at most 10240 bytes (§7.1). Node answers
  // larger ones itself with 431; AWS's status for this is undocumented. A request without a Host
  // reaches the pipeline, whose 400 carries apigw-requestid and a log line (node's is bare).
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false }, listener);
  // Like API Gateway's idle timeout; long enough that clients reuse connections.
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => answerClientError(gateway, error, socket));
  // Open connections, for close() to cut the ones still sending a request (one entry a connection).
  const sockets = trackSockets(server);
  await bind(server, options.port ?? DEFAULT_PORT, host, (error) => {
    const hint = error.code === 'EADDRINUSE' ? ` (port ${options.port} is in use: pick another with --port, or --port 0 for any free port)` : '';
    return new LocalgwError('ERR_LISTEN', `Cannot listen on ${host}:${options.port ?? DEFAULT_PORT}: ${error.message}${hint}`, { cause: error });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port,
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        // Requests in flight still get their answer, then their connection closes (once close()
        // was called, every response ends its connection); idle keep-alive sockets close now.
        // Without this, close() waits out the keep-alive timeout.
        // Requests whose body has arrived are in the pipeline and get their answer (bounded by
        // the route's timeout); connections still sending one, or sending nothing, are cut.
        const cut = setTimeout(() => {
          for (const socket of sockets) if (!isAnswering(socket)) socket.destroy();
        }, CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** The server's open connections, as a set that each closed connection leaves. */
export function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** Listens on `host:port`; a failure to (a port in use) rejects with what `describe` makes of it. */
export function bind(server: Server, port: number, host: string, describe: (error: NodeJS.ErrnoException) => Error): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(describe(error));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * The connection's current request was received whole and its response is not finished yet.
 * node:http keeps that response on the socket as `_httpMessage` (its own closeIdleConnections
 * reads it too) from the request's head until the response finishes.
 */
function isAnswering(socket: Socket): boolean {
  const outgoing = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  return outgoing != null && outgoing.req.complete;
}

/**
 * Requests node:http cannot parse never reach the pipeline. Answer them like the gateway would
 * (JSON body, apigw-requestid) and log them, so an oversized header is not a silent failure.
 */
function answerClientError(gateway: Gateway, error: NodeJS.ErrnoException, socket: Duplex): void {
  // A client that went away mid-request leaves the parser at an unexpected end: not an error.
  if (!socket.writable || isClientAbort(error) || error.code === 'HPE_INVALID_EOF_STATE') {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const [status, reason, message] = tooLarge
    ? [431, 'Request Header Fields Too Large', 'Request Header Fields Too Large']
    : [400, 'Bad Request', 'Bad Request'];
  const requestId = newRequestId();
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\napigw-requestid: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
  );
  const note = tooLarge ? `request line + headers over ${MAX_HEADER_BYTES} bytes (API Gateway's limit)` : `unparsable request (${error.code ?? error.message})`;
  logRequest(gateway.logger, { method: '(unparsed request)', path: '', routeKey: undefined, statusCode: status, durationMs: 0, requestId, note });
}


type Listener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/**
 * The node:http listener: one request path for every request, whatever its target or Host. The
 * pipeline answers what it cannot serve itself (400 for a bad path or Host, §1.4), and
 * `gateway.handle` answers its own failures; what is left to catch here is a client that went
 * away, or a failure to read or write the request.
 */
export function createRequestListener(gateway: Gateway, server: ServerState): Listener {
  return (incoming, outgoing) => {
    serve(gateway, incoming, outgoing, server).catch((error: unknown) => failed(gateway, incoming, outgoing, error));
  };
}

/** What the request listener needs to know of the server it serves. */
export interface ServerState {
  /** True once close() was called: responses then end their connection. */
  closing(): boolean;
}

async function serve(gateway: Gateway, incoming: IncomingMessage, outgoing: ServerResponse, server: ServerState): Promise<void> {
  const request = fromIncomingMessage(incoming);
  let response: GatewayResponse;
  try {
    response = await gateway.handle(request);
  } finally {
    // The response holds nothing of the request body: a shared one can be reused.
    request.unreadBody?.done();
  }
  writeResponse(outgoing, response, request.method, server.closing(), (error) => gateway.logger.warn(escapeLogText(`${request.method} ${request.rawPath}: ${error.message}`)));
}

function failed(gateway: Gateway, incoming: IncomingMessage, outgoing: ServerResponse, error: unknown): void {
  // The client went away mid-upload: nobody is left to answer, and it is not our bug.
  if (error instanceof Error && isClientAbort(error)) {
    outgoing.destroy();
    return;
  }
  // A bug in localgw itself must not take the server down; answer like API Gateway would.
  const method = incoming.method ?? 'GET';
  const response = internalError(gateway.logger, error, { method, path: incoming.url ?? '', requestId: newRequestId(), timeEpoch: Date.now() });
  // Part of the request may be unread: the connection ends with this answer.
  if (outgoing.headersSent) outgoing.destroy();
  else writeResponse(outgoing, response, method, true);
}

const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/**
 * Writes a pipeline response: header names lower-cased and sorted, one line per header pair
 * (repeats stay repeated lines, §4.5 / §10, `set-cookie` lines last), values trimmed, a default
 * `content-type` and a `Content-Length` when there is a body; no body for HEAD and the no-body
 * statuses. `closing`: the connection ends after it.
 */
export function writeResponse(outgoing: ServerResponse, response: GatewayResponse, method: string, closing = false, onStreamError?: (error: Error) => void): void {
  const noBody = method === 'HEAD' || isNoBodyStatus(response.statusCode);
  const headers = outgoingHeaders(response.headers);
  if (!noBody && !hasName(headers, 'content-type')) insertSorted(headers, 'content-type', DEFAULT_CONTENT_TYPE);
  if (closing) headers.push('connection', 'close');
  const { body } = response;
  if (noBody) {
    if (isStreamedBody(body)) body.cancel();
    // A 205 is not one of the statuses whose message ends with its header (RFC 9112 §6.3):
    // its empty content is framed by Content-Length: 0 (RFC 9110 §15.3.6).
    if (response.statusCode === 205 && method !== 'HEAD') headers.push('Content-Length', '0');
    outgoing.writeHead(response.statusCode, headers);
    outgoing.end();
    return;
  }
  if (isStreamedBody(body)) {
    // A declared length is in the headers already (the backend's); else the body goes chunked.
    outgoing.writeHead(response.statusCode, headers);
    void pipeStream(outgoing, body, onStreamError);
    return;
  }
  if (!hasName(headers, 'content-length')) headers.push('Content-Length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength));
  outgoing.writeHead(response.statusCode, headers);
  outgoing.end(body);
}

/**
 * Sends a streamed body as it arrives, at the pace the client reads (backpressure: nothing piles
 * up in memory). A client that goes away stops the backend read; a stream that fails midway
 * cuts the connection, the only way left to tell the client its response is incomplete.
 */
async function pipeStream(outgoing: ServerResponse, body: StreamedBody, onError: ((error: Error) => void) | undefined): Promise<void> {
  let gone = false;
  const closed = new Promise<void>((resolve) =>
    outgoing.once('close', () => {
      gone = true;
      resolve();
    }),
  );
  try {
    if (!outgoing.write(body.head)) await Promise.race([once(outgoing, 'drain'), closed]);
    for await (const chunk of body.rest) {
      if (gone) break;
      if (!outgoing.write(chunk)) await Promise.race([once(outgoing, 'drain'), closed]);
    }
    if (gone) body.cancel();
    else outgoing.end();
  } catch (error) {
    outgoing.destroy();
    onError?.(error as Error);
  }
}
/**
 * The response's headers as node:http's flat `[name, value, …]` list: names lower-cased and
 * sorted, each pair its own line (a name that repeats keeps its values in order, the way API
 * Gateway sends 1.0's `headers` + `multiValueHeaders`: three `Combined-Header` lines, §4.5),
 * `set-cookie` lines last. Built without a Map or a sort call: responses carry a handful of
 * headers, for which an insertion is cheaper (this runs on every request).
 */
function outgoingHeaders(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const headers: string[] = [];
  let cookies: string[] | undefined;
  for (const [rawName, rawValue] of pairs) {
    const name = rawName.toLowerCase();
    const value = trimHttpWhitespace(rawValue);
    if (name === 'set-cookie') (cookies ??= []).push(value);
    else insertSorted(headers, name, value);
  }
  if (cookies) for (const cookie of cookies) headers.push('set-cookie', cookie);
  return headers;
}

function indexOfName(headers: readonly string[], name: string): number {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return i;
  return -1;
}

function hasName(headers: readonly string[], name: string): boolean {
  return indexOfName(headers, name) >= 0;
}

/**
 * Inserts the pair after the last name that is not later (code-unit order, as Array#sort, and
 * stable: repeats keep their order); `set-cookie` lines stay last.
 */
function insertSorted(headers: string[], name: string, value: string): void {
  let at = headers.length;
  while (at > 0 && headers[at - 2] === 'set-cookie') at -= 2;
  while (at > 0 && headers[at - 2]! > name) at -= 2;
  headers.splice(at, 0, name, value);
}

/** The Fetch spec's header value normalisation: strip leading and trailing tab, space, CR, LF. */
function trimHttpWhitespace(value: string): string {
  const isWs = (code: number) => code === 9 || code === 32 || code === 10 || code === 13;
  if (value.length === 0 || (!isWs(value.charCodeAt(0)) && !isWs(value.charCodeAt(value.length - 1)))) return value;
  let start = 0;
  let end = value.length;
  while (start < end && isWs(value.charCodeAt(start))) start++;
  while (end > start && isWs(value.charCodeAt(end - 1))) end--;
  return value.slice(start, end);
}
