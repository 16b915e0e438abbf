import type { IncomingMessage } from 'node:http';
import { formatRequestId, getFirstHeader, REQUEST_ID_BYTES, type GatewayRequest } from '@localgw/core';
import { releaseSharedBody, SHARED_BODY_BYTES, sharedBody } from '@localgw/runtime';

/** API Gateway's payload limit (§7.1, D-quotas). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type ReadBodyResult = { ok: true; body: Uint8Array | undefined } | { ok: false; reason: 'too-large' };

// Random bytes for request ids, fetched for 256 ids at a time: one getRandomValues call per
// request was a measurable share of the request path.
const ID_POOL = new Uint8Array(REQUEST_ID_BYTES * 256);
let idOffset = ID_POOL.length;

export function newRequestId(): string {
  if (idOffset + REQUEST_ID_BYTES > ID_POOL.length) {
    crypto.getRandomValues(ID_POOL);
    idOffset = 0;
  }
  const bytes = ID_POOL.subarray(idOffset, idOffset + REQUEST_ID_BYTES);
  idOffset += REQUEST_ID_BYTES;
  return formatRequestId(bytes);
}

/** Split `/path?query` without decoding anything: the pipeline needs the raw forms (§1.4). */
export function splitUrl(url: string): { rawPath: string; rawQueryString: string } {
  const q = url.indexOf('?');
  const pathPart = q === -1 ? url : url.slice(0, q);
  // Absolute-form request targets (`GET http://host/path`) are legal HTTP; keep only the path.
  const rawPath = pathPart.startsWith('/') ? pathPart : pathPart.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') || '/';
  return { rawPath, rawQueryString: q === -1 ? '' : url.slice(q + 1) };
}

/**
 * A request body not read yet. The pipeline reads it when the integration needs its bytes (a
 * Lambda event, a mapping of `$request.body`); an HTTP proxy streams it to the backend instead,
 * so an upload never sits whole in the gateway's memory.
 */
export interface UnreadBody {
  /**
   * The whole body (memoized), or `too-large` past MAX_BODY_BYTES. `forHandler`: the bytes go
   * only to a Lambda handler, and a large body is read into shared memory its worker reads in
   * place (@localgw/runtime's shared-bodies.ts) until `done()`.
   */
  read(forHandler?: boolean): Promise<ReadBodyResult>;
  /** The body as it arrives, at most MAX_BODY_BYTES: past that it throws `BodyTooLargeError`. */
  stream(): AsyncIterable<Uint8Array>;
  /** The pipeline has answered: nothing of it reads the bytes `read()` gave any more. */
  done(): void;
}

/** A request as the server hands it to the pipeline: its body may still be on the wire. */
export type ServerRequest = GatewayRequest & { readonly unreadBody?: UnreadBody };

/** The client closed the connection before its request body was complete. */
export function isClientAbort(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ECONNRESET' || error.message === 'aborted';
}

/** An uploaded body went past API Gateway's 10 MB quota while it was streamed (§0.1: 413). */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`the request body is over the ${MAX_BODY_BYTES}-byte payload quota`);
  }
}

/**
 * Builds the request from node:http, at once: the body (if any) stays unread until the
 * pipeline knows what the route does with it. A declared length over MAX_BODY_BYTES is known
 * before routing (§0.1) and the upload is discarded.
 */
export function fromIncomingMessage(incoming: IncomingMessage): ServerRequest {
  const timeEpoch = Date.now();
  const requestId = newRequestId();
  if (!hasBody(incoming)) return fromIncoming(incoming, requestId, timeEpoch, NO_BODY);
  const declared = Number(getFirstHeader(incoming.rawHeaders, 'content-length') ?? NaN);
  if (declared > MAX_BODY_BYTES) {
    // Discard the upload rather than cut the connection: a client still sending would get
    // EPIPE instead of reading the 413.
    incoming.resume();
    return fromIncoming(incoming, requestId, timeEpoch, TOO_LARGE);
  }
  let read: Promise<ReadBodyResult> | undefined;
  let shared: Uint8Array | undefined;
  const unreadBody: UnreadBody = {
    read: (forHandler = false) => {
      if (read !== undefined) return read;
      if (forHandler && declared >= SHARED_BODY_BYTES) {
        shared = sharedBody(declared);
        read = readInto(incoming, shared);
      } else read = readBody(incoming);
      return read;
    },
    stream: () => limited(incoming),
    done: () => {
      if (shared !== undefined) releaseSharedBody(shared);
      shared = undefined;
    },
  };
  return { ...fromIncoming(incoming, requestId, timeEpoch, NO_BODY), unreadBody };
}

const TOO_LARGE: ReadBodyResult = { ok: false, reason: 'too-large' };

async function* limited(incoming: IncomingMessage): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    yield chunk as Buffer;
  }
}

const NO_BODY: ReadBodyResult = { ok: true, body: undefined };

function fromIncoming(incoming: IncomingMessage, requestId: string, timeEpoch: number, body: ReadBodyResult): GatewayRequest {
  const sourceIp = stripIpv4Mapped(incoming.socket.remoteAddress ?? '127.0.0.1');
  return toGatewayRequest(incoming.method ?? 'GET', incoming.url ?? '/', incoming.rawHeaders, body, sourceIp, requestId, timeEpoch);
}

/**
 * Builds the request from a fetch `Request` (createGateway().fetch, no socket involved), through
 * the same conversion as the server's. The Request's URL is its absolute-form target; its
 * headers are what an HTTP client would send for it: `host` from the URL unless set, and the
 * body's `content-length`. What a fetch Request cannot carry is gone before localgw sees it:
 * the WHATWG URL parser has resolved dot segments and read `\` as `/`, and `Headers` has joined
 * a repeated header into one value with `, ` (docs/differences.md).
 */
export async function fromFetchRequest(request: Request, sourceIp = '127.0.0.1'): Promise<GatewayRequest> {
  const timeEpoch = Date.now();
  const requestId = newRequestId();
  const read = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  const bytes = read !== undefined && read.byteLength > 0 ? read : undefined;
  const body: ReadBodyResult = bytes !== undefined && bytes.byteLength > MAX_BODY_BYTES ? { ok: false, reason: 'too-large' } : { ok: true, body: bytes };
  const rawHeaders: string[] = [];
  if (!request.headers.has('host')) rawHeaders.push('host', new URL(request.url).host);
  request.headers.forEach((value, name) => rawHeaders.push(name, value));
  if (bytes !== undefined && !request.headers.has('content-length')) rawHeaders.push('content-length', String(bytes.byteLength));
  const fragment = request.url.indexOf('#');
  return toGatewayRequest(request.method, fragment === -1 ? request.url : request.url.slice(0, fragment), rawHeaders, body, sourceIp, requestId, timeEpoch);
}

/**
 * The one conversion from a request as received (method, request target, header pairs, body)
 * to the pipeline's request, for the server and `fetch` alike: what the event is built from.
 */
function toGatewayRequest(
  method: string,
  target: string,
  rawHeaders: readonly string[],
  body: ReadBodyResult,
  sourceIp: string,
  requestId: string,
  timeEpoch: number,
): GatewayRequest {
  const { rawPath, rawQueryString } = splitUrl(target);
  const request: GatewayRequest = { method, rawPath, rawQueryString, rawHeaders, body: body.ok ? body.body : undefined, sourceIp, requestId, timeEpoch };
  return body.ok ? request : { ...request, bodyTooLarge: true };
}

function stripIpv4Mapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** A declared length of 0, or neither a length nor chunked encoding: nothing to read. */
function hasBody(incoming: IncomingMessage): boolean {
  const declared = getFirstHeader(incoming.rawHeaders, 'content-length');
  if (declared === undefined) return getFirstHeader(incoming.rawHeaders, 'transfer-encoding') !== undefined;
  return declared !== '0';
}

function readBody(incoming: IncomingMessage): Promise<ReadBodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    incoming.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => {
      if (tooLarge) resolve({ ok: false, reason: 'too-large' });
      else resolve({ ok: true, body: size === 0 ? undefined : size === chunks[0]!.length ? chunks[0]! : Buffer.concat(chunks, size) });
    });
    incoming.on('error', reject);
  });
}

/**
 * A body of a declared length, copied into `body` as it arrives. Each chunk is garbage as soon
 * as it is copied: chunks kept until the end outlived young-generation collections, and the
 * megabytes of them made V8 run a full collection every few requests (issue 17).
 */
function readInto(incoming: IncomingMessage, body: Uint8Array): Promise<ReadBodyResult> {
  return new Promise((resolve, reject) => {
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      // Node's parser ends the body at its Content-Length; never past the buffer all the same.
      if (size + chunk.length <= body.byteLength) body.set(chunk, size);
      size += chunk.length;
    });
    incoming.on('end', () => {
      if (size === body.byteLength) resolve({ ok: true, body });
      else reject(new Error(`the request body was ${size} bytes, not its declared ${body.byteLength}`));
    });
    incoming.on('error', reject);
  });
}
