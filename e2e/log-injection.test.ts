import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, startCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { createSigningKey } from './helpers/oidc-issuer.js';
import { tempProject } from './helpers/project.js';

// Issue 13 item 7 (CWE-117) against the built CLI: what a client controls reaches the request log
// line (a token's unverified kid and iss, the path, an Origin header quoted in a note), and what
// the CLI prints must not carry raw control characters: no ESC sequences, and no CR or LF that
// starts a forged line. NO_COLOR is set (startCli), so the output has no escapes of its own.

const ISSUER = 'https://issuer.example.com';
const AUDIENCE = 'my-client-id';
const APP = 'https://app.example.com';
// A complete fake log line between line breaks, in each form a terminal or log viewer obeys.
const FORGED = 'GET /admin → GET /admin · 200 · 1.0 ms · jwt main ✓ sub=root';
const HOSTILE = `\r\n${FORGED}\u001b[2K\u009b2K\u2028${FORGED}\u202e\n`;

let gw: RunningCli;
let project: ReturnType<typeof tempProject>;

beforeAll(async () => {
  const key = await createSigningKey('k1');
  project = tempProject({
    'handlers/api.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: event.rawPath });\n',
    'localgw.config.json': {
      cors: { allowOrigins: [APP], allowMethods: ['GET'] },
      authorizers: { main: { type: 'jwt', issuer: ISSUER, audience: [AUDIENCE], jwks: { keys: [key.publicJwk] } } },
      routes: { 'GET /admin': { handler: 'handlers/api.handler', authorizer: 'main' }, 'GET /open': 'handlers/api.handler' },
    },
  });
  gw = await startCli(['--no-watch'], { cwd: project.dir });
});
afterAll(async () => {
  await gw?.stop();
  project?.cleanup();
});

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Never signed: everything in it is the client's choice, read before any signature check. */
const unsigned = (header: object, payload: object) => `${b64({ alg: 'RS256', ...header })}.${b64(payload)}.c2ln`;
const exp = () => Math.floor(Date.now() / 1000) + 600;

/** One request written byte for byte (latin1), as a client that ignores what fetch allows would. */
function rawRequest(head: string): Promise<string> {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(`${head}\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`, 'latin1')));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(text.split('\r\n')[0]!));
  });
}

/** What a terminal would obey in the printed output: line breaks other than \n between lines, and every other control. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function assertNothingForged(output: string): void {
  const unsafe = UNSAFE.exec(output);
  expect(unsafe, `raw U+${unsafe?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in the output:\n${output}`).toBeNull();
  // Every line the gateway printed is one it meant to print: the forged one never starts a line.
  expect(output.split('\n').filter((line) => line.startsWith(FORGED.slice(0, 30)))).toEqual([]);
}

describe('issue 13 item 7: client-controlled text in the request log line is escaped (CWE-117)', () => {
  it('an unsigned token whose kid is a forged log line, with escapes', async () => {
    const token = unsigned({ kid: `k-evil${HOSTILE}` }, { iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: exp() });
    const res = await http(`${gw.url}/admin?case=kid`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    await gw.waitForOutput(/GET \/admin\?case=kid → GET \/admin · 401 .*no key with kid "k-evil/);
    assertNothingForged(gw.output());
    expect(gw.output()).toContain('\\x9b2K\\u2028GET /admin');
  });

  it('an unsigned token whose iss is a forged log line, with escapes', async () => {
    const token = unsigned({ kid: 'k1' }, { iss: `evil${HOSTILE}`, aud: AUDIENCE, exp: exp() });
    const res = await http(`${gw.url}/admin?case=iss`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    await gw.waitForOutput(/GET \/admin\?case=iss → GET \/admin · 401 .*issuer "evil/);
    assertNothingForged(gw.output());
  });

  it('a path with encoded controls stays encoded, and one with raw controls never reaches the log', async () => {
    const res = await http(`${gw.url}/open%1b%5b2K%0d%0a${encodeURIComponent(FORGED)}?case=path`);
    expect(res.status).toBe(404);
    await gw.waitForOutput('/open%1b%5b2K%0d%0aGET%20%2Fadmin');
    // node:http refuses these outright (400), so they cannot be logged as a path.
    expect(await rawRequest(`GET /open\r${FORGED} HTTP/1.1`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawRequest(`GET /open\u001b[2K HTTP/1.1`)).toMatch(/^HTTP\/1\.1 400/);
    assertNothingForged(gw.output());
  });

  it('an Origin carrying a C1 control (the byte 0x9B, a CSI), quoted in the refused-preflight note', async () => {
    const status = await rawRequest(`OPTIONS /nowhere?case=origin HTTP/1.1\r\nOrigin: https://x\u009b2J\u009b31mEVIL\r\nAccess-Control-Request-Method: GET`);
    expect(status).toMatch(/^HTTP\/1\.1 204/);
    await gw.waitForOutput('CORS preflight refused: origin https://x\\x9b2J\\x9b31mEVIL is not in cors.allowOrigins');
    assertNothingForged(gw.output());
  });

  it('a verified dev token whose sub holds escapes, or is an object whose toString cannot be called (item 11)', async () => {
    const mint = async (...args: string[]) => {
      const { code, stdout, stderr } = await runCliAsync(['token', '--authorizer', 'main', ...args], { cwd: project.dir });
      expect(code, stderr).toBe(0);
      return stdout.trim();
    };
    const escapes = await mint('--sub', `root\u001b[31m\r\n${FORGED}`);
    expect((await http(`${gw.url}/admin?case=sub`, { headers: { authorization: `Bearer ${escapes}` } })).status).toBe(200);
    await gw.waitForOutput('GET /admin?case=sub → GET /admin · 200');
    const object = await mint('--claim', 'sub={"toString":1}');
    const res = await http(`${gw.url}/admin?case=object-sub`, { headers: { authorization: `Bearer ${object}` } });
    expect(res.status, res.text).toBe(200);
    await gw.waitForOutput(/GET \/admin\?case=object-sub → GET \/admin · 200 · [\d.]+ ms · jwt main ✓ sub=\{"toString":1\}/);
    assertNothingForged(gw.output());
    expect(gw.output()).toContain('sub=root\\x1b[31m\\r\\nGET /admin');
  });
});
