// The HTTP/1.1 server under the Runtime API: requests read in order on each connection (Content-
// Length or chunked bodies, Expect: 100-continue, keep-alive, pipelining), answered in order,
// the answers of one read written in one write. A pipelined request is handled as soon as it is
// read, even while one before it waits for its answer (a GET …/next for the next invocation):
// localgw's own client keeps a GET waiting while it posts its answer (runtime-api.ts, prefetch).
//
// Not node:http, for the gateway's thread, which carries every invocation: an invocation is two
// exchanges with the runtime (its answer, its next GET), and node:http cost that thread about
// 80 µs of CPU a round trip against 30 µs here (measured with localgw's Python client), most of
// it in writes: node:http writes each response on its own, where a runtime that sends its answer
// and its next GET together gets the 202 and the next event in one write here. The runtimes that
// speak to it (curl, Go's net/http, Rust's hyper, awslambdaric's libcurl, localgw's client) send
// plain HTTP/1.1; what this does not handle (a header section over 64 kB, a malformed request
// line or length) is answered 400 or 431 and the connection closed.
import net from 'node:net';

export interface HttpRequest {
  readonly method: string;
  /** The request target's path, without its query. */
  readonly path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  /** The body; `undefined` when it was over the server's body limit (then only counted). */
  readonly body: Buffer | undefined;
  /** The body's length in bytes, whether kept or not. */
  readonly size: number;
}

export interface Reply {
  /** Answer the request; answers go out in the order of the requests. */
  send(status: number, contentType: string | undefined, body: string, extraHeaders?: string): void;
  /** Called if the connection closes before the answer is sent. */
  onClose(listener: () => void): void;
}

export type RequestHandler = (request: HttpRequest, reply: Reply) => void;

const MAX_HEAD_BYTES = 64 * 1024;
/** Requests of one connection handled and not yet answered, at most; past it, reading waits. */
const MAX_UNANSWERED = 16;
const EMPTY = Buffer.alloc(0);
const REASONS: Record<number, string> = { 200: 'OK', 202: 'Accepted', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Request Entity Too Large', 431: 'Request Header Fields Too Large' };

/** A server on `net` that hands each complete request to `handler`; bodies over `maxBody` bytes are counted, not kept. */
export function createHttpServer(handler: RequestHandler, maxBody: number): net.Server {
  return net.createServer((socket) => new Connection(socket, handler, maxBody));
}

type State = 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers';

/** An answer's place in the connection's order: its bytes once sent, what to call if the connection closes first. */
interface Answer {
  text: string | undefined;
  /** Close the connection once this is written. */
  last: boolean;
  readonly closed: Array<() => void>;
}

class Connection {
  readonly #socket: net.Socket;
  readonly #handler: RequestHandler;
  readonly #maxBody: number;
  #buffer: Buffer = EMPTY;
  #state: State = 'head';
  #method = '';
  #path = '';
  #headers = new Map<string, string>();
  #keepAlive = true;
  #chunks: Buffer[] = [];
  #size = 0;
  #remaining = 0;
  /** Answers in request order, from the oldest not yet written. */
  readonly #answers: Answer[] = [];
  /** A request said Connection: close (or could not be read): nothing after it is read. */
  #lastRead = false;
  #out: string[] = [];
  #depth = 0;
  #ending = false;
  #closed = false;
  /** A write of answers given outside a read is due at the end of this turn of the event loop. */
  #scheduled = false;

  constructor(socket: net.Socket, handler: RequestHandler, maxBody: number) {
    this.#socket = socket;
    this.#handler = handler;
    this.#maxBody = maxBody;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#pump();
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      this.#closed = true;
      for (const answer of this.#answers.splice(0)) for (const listener of answer.closed) listener();
    });
  }

  /** Read what can be read, then write what was answered, in one write. */
  #pump(): void {
    this.#depth++;
    try {
      while (!this.#closed && !this.#lastRead && this.#collect() < MAX_UNANSWERED && this.#step());
    } finally {
      this.#depth--;
    }
    if (this.#depth === 0) this.#flush();
  }

  /** Move the answers ready, up to the first still awaited, to the output; how many are still awaited. */
  #collect(): number {
    while (!this.#ending && this.#answers.length > 0 && this.#answers[0]!.text !== undefined) {
      const answer = this.#answers.shift()!;
      this.#out.push(answer.text!);
      if (answer.last) this.#ending = true;
    }
    return this.#answers.length;
  }

  #flush(): void {
    this.#collect();
    if (this.#out.length > 0 && !this.#closed) {
      this.#socket.write(this.#out.length === 1 ? this.#out[0]! : this.#out.join(''));
    }
    this.#out.length = 0;
    if (this.#ending && !this.#closed) this.#socket.end();
  }

  /** One step of the parser; false when it needs more bytes. */
  #step(): boolean {
    switch (this.#state) {
      case 'head':
        return this.#readHead();
      case 'body':
        if (this.#buffer.length === 0) return false;
        if (this.#takeBody()) this.#dispatch();
        return true;
      case 'chunk-size': {
        const end = this.#buffer.indexOf('\r\n');
        if (end < 0) return this.#buffer.length > 1024 ? this.#fail(400) : false;
        const line = this.#buffer.toString('latin1', 0, end);
        this.#buffer = this.#buffer.subarray(end + 2);
        const hex = line.split(';', 1)[0]!.trim();
        if (!/^[0-9a-fA-F]{1,8}$/.test(hex)) return this.#fail(400);
        this.#remaining = parseInt(hex, 16);
        this.#state = this.#remaining === 0 ? 'trailers' : 'chunk-data';
        return true;
      }
      case 'chunk-data':
        if (this.#buffer.length === 0) return false;
        if (this.#takeBody()) this.#state = 'chunk-end';
        return true;
      case 'chunk-end': {
        if (this.#buffer.length < 2) return false;
        if (this.#buffer[0] !== 13 || this.#buffer[1] !== 10) return this.#fail(400);
        this.#buffer = this.#buffer.subarray(2);
        this.#state = 'chunk-size';
        return true;
      }
      case 'trailers': {
        // Trailer fields are read and dropped; an empty line ends the message.
        const end = this.#buffer.indexOf('\r\n');
        if (end < 0) return this.#buffer.length > MAX_HEAD_BYTES ? this.#fail(431) : false;
        this.#buffer = this.#buffer.subarray(end + 2);
        if (end === 0) this.#dispatch();
        return true;
      }
    }
  }

  #readHead(): boolean {
    // Robustness (RFC 9112 §2.2): empty lines before a request line are ignored.
    while (this.#buffer.length >= 2 && this.#buffer[0] === 13 && this.#buffer[1] === 10) this.#buffer = this.#buffer.subarray(2);
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end < 0) return this.#buffer.length > MAX_HEAD_BYTES ? this.#fail(431) : false;
    if (end > MAX_HEAD_BYTES) return this.#fail(431);
    const lines = this.#buffer.toString('latin1', 0, end).split('\r\n');
    this.#buffer = this.#buffer.subarray(end + 4);
    const requestLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]!);
    if (!requestLine) return this.#fail(400);
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      // No obsolete line folding, no whitespace before the colon (RFC 9112 §5).
      if (colon <= 0 || line[0] === ' ' || line[0] === '\t' || /\s/.test(line[colon - 1]!)) return this.#fail(400);
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      const before = headers.get(name);
      headers.set(name, before === undefined ? value : `${before}, ${value}`);
    }
    const target = requestLine[2]!;
    const query = target.indexOf('?');
    this.#method = requestLine[1]!;
    this.#path = query < 0 ? target : target.slice(0, query);
    this.#headers = headers;
    const connection = headers.get('connection')?.toLowerCase() ?? '';
    this.#keepAlive = requestLine[3] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
    this.#chunks = [];
    this.#size = 0;
    const transferEncoding = headers.get('transfer-encoding');
    const contentLength = headers.get('content-length');
    let hasBody: boolean;
    if (transferEncoding !== undefined) {
      // A length it cannot know: answered, and the connection closed (RFC 9112 §6.3).
      if (!/(^|,)\s*chunked\s*$/i.test(transferEncoding)) return this.#fail(400);
      this.#state = 'chunk-size';
      hasBody = true;
    } else if (contentLength !== undefined) {
      if (!/^\d{1,15}$/.test(contentLength)) return this.#fail(400);
      this.#remaining = Number(contentLength);
      this.#state = 'body';
      hasBody = this.#remaining > 0;
    } else {
      this.#remaining = 0;
      this.#state = 'body';
      hasBody = false;
    }
    if (hasBody && headers.get('expect')?.toLowerCase() === '100-continue') {
      // An interim answer, in its place: after the answers to what came before (curl asks for large bodies).
      this.#answers.push({ text: 'HTTP/1.1 100 Continue\r\n\r\n', last: false, closed: [] });
      this.#flush();
    }
    if (this.#state === 'body' && this.#remaining === 0) this.#dispatch();
    return true;
  }

  /** Body bytes from the buffer, up to what the message or chunk still has; true once it has them all. */
  #takeBody(): boolean {
    const take = Math.min(this.#remaining, this.#buffer.length);
    const bytes = this.#buffer.subarray(0, take);
    this.#buffer = this.#buffer.subarray(take);
    this.#remaining -= take;
    this.#size += take;
    if (this.#size <= this.#maxBody) this.#chunks.push(bytes);
    else this.#chunks.length = 0;
    return this.#remaining === 0;
  }

  #dispatch(): void {
    this.#state = 'head';
    const over = this.#size > this.#maxBody;
    const chunks = this.#chunks;
    const body = over ? undefined : chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.#chunks = [];
    const request: HttpRequest = { method: this.#method, path: this.#path, headers: this.#headers, body, size: this.#size };
    const keepAlive = this.#keepAlive;
    if (!keepAlive) this.#lastRead = true;
    const answer: Answer = { text: undefined, last: !keepAlive, closed: [] };
    this.#answers.push(answer);
    const reply: Reply = {
      send: (status, contentType, text, extraHeaders = '') => {
        if (answer.text !== undefined || this.#closed) return;
        let head = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Unknown'}\r\n`;
        if (contentType !== undefined) head += `Content-Type: ${contentType}\r\n`;
        head += `${extraHeaders}Content-Length: ${Buffer.byteLength(text)}\r\n`;
        if (!keepAlive) head += 'Connection: close\r\n';
        answer.text = `${head}\r\n${text}`;
        // Answered later (an invocation for a waiting GET): written with whatever else is answered
        // in this turn of the event loop (the gateway reads many requests in one), then read on.
        if (this.#depth === 0 && !this.#scheduled) {
          this.#scheduled = true;
          setImmediate(() => {
            this.#scheduled = false;
            this.#pump();
          });
        }
      },
      onClose: (listener) => {
        if (this.#closed) listener();
        else answer.closed.push(listener);
      },
    };
    this.#handler(request, reply);
  }

  /** A request it cannot read: answered, and the connection closed. */
  #fail(status: number): boolean {
    this.#answers.push({ text: `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, last: true, closed: [] });
    this.#lastRead = true;
    return false;
  }
}
