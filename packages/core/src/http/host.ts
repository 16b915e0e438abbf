/** A request's Host, split the way the event fields need it (§4.1 `domainName`, `domainPrefix`). */
export interface RequestHost {
  /** The Host as the client sent it, port included: `api.example.test:3000`. */
  domainName: string;
  /** The first label of the host name, without the port: `api`. */
  domainPrefix: string;
  /** The port the client named, or undefined when it named none. */
  port: string | undefined;
}

/**
 * Reads a Host header value: `host[:port]`, the host an RFC 3986 reg-name of letters, digits and
 * `-._~!$&'()*+;=`, or a bracketed IPv6 literal; the port 1 to 5 digits (RFC 9110 §7.2).
 * Undefined for anything else (a space, `/`, `@`, an empty name, a `,` as in two Host lines joined):
 * such a request is answered 400 (RFC 9112 §3.2). Its name is kept as sent, case included.
 *
 * @example parseHost('api.example.test:3000') // { domainName: 'api.example.test:3000', domainPrefix: 'api', port: '3000' }
 */
export function parseHost(value: string): RequestHost | undefined {
  let end = 0;
  if (value.charCodeAt(0) === 91 /* [ */) {
    const close = value.indexOf(']');
    if (close < 2) return undefined;
    for (let i = 1; i < close; i++) if (!isIpLiteralChar(value.charCodeAt(i))) return undefined;
    end = close + 1;
  } else {
    while (end < value.length && value.charCodeAt(end) !== 58 /* : */) {
      if (!isRegNameChar(value.charCodeAt(end))) return undefined;
      end++;
    }
    if (end === 0) return undefined;
  }
  let port: string | undefined;
  if (end < value.length) {
    if (value.charCodeAt(end) !== 58) return undefined;
    port = value.slice(end + 1);
    if (port.length === 0 || port.length > 5) return undefined;
    for (let i = 0; i < port.length; i++) if (!isDigit(port.charCodeAt(i))) return undefined;
  }
  const hostname = port === undefined ? value : value.slice(0, end);
  const dot = hostname.charCodeAt(0) === 91 ? -1 : hostname.indexOf('.');
  return { domainName: value, domainPrefix: dot === -1 ? hostname : hostname.slice(0, dot), port };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

// A reg-name's characters: unreserved (RFC 3986 §2.3) and the sub-delims (§2.2) except `,`.
const REG_NAME = new Uint8Array(128);
for (const char of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+;=") REG_NAME[char.charCodeAt(0)] = 1;

function isRegNameChar(code: number): boolean {
  return code < 128 && REG_NAME[code] === 1;
}

function isIpLiteralChar(code: number): boolean {
  const lower = code | 0x20;
  return isDigit(code) || (lower >= 97 && lower <= 102) || code === 58 /* : */ || code === 46 /* . */;
}
