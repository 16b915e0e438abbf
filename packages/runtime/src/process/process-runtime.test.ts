// Functions of other runtimes through `Runtime.invoke`: real python3 processes running localgw's
// runtime interface client, and shell bootstraps, each speaking the Runtime API. Timing limits
// leave a loaded machine seconds of room.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HandlerRef } from '../handler-ref.js';
import { resolveHandlerRef } from '../handler-ref.js';
import { createTestRuntime, payloadOf, processEnded, useFixtureDir } from '../test-support/fixtures.js';

const fx = useFixtureDir('localgw-process-');

fx.write(
  'py/app.py',
  `import json, os, sys, time, logging
started = time.time()
invocations = 0

def handler(event, context):
    global invocations
    invocations += 1
    return {"event": event, "pid": os.getpid(), "invocations": invocations, "request_id": context.aws_request_id,
            "function_name": context.function_name, "remaining": context.get_remaining_time_in_millis(),
            "arn": context.invoked_function_arn, "memory": context.memory_limit_in_mb, "version": context.function_version,
            "log_group": context.log_group_name, "identity": context.identity.cognito_identity_id, "client_context": context.client_context,
            "env": {k: os.environ.get(k) for k in ["AWS_LAMBDA_FUNCTION_NAME", "LAMBDA_TASK_ROOT", "_HANDLER", "AWS_EXECUTION_ENV", "AWS_REGION", "TZ", "TABLE", "_X_AMZN_TRACE_ID"]},
            "cwd": os.getcwd(), "path0": sys.path[0]}

def fails(event, context):
    raise ValueError("boom " + event.get("n", ""))

def prints(event, context):
    print("hello from", event["who"])
    print("to stderr", file=sys.stderr)
    logging.getLogger().warning("a warning")
    return "printed"

def sleeps(event, context):
    time.sleep(event["s"])
    return os.getpid()

def records(event, context):
    with open(event["log"], "a") as log:
        log.write(context.aws_request_id + "\\n")
    time.sleep(event.get("s", 0))
    return {"pid": os.getpid(), "id": context.aws_request_id}

def exits(event, context):
    os._exit(3)

def text(event, context):
    return "plain string"

def raw(event, context):
    return b'{"statusCode": 200, "body": "bytes"}'

def unmarshalable(event, context):
    return {"a": {1, 2}}

def big(event, context):
    return "a" * (6291556)
`,
);
fx.write('py/pkg/__init__.py', '');
fx.write('py/pkg/mod.py', 'from helper import VALUE\n\ndef handler(event, context):\n    return VALUE\n');
fx.write('py/helper.py', 'VALUE = "imported from the task root"\n');
fx.write('py/broken_import.py', 'import json\nimport no_such_module_here\n\ndef handler(event, context):\n    return 1\n');
fx.write('py/broken_syntax.py', 'def handler(event, context)\n    return 1\n');
fx.write('py/top_level_raise.py', 'raise RuntimeError("at import time")\n');

const py = (spec: string): HandlerRef => {
  const resolved = resolveHandlerRef(fx.dir, spec, { runtime: 'python3.12' });
  if (!resolved.ok) throw new Error(resolved.message);
  return resolved.value;
};

describe('Python functions (python3.x) run in python3 processes through the Runtime API', () => {
  it('the event in, the result out; the context and the environment of a Lambda execution environment', async () => {
    const t = createTestRuntime();
    const outcome = await t.invoke(py('py/app.handler'), { event: { a: 1, s: 'é' }, requestId: 'req-ctx', timeoutMs: 10_000, environment: { TABLE: 'items' } });
    const result = payloadOf(outcome) as Record<string, any>;
    expect(result.event).toEqual({ a: 1, s: 'é' });
    expect(result).toMatchObject({
      request_id: 'req-ctx',
      function_name: 'fn',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      memory: '128',
      version: '$LATEST',
      log_group: '/aws/lambda/fn',
      identity: null,
      client_context: null,
      cwd: path.join(fx.dir, 'py'),
      path0: path.join(fx.dir, 'py'),
    });
    expect(result.remaining).toBeGreaterThan(1_000);
    expect(result.remaining).toBeLessThanOrEqual(10_000);
    expect(result.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'fn',
      LAMBDA_TASK_ROOT: path.join(fx.dir, 'py'),
      _HANDLER: 'app.handler',
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
      TZ: ':UTC',
      TABLE: 'items',
    });
    expect(result.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  });

  it('a large event (3 MB, many reads) arrives whole', async () => {
    const t = createTestRuntime();
    const big = 'x'.repeat(3 * 1024 * 1024);
    const result = payloadOf(await t.invoke(py('py/app.handler'), { event: { big } })) as { event: { big: string } };
    expect(result.event.big.length).toBe(big.length);
  });

  it('one warm process per function, reused; its module is imported once', async () => {
    const t = createTestRuntime();
    const first = payloadOf(await t.invoke(py('py/app.handler'))) as { pid: number; invocations: number };
    const second = payloadOf(await t.invoke(py('py/app.handler'))) as { pid: number; invocations: number };
    expect(second.pid).toBe(first.pid);
    expect(second.invocations).toBe(first.invocations + 1);
  });

  it('a module in a package, importing a sibling of the task root', async () => {
    const t = createTestRuntime();
    expect(payloadOf(await t.invoke(py('py/pkg.mod.handler')))).toBe('imported from the task root');
  });

  it('strings, bytes and results JSON cannot hold, as awslambdaric marshals them', async () => {
    const t = createTestRuntime();
    expect(await t.invoke(py('py/app.text'))).toEqual({ kind: 'ok', payload: '"plain string"' });
    expect(await t.invoke(py('py/app.raw'))).toEqual({ kind: 'ok', payload: '{"statusCode": 200, "body": "bytes"}' });
    expect(await t.invoke(py('py/app.unmarshalable'))).toMatchObject({ kind: 'error', errorType: 'Runtime.MarshalError', errorMessage: expect.stringMatching(/^Unable to marshal response: Object of type set is not JSON serializable/) });
  });

  it('a raised exception is the invocation\'s error (type, message, traceback), logged as awslambdaric logs it', async () => {
    const t = createTestRuntime();
    const outcome = await t.invoke(py('py/app.fails'), { event: { n: '7' }, requestId: 'req-fail', routeKey: 'GET /fail' });
    expect(outcome).toMatchObject({ kind: 'error', errorType: 'ValueError', errorMessage: 'boom 7' });
    expect(outcome.kind === 'error' && outcome.stack).toMatch(/File ".*app\.py", line \d+, in fails\n\s+raise ValueError/);
    await expect.poll(() => t.logs.map((l) => l.text)).toEqual(expect.arrayContaining(['[ERROR] ValueError: boom 7', 'Traceback (most recent call last):']));
    const line = t.logs.find((l) => l.text === '[ERROR] ValueError: boom 7')!;
    expect(line).toMatchObject({ functionName: 'fn', requestId: 'req-fail', routeKey: 'GET /fail' });
  });

  it('print() and logging go to the log, tagged with the request id and route', async () => {
    const t = createTestRuntime();
    expect(payloadOf(await t.invoke(py('py/app.prints'), { event: { who: 'python' }, requestId: 'req-print', routeKey: 'GET /print' }))).toBe('printed');
    await expect.poll(() => t.logs.filter((l) => l.requestId === 'req-print').map((l) => [l.level, l.text])).toEqual(
      expect.arrayContaining([
        ['log', 'hello from python'],
        ['error', 'to stderr'],
        ['log', expect.stringMatching(/^\[WARNING\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\treq-print\ta warning$/)],
      ]),
    );
    expect(t.logs.find((l) => l.text === 'hello from python')).toMatchObject({ routeKey: 'GET /print', functionName: 'fn' });
  });

  it('past its timeout: a timeout, the process killed, the next invocation on a new one', async () => {
    const t = createTestRuntime();
    const before = payloadOf(await t.invoke(py('py/app.sleeps'), { event: { s: 0 } })) as number;
    expect(await t.invoke(py('py/app.sleeps'), { event: { s: 30 }, timeoutMs: 1_500 })).toEqual({ kind: 'timeout', timeoutMs: 1_500 });
    await expect.poll(() => processEnded(before), { timeout: 5_000 }).toBe(true);
    const after = payloadOf(await t.invoke(py('py/app.sleeps'), { event: { s: 0 } })) as number;
    expect(after).not.toBe(before);
  });

  it('two slow invocations run at once, in two processes', async () => {
    const t = createTestRuntime();
    await t.invoke(py('py/app.sleeps'), { event: { s: 0 } });
    const started = performance.now();
    const [a, b] = await Promise.all([t.invoke(py('py/app.sleeps'), { event: { s: 1.5 } }), t.invoke(py('py/app.sleeps'), { event: { s: 1.5 } })]);
    expect(payloadOf(a)).not.toBe(payloadOf(b));
    // Back to back would be 3 s and more.
    expect(performance.now() - started).toBeLessThan(2_900);
  });

  it('quick invocations queued behind one that turns out slow run in another process, each exactly once', async () => {
    const t = createTestRuntime();
    const log = path.join(fx.dir, 'ran.log');
    const records = py('py/app.records');
    // Quick invocations teach the pool that this process gets through its work quickly, so it
    // queues on it (prefetched: handed out to the client's waiting GETs) rather than start another.
    for (let i = 0; i < 20; i++) await t.invoke(records, { event: { log } });
    const started = performance.now();
    const slow = t.invoke(records, { event: { log, s: 2 } });
    const quick = Array.from({ length: 4 }, () => t.invoke(records, { event: { log } }));
    const quickResults = (await Promise.all(quick)).map(payloadOf) as Array<{ pid: number; id: string }>;
    // Behind the slow one they would take 2 s; handed back, they run elsewhere.
    expect(performance.now() - started).toBeLessThan(1_500);
    const slowResult = payloadOf(await slow) as { pid: number; id: string };
    for (const r of quickResults) expect(r.pid).not.toBe(slowResult.pid);
    const ran = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(ran).toHaveLength(25);
    expect(new Set(ran).size).toBe(25);
  });

  it('past its timeout with invocations queued behind it: they run elsewhere, each once', async () => {
    const t = createTestRuntime();
    const log = path.join(fx.dir, 'timed-out.log');
    const records = py('py/app.records');
    for (let i = 0; i < 20; i++) await t.invoke(records, { event: { log } });
    // A handler that holds the GIL (time.sleep does not) would keep what was handed to it until
    // its timeout ends the process; either way nothing is lost or run twice.
    const slow = t.invoke(records, { event: { log, s: 30 }, timeoutMs: 1_000 });
    const quick = await Promise.all(Array.from({ length: 4 }, () => t.invoke(records, { event: { log } })));
    expect(quick.map((q) => q.kind)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await slow).toEqual({ kind: 'timeout', timeoutMs: 1_000 });
    const ran = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(ran).toHaveLength(25);
    expect(new Set(ran).size).toBe(25);
  });

  it('a process that exits mid-invocation: a crash, and the next invocation gets a new process', async () => {
    const t = createTestRuntime();
    const outcome = await t.invoke(py('py/app.exits'), { requestId: 'req-exit' });
    expect(outcome).toEqual({ kind: 'crash', reason: 'Runtime.ExitError: the runtime process exited with code 3' });
    expect(payloadOf(await t.invoke(py('py/app.text')))).toBe('plain string');
    expect(t.logs).toContainEqual(expect.objectContaining({ level: 'error', requestId: 'req-exit', text: expect.stringContaining('ended: Runtime.ExitError') }));
  });

  it('a result over Lambda\'s 6 MB quota fails like a Node.js one (Function.ResponseSizeTooLarge)', async () => {
    const t = createTestRuntime();
    expect(await t.invoke(py('py/app.big'))).toEqual({
      kind: 'error',
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size (6291558 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
    // The process survives it and answers the next.
    expect(payloadOf(await t.invoke(py('py/app.text')))).toBe('plain string');
  });

  it('init errors (import, syntax, missing function, a raise at import time) fail the invocation as load errors, with awslambdaric\'s types', async () => {
    const t = createTestRuntime();
    expect(await t.invoke(py('py/broken_import.handler'))).toMatchObject({ kind: 'load-error', message: "Runtime.ImportModuleError: Unable to import module 'broken_import': No module named 'no_such_module_here'" });
    expect(await t.invoke(py('py/broken_syntax.handler'))).toMatchObject({ kind: 'load-error', message: expect.stringMatching(/^Runtime\.UserCodeSyntaxError: Syntax error in module 'broken_syntax': .*\(broken_syntax\.py, line 1\)/) });
    expect(await t.invoke(py('py/app.nope'))).toMatchObject({ kind: 'load-error', message: "Runtime.HandlerNotFound: Handler 'nope' missing on module 'app'" });
    expect(await t.invoke(py('py/top_level_raise.handler'))).toMatchObject({ kind: 'load-error', message: 'RuntimeError: at import time' });
    // The error is in the log, as Lambda's init error.
    expect(t.logs.map((l) => l.text)).toContain("[ERROR] Runtime.ImportModuleError: Unable to import module 'broken_import': No module named 'no_such_module_here'");
  });

  it('verify imports each module: import errors with file and line', async () => {
    const t = createTestRuntime();
    const problems = await t.runtime.verify([py('py/app.handler'), py('py/broken_import.handler'), py('py/top_level_raise.handler')]);
    expect(problems.map((p) => p.message)).toEqual([
      `Runtime.ImportModuleError: Unable to import module 'broken_import': No module named 'no_such_module_here' (at ${path.join(fx.dir, 'py', 'broken_import.py')}:2)`,
      `RuntimeError: at import time (at ${path.join(fx.dir, 'py', 'top_level_raise.py')}:1)`,
    ]);
  });

  it('reload: new processes for later invocations, the one in flight finishes on its own', async () => {
    const t = createTestRuntime();
    const first = payloadOf(await t.invoke(py('py/app.sleeps'), { event: { s: 0 } })) as number;
    const inFlight = t.invoke(py('py/app.sleeps'), { event: { s: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.runtime.reload();
    const after = payloadOf(await t.invoke(py('py/app.sleeps'), { event: { s: 0 } })) as number;
    expect(after).not.toBe(first);
    expect(payloadOf(await inFlight)).toBe(first);
    await expect.poll(() => processEnded(first), { timeout: 5_000 }).toBe(true);
  });

  it('close() stops every process', async () => {
    const t = createTestRuntime();
    const pid = payloadOf(await t.invoke(py('py/app.sleeps'), { event: { s: 0 } })) as number;
    await t.runtime.close();
    expect(processEnded(pid)).toBe(true);
  });
});

describe('resolving a Python handler', () => {
  it('FOLDER/MODULE.FUNCTION: the folder is the task root; a missing module names what it tried and what is there', () => {
    expect(resolveHandlerRef(fx.dir, 'py/pkg.mod.handler', { runtime: 'python3.12' })).toMatchObject({
      ok: true,
      value: { file: path.join(fx.dir, 'py', 'pkg', 'mod.py'), exportName: 'handler', process: { family: 'python', taskRoot: path.join(fx.dir, 'py'), handler: 'pkg.mod.handler' } },
    });
    expect(resolveHandlerRef(fx.dir, 'py/ap.handler', { runtime: 'python3.12' })).toEqual({
      ok: false,
      message: `handler "py/ap.handler": no such module (tried py/ap.py, py/ap/__init__.py in ${fx.dir})`,
      hint: 'did you mean "py/app.handler"?',
    });
    expect(resolveHandlerRef(fx.dir, 'py/app', { runtime: 'python3.12' })).toMatchObject({ ok: false, message: 'handler "py/app" is not of the form FOLDER/MODULE.FUNCTION' });
  });
});

describe('custom runtimes (provided.al2023): an executable bootstrap', () => {
  const shell = fx.write(
    'sh/bootstrap',
    `#!/bin/sh
# A bash bootstrap without curl: HTTP/1.1 over bash's /dev/tcp. Uses [[ ]], which dash lacks:
# a #!/bin/sh bootstrap runs with bash, as on Amazon Linux.
set -euo pipefail
HOST=\${AWS_LAMBDA_RUNTIME_API%:*}; PORT=\${AWS_LAMBDA_RUNTIME_API#*:}
source "$LAMBDA_TASK_ROOT/$(echo "$_HANDLER" | cut -d. -f1).sh"
while true; do
  exec 3<>/dev/tcp/$HOST/$PORT
  printf 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n' "$AWS_LAMBDA_RUNTIME_API" >&3
  ID=''; DEADLINE=''
  while IFS= read -r line <&3; do
    line=\${line%$'\\r'}
    [[ -z "$line" ]] && break
    case "\${line,,}" in
      lambda-runtime-aws-request-id:*) ID=\${line#*: } ;;
      lambda-runtime-deadline-ms:*) DEADLINE=\${line#*: } ;;
    esac
  done
  EVENT=$(cat <&3); exec 3<&-
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT" "$DEADLINE")
  exec 3<>/dev/tcp/$HOST/$PORT
  printf 'POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\\r\\nHost: %s\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n%s' "$ID" "$AWS_LAMBDA_RUNTIME_API" "\${#RESPONSE}" "$RESPONSE" >&3
  cat <&3 >/dev/null; exec 3<&-
done
`,
  );
  fs.chmodSync(shell, 0o755);
  fx.write('sh/function.sh', 'handler () {\n  echo "handling $1" >&2\n  echo "{\\"got\\":$1,\\"deadline\\":\\"$2\\"}"\n}\n');

  const provided = (spec: string, bootstrap?: string): HandlerRef => {
    const resolved = resolveHandlerRef(fx.dir, spec, { runtime: 'provided.al2023', bootstrap });
    if (!resolved.ok) throw new Error(resolved.message);
    return resolved.value;
  };

  it('runs unchanged: _HANDLER, LAMBDA_TASK_ROOT, the deadline; its stderr in the log, tagged', async () => {
    const t = createTestRuntime();
    const deadlineBefore = Date.now();
    const outcome = await t.invoke(provided('sh/function.handler'), { event: { n: 1 }, requestId: 'req-sh', routeKey: 'GET /sh', timeoutMs: 10_000 });
    const result = payloadOf(outcome) as { got: unknown; deadline: string };
    expect(result.got).toEqual({ n: 1 });
    expect(Number(result.deadline)).toBeGreaterThanOrEqual(deadlineBefore + 10_000 - 5);
    await expect.poll(() => t.logs).toContainEqual({ level: 'error', text: 'handling {"n":1}', functionName: 'fn', requestId: 'req-sh', routeKey: 'GET /sh' });
    // Warm: the same process serves the next.
    expect(payloadOf(await t.invoke(provided('sh/function.handler'), { event: { n: 2 } }))).toMatchObject({ got: { n: 2 } });
  });

  it('a missing or non-executable bootstrap is a resolve error with the fix', () => {
    fx.write('nobin/function.sh', '');
    expect(resolveHandlerRef(fx.dir, 'nobin/function.handler', { runtime: 'provided.al2023' })).toMatchObject({ ok: false, message: 'provided.al2023 function "nobin/function.handler": no bootstrap executable at nobin/bootstrap' });
    fx.write('noexec/bootstrap', '#!/bin/sh\n');
    fs.chmodSync(path.join(fx.dir, 'noexec/bootstrap'), 0o644);
    expect(resolveHandlerRef(fx.dir, 'noexec/x', { runtime: 'provided.al2' })).toEqual({ ok: false, message: 'provided.al2 function "noexec/x": noexec/bootstrap is not executable', hint: 'chmod +x noexec/bootstrap' });
    // "bootstrap" names another executable, relative to the config.
    expect(resolveHandlerRef(fx.dir, 'nobin/function.handler', { runtime: 'provided.al2023', bootstrap: 'sh/bootstrap' })).toMatchObject({ ok: true, value: { file: shell, process: { taskRoot: path.join(fx.dir, 'nobin'), handler: 'function.handler' } } });
  });

  it('a bootstrap that exits before asking for an invocation fails it as an init error, output in the log', async () => {
    const file = fx.write('dies/bootstrap', '#!/bin/sh\necho "cannot start: missing config" >&2\nexit 2\n');
    fs.chmodSync(file, 0o755);
    const t = createTestRuntime();
    const outcome = await t.invoke(provided('dies/x'), { requestId: 'req-dies' });
    expect(outcome).toEqual({ kind: 'load-error', message: 'Runtime.ExitError: the runtime process exited with code 2 before asking for an invocation (its output is in the log)' });
    expect(t.logs.map((l) => l.text)).toContain('cannot start: missing config');
  });
});
