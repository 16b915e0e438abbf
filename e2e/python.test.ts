import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startCli, type RunningCli } from './helpers/cli.js';
import { editFile, eventually } from './helpers/edit.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// Issue 19: Python handlers (the machine's python3, standard library only) behind `localgw
// start`, through the Lambda Runtime API, checked as the Node.js tests check their handlers.
// Timing limits leave a loaded machine seconds of room.

const PY = `import base64, json, os, sys, time
import helper

def event(event, context):
    return {"event": event, "pid": os.getpid()}

def event_v1(event, context):
    return {"statusCode": 200, "body": json.dumps({"event": event})}

def items(event, context):
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": json.dumps({"id": event["pathParameters"]["id"], "version": event["version"], "python": True})}

def as_string(event, context):
    return "plain text from python"

def as_dict(event, context):
    return {"answer": 42, "ok": True}

def structured(event, context):
    return {"statusCode": 201, "headers": {"x-from": "python"}, "cookies": ["a=1", "b=2; Path=/"],
            "isBase64Encoded": True, "body": base64.b64encode(bytes([0, 1, 2, 255])).decode()}

def fail(event, context):
    raise KeyError("missing-thing")

def slow(event, context):
    time.sleep(float(event["queryStringParameters"]["s"]))
    return {"pid": os.getpid()}

def prints(event, context):
    print("hello from python", event["rawPath"])
    return "printed"

def version(event, context):
    return helper.VERSION

def authorize(event, context):
    return {"isAuthorized": event["headers"].get("x-api-key") == "let-me-in", "context": {"checkedBy": "python"}}

def remaining(event, context):
    return {"remaining": context.get_remaining_time_in_millis(), "request_id": context.aws_request_id, "function": context.function_name}
`;

const routes = {
  'GET /event/{id}': { handler: 'py/app.event', runtime: 'python3.12' },
  'POST /event/{id}': { handler: 'py/app.event', runtime: 'python3.12' },
  'GET /v1/{id}': { handler: 'py/app.event_v1', runtime: 'python3.12', payloadFormatVersion: '1.0' },
  'GET /node-v1/{id}': { handler: 'node/echo.v1', payloadFormatVersion: '1.0' },
  'GET /node/{id}': 'node/echo.handler',
  'POST /node/{id}': 'node/echo.handler',
  'GET /items/{id}': { handler: 'py/app.items', runtime: 'python3.12' },
  'GET /string': { handler: 'py/app.as_string', runtime: 'python3.12' },
  'GET /dict': { handler: 'py/app.as_dict', runtime: 'python3.12' },
  'GET /structured': { handler: 'py/app.structured', runtime: 'python3.12' },
  'GET /fail': { handler: 'py/app.fail', runtime: 'python3.12' },
  'GET /slow': { handler: 'py/app.slow', runtime: 'python3.12', timeout: 1.5 },
  'GET /print': { handler: 'py/app.prints', runtime: 'python3.12' },
  'GET /version': { handler: 'py/app.version', runtime: 'python3.12' },
  'GET /remaining': { handler: 'py/app.remaining', runtime: 'python3.12', timeout: 2 },
  'GET /broken': { handler: 'py/broken.handler', runtime: 'python3.12' },
  'GET /guarded': { handler: 'py/app.event', runtime: 'python3.12', authorizer: 'key' },
};

const authorizers = {
  key: { type: 'request', handler: 'py/app.authorize', runtime: 'python3.12', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: ['$request.header.x-api-key'] },
};

const project = tempProject({
  'localgw.config.json': { authorizers, routes },
  'py/app.py': PY,
  'py/helper.py': 'VERSION = "v1"\n',
  'py/broken.py': 'import json\nimport not_installed_anywhere\n\ndef handler(event, context):\n    return 1\n',
  'node/echo.mjs': 'export const handler = async (event) => ({ event });\nexport const v1 = async (event) => ({ statusCode: 200, body: JSON.stringify({ event }) });\n',
});

let gw: RunningCli;
beforeAll(async () => {
  gw = await startCli([], { cwd: project.dir });
});
afterAll(async () => {
  await gw?.stop();
  project.cleanup();
});

/** What varies between two requests (ids, times) and between two handlers (nothing else may). */
function normalize(event: any): any {
  const copy = structuredClone(event);
  for (const headers of [copy.headers, copy.multiValueHeaders]) if (headers) for (const name of ['x-amzn-trace-id', 'X-Amzn-Trace-Id']) delete headers[name];
  delete copy.requestContext.requestId;
  delete copy.requestContext.time;
  delete copy.requestContext.timeEpoch;
  delete copy.requestContext.requestTimeEpoch;
  delete copy.requestContext.requestTime;
  delete copy.requestContext.extendedRequestId;
  // The two routes differ by their first path segment only.
  return JSON.parse(JSON.stringify(copy).replaceAll(/\/(node-v1|node|event|v1)\//g, '/X/'));
}

describe('§4 payload 2.0 and 1.0 events, as a Node.js handler receives them', () => {
  it('the 2.0 event: path parameters, query, headers, JSON body; the same as the Node.js handler\'s', async () => {
    const request = { method: 'POST', headers: { 'content-type': 'application/json', 'x-multi': ['a', 'b'] }, body: '{"name":"pen","n":1}' };
    const py = await http(`${gw.url}/event/42?color=red&size=1&size=2`, request);
    const node = await http(`${gw.url}/node/42?color=red&size=1&size=2`, request);
    expect(py.status).toBe(200);
    const { event } = py.json();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /event/{id}',
      rawPath: '/event/42',
      rawQueryString: 'color=red&size=1&size=2',
      pathParameters: { id: '42' },
      queryStringParameters: { color: 'red', size: '1,2' },
      headers: { 'content-type': 'application/json', 'x-multi': 'a,b' },
      body: '{"name":"pen","n":1}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/event/42' }, requestId: py.headers['apigw-requestid'] },
    });
    expect(normalize(event)).toEqual(normalize(node.json().event));
  });

  it('a binary body arrives base64-encoded', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const res = await http(`${gw.url}/event/bin`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(res.json().event).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
  });

  it('the 1.0 event: resource, path, multiValue fields; the same as the Node.js handler\'s', async () => {
    const res = await http(`${gw.url}/v1/7?a=1&a=2`, { headers: { 'x-one': '1' } });
    const node = await http(`${gw.url}/node-v1/7?a=1&a=2`, { headers: { 'x-one': '1' } });
    const { event } = res.json();
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/v1/{id}',
      path: '/v1/7',
      httpMethod: 'GET',
      pathParameters: { id: '7' },
      queryStringParameters: { a: '2' },
      multiValueQueryStringParameters: { a: ['1', '2'] },
      headers: { 'x-one': '1' },
      body: null,
      isBase64Encoded: false,
    });
    expect(normalize(event)).toEqual(normalize(node.json().event));
  });
});

describe('§4.4 results are mapped as a Node.js handler\'s', () => {
  it('a structured result (status, headers, body)', async () => {
    const res = await http(`${gw.url}/items/9`);
    expect([res.status, res.headers['content-type'], res.json()]).toEqual([200, 'application/json', { id: '9', version: '2.0', python: true }]);
  });

  it('a string is the body; a dict without statusCode is a JSON body', async () => {
    const text = await http(`${gw.url}/string`);
    expect([text.status, text.text]).toEqual([200, 'plain text from python']);
    const dict = await http(`${gw.url}/dict`);
    expect([dict.status, dict.headers['content-type'], dict.json()]).toEqual([200, 'application/json', { answer: 42, ok: true }]);
  });

  it('status, headers, cookies and a base64 body', async () => {
    const res = await fetch(`${gw.url}/structured`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-from')).toBe('python');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2; Path=/']);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });
});

describe('§4.6 failures', () => {
  it('a raised exception answers 500; the traceback is in the log, tagged with the route and request id', async () => {
    const res = await http(`${gw.url}/fail`);
    expect([res.status, res.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    const id = res.headers['apigw-requestid'] as string;
    await gw.waitForOutput(`[GET /fail ${id}] [ERROR] KeyError: 'missing-thing'`);
    await gw.waitForOutput(`[GET /fail ${id}] Traceback (most recent call last):`);
    await gw.waitForOutput(/\[GET \/fail [^\]]+\]\s+File ".*app\.py", line \d+, in fail/);
    await gw.waitForOutput(/GET \/fail → GET \/fail · 500 · .* KeyError: 'missing-thing'/);
  });

  it('past the route\'s timeout: 503, the process killed and replaced', async () => {
    const before = (await http(`${gw.url}/slow?s=0`)).json().pid as number;
    const started = performance.now();
    const res = await http(`${gw.url}/slow?s=20`);
    expect([res.status, res.json()]).toEqual([503, { message: 'Service Unavailable' }]);
    expect(performance.now() - started).toBeLessThan(10_000);
    await expect.poll(() => alive(before), { timeout: 5_000 }).toBe(false);
    const after = (await http(`${gw.url}/slow?s=0`)).json().pid as number;
    expect(after).not.toBe(before);
  });

  it('an import error answers 500, with the error in the log', async () => {
    const res = await http(`${gw.url}/broken`);
    expect(res.status).toBe(500);
    await gw.waitForOutput("[ERROR] Runtime.ImportModuleError: Unable to import module 'broken': No module named 'not_installed_anywhere'");
    await gw.waitForOutput(/GET \/broken → GET \/broken · 500 · .* handler failed to load: Runtime\.ImportModuleError/);
  });
});

describe('§5 a Lambda REQUEST authorizer in Python', () => {
  it('decides (403 without the key, 200 with it) and its context reaches the route', async () => {
    expect((await http(`${gw.url}/guarded`, { headers: { 'x-api-key': 'wrong' } })).status).toBe(403);
    const res = await http(`${gw.url}/guarded`, { headers: { 'x-api-key': 'let-me-in' } });
    expect(res.status).toBe(200);
    expect(res.json().event.requestContext.authorizer).toEqual({ lambda: { checkedBy: 'python' } });
  });
});

describe('the log, the context, concurrency, reload', () => {
  it('print() lines are in the log, tagged with the route and the request id (apigw-requestid)', async () => {
    const res = await http(`${gw.url}/print`);
    expect(res.text).toBe('printed');
    await gw.waitForOutput(`[GET /print ${res.headers['apigw-requestid'] as string}] hello from python /print`);
  });

  it('context.get_remaining_time_in_millis() counts down from the route\'s timeout', async () => {
    const res = (await http(`${gw.url}/remaining`)).json();
    expect(res.remaining).toBeGreaterThan(500);
    expect(res.remaining).toBeLessThanOrEqual(2_000);
    expect(res.function).toBe('py-app-remaining');
  });

  it('two slow requests overlap (two processes)', async () => {
    await http(`${gw.url}/slow?s=0`);
    const started = performance.now();
    const [a, b] = await Promise.all([http(`${gw.url}/slow?s=1`), http(`${gw.url}/slow?s=1`)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.json().pid).not.toBe(b.json().pid);
    expect(performance.now() - started).toBeLessThan(1_900);
  });

  it('an edit of a .py file the handler imports reloads the function', async () => {
    expect((await http(`${gw.url}/version`)).text).toBe('v1');
    editFile(project.path('py/helper.py'), (t) => t.replace('v1', 'v2'));
    await eventually(async () => (await http(`${gw.url}/version`)).text, 'v2');
    await gw.waitForOutput(/reloaded py[\\/]helper\.py in \d+ ms/);
  });
});

describe('localgw check and interpreters', () => {
  it('check imports Python handlers: an import error with file and line', () => {
    const res = runCli(['check'], { cwd: project.dir });
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain(`Runtime.ImportModuleError: Unable to import module 'broken': No module named 'not_installed_anywhere' (at ${join(project.dir, 'py', 'broken.py')}:2)`);
  });

  it('a .venv beside the handler is used: its packages import', async () => {
    const venv = tempProject({
      'localgw.config.json': { routes: { 'GET /v': { handler: 'fn/app.handler', runtime: 'python3.12' } } },
      'fn/app.py': 'import venv_only_module, sys\n\ndef handler(event, context):\n    return {"value": venv_only_module.VALUE, "prefix": sys.prefix}\n',
    });
    try {
      const made = spawnSync('python3', ['-m', 'venv', '--without-pip', join(venv.dir, 'fn', '.venv')], { encoding: 'utf8', timeout: 60_000 });
      expect(made.status, made.stderr).toBe(0);
      const version = spawnSync(join(venv.dir, 'fn', '.venv', 'bin', 'python'), ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).stdout.trim();
      const site = join(venv.dir, 'fn', '.venv', 'lib', `python${version}`, 'site-packages');
      mkdirSync(site, { recursive: true });
      writeFileSync(join(site, 'venv_only_module.py'), 'VALUE = "from the venv"\n');
      const cli = await startCli(['--no-watch'], { cwd: venv.dir });
      try {
        const res = (await http(`${cli.url}/v`)).json();
        expect(res).toEqual({ value: 'from the venv', prefix: join(venv.dir, 'fn', '.venv') });
      } finally {
        await cli.stop();
      }
    } finally {
      venv.cleanup();
    }
  });

  it('no Python to be found: 500, and the log says what to do', async () => {
    const missing = tempProject({
      'localgw.config.json': { routes: { 'GET /p': { handler: 'app.handler', runtime: 'python3.13' } } },
      'app.py': 'def handler(event, context):\n    return 1\n',
    });
    try {
      const cli = await startCli(['--no-watch'], { cwd: missing.dir, env: { LOCALGW_PYTHON: join(missing.dir, 'no-such-python') } });
      try {
        expect((await http(`${cli.url}/p`)).status).toBe(500);
        await cli.waitForOutput(`cannot run python3.13 functions: ${join(missing.dir, 'no-such-python')} (from LOCALGW_PYTHON) was not found; install Python 3, or set LOCALGW_PYTHON to the interpreter to use`);
      } finally {
        await cli.stop();
      }
    } finally {
      missing.cleanup();
    }
  });
});

describe('a SAM project as `sam init` makes it (Python hello world behind an HTTP API), with no config of localgw\'s', () => {
  it('localgw start serves it; its route shows the runtime', async () => {
    const sam = tempProject({}, 'e2e/fixtures/formats/sam-python');
    try {
      const cli = await startCli(['--no-watch'], { cwd: sam.dir });
      try {
        expect(cli.output()).toMatch(/GET \/hello\s+→ hello_world\/app\.lambda_handler \(python3\.13\)\s+template\.yaml:\d+/);
        const res = await http(`${cli.url}/hello`);
        expect([res.status, res.json()]).toEqual([200, { message: 'hello world' }]);
      } finally {
        await cli.stop();
      }
    } finally {
      sam.cleanup();
    }
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
