import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header lines in the order they came, names as sent. */
  headers: Array<[string, string]>;
  /** The value of the first header line named `name` (any case). */
  header(name: string): string | undefined;
  /** Every header line named `name` (any case), in order. */
  all(name: string): string[];
  body: Buffer;
  text: string;
}

/**
 * Sends `head` (request line and headers, without the blank line) and `body` byte for byte to
 * `url`'s host and port, with `Connection: close`, and reads the answer until the server closes
 * the connection: what curl --path-as-is sends, which fetch and undici clients would normalise.
 */
export function rawRequest(url: string, head: string, body = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`, 'latin1'));
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no complete answer to ${head.split('\r\n')[0]}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks);
      const end = raw.indexOf('\r\n\r\n');
      const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
      const headers = lines.slice(1).map((line): [string, string] => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]);
      const all = (name: string) => headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
      const payload = raw.subarray(end + 4);
      resolve({ status: Number(lines[0]!.split(' ')[1]), headers, header: (name) => all(name)[0], all, body: payload, text: payload.toString('utf8') });
    });
  });
}
