import { describe, expect, it } from 'vitest';
import { callHandler, LAMBDA_MAX_RESPONSE_BYTES, toOutcome } from './call-handler.js';
import type { Handler, HandlerCall } from './call-handler.js';

const fields = { functionName: 'fn', requestId: 'req', deadline: Date.now() + 60_000, logStreamName: 'stream', region: 'eu-west-1' };
const inWorker = { detectsEmptyEventLoop: true };
const inline = { detectsEmptyEventLoop: false };

const run = async (handler: Handler, options = inline) => toOutcome(await callHandler(handler, { n: 1 }, fields, options).completion);

/** `call` stays pending until the event loop is reported empty, then completes with `payload`. */
async function expectWaitsForEmptyLoop(call: HandlerCall, payload: string): Promise<void> {
  let settled = false;
  void call.completion.then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(settled).toBe(false);
  call.eventLoopEmpty();
  expect(toOutcome(await call.completion)).toEqual({ kind: 'ok', payload });
}

describe('callHandler: completion rules of the Lambda Node.js runtime', () => {
  it('uses the first of callback, context.done/succeed/fail and the returned promise', async () => {
    expect(await run((_e, _c, cb) => { cb(null, 'first'); cb(null, 'second'); })).toEqual({ kind: 'ok', payload: '"first"' });
    expect(await run((_e, c) => { c.succeed('succeed'); c.fail(new Error('ignored')); })).toEqual({ kind: 'ok', payload: '"succeed"' });
    expect(await run(async (_e, c) => { c.done(null, 'done'); return 'returned'; })).toEqual({ kind: 'ok', payload: '"done"' });
  });

  it('builds the context from the fields', async () => {
    const outcome = await run(async (_e, c) => ({ arn: c.invokedFunctionArn, id: c.awsRequestId, remaining: c.getRemainingTimeInMillis() > 59_000 }));
    expect(outcome).toEqual({ kind: 'ok', payload: '{"arn":"arn:aws:lambda:eu-west-1:123456789012:function:fn","id":"req","remaining":true}' });
  });

  it('in a worker, a callback result waits for the empty event loop unless the flag is cleared', async () => {
    await expectWaitsForEmptyLoop(callHandler((_e, _c, cb) => cb(null, 'later'), {}, fields, inWorker), '"later"');

    const eager = callHandler((_e, c, cb) => { c.callbackWaitsForEmptyEventLoop = false; cb(null, 'now'); }, {}, fields, inWorker);
    expect(toOutcome(await eager.completion)).toEqual({ kind: 'ok', payload: '"now"' });
  });

  it('reads the flag when the callback is called, by truthiness, as the runtime does', async () => {
    // Cleared only after the callback: the result still waits for the empty event loop.
    const late = callHandler((_e, c, cb) => { cb(null, 'waits'); c.callbackWaitsForEmptyEventLoop = false; }, {}, fields, inWorker);
    await expectWaitsForEmptyLoop(late, '"waits"');

    // Any falsy value turns waiting off (the runtime tests `!flag`).
    const falsy = callHandler((_e, c, cb) => { (c as { callbackWaitsForEmptyEventLoop: unknown }).callbackWaitsForEmptyEventLoop = 0; cb(null, 'now'); }, {}, fields, inWorker);
    expect(toOutcome(await falsy.completion)).toEqual({ kind: 'ok', payload: '"now"' });
  });

  it('on an empty event loop: null for a synchronous handler, Runtime.NodeJsExit for an async one', async () => {
    const sync = callHandler(() => ({ ignored: true }), {}, fields, inWorker);
    sync.eventLoopEmpty();
    expect(toOutcome(await sync.completion)).toEqual({ kind: 'ok', payload: 'null' });

    const pending = callHandler(async () => new Promise(() => {}), {}, fields, inWorker);
    pending.eventLoopEmpty();
    expect(toOutcome(await pending.completion)).toMatchObject({ kind: 'error', errorType: 'Runtime.NodeJsExit' });
  });

  it('inline, a synchronous handler without a callback parameter completes with null at once', async () => {
    expect(await run(() => ({ statusCode: 200 }))).toEqual({ kind: 'ok', payload: 'null' });
  });
});

describe('toOutcome: serialisation like the Lambda runtime', () => {
  it.each([
    [undefined, 'null'],
    [null, 'null'],
    ['text', '"text"'],
    [{ statusCode: 200, body: 'x' }, '{"statusCode":200,"body":"x"}'],
    [() => 1, 'null'],
  ])('%o → %s', (result, payload) => {
    expect(toOutcome({ ok: true, result })).toEqual({ kind: 'ok', payload });
  });

  it("§4.6 a result over Lambda's 6 MB response quota fails the invocation, naming its size and the limit (issue 13.5)", () => {
    const body = (bytes: number) => ({ statusCode: 200, body: 'x'.repeat(bytes - '{"statusCode":200,"body":""}'.length) });
    expect(toOutcome({ ok: true, result: body(LAMBDA_MAX_RESPONSE_BYTES) })).toMatchObject({ kind: 'ok' });
    expect(toOutcome({ ok: true, result: body(LAMBDA_MAX_RESPONSE_BYTES + 1) })).toEqual({
      kind: 'error',
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size (${LAMBDA_MAX_RESPONSE_BYTES + 1} bytes) exceeded maximum allowed payload size (6291556 bytes).`,
    });
    // Bytes, not characters: 2.1 million "é" are 4.2 MB of UTF-8, 3.2 million are 6.4 MB.
    expect(toOutcome({ ok: true, result: 'é'.repeat(2_100_000) }).kind).toBe('ok');
    expect(toOutcome({ ok: true, result: 'é'.repeat(3_200_000) }).kind).toBe('error');
  });

  it('reports a result JSON cannot represent as Runtime.JSONStringifyError', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const result of [1n, circular, { toJSON: () => { throw new Error('nope'); } }]) {
      expect(toOutcome({ ok: true, result })).toMatchObject({ kind: 'error', errorType: 'Runtime.JSONStringifyError' });
    }
  });

  it.each([
    [new TypeError('bad'), { errorType: 'TypeError', errorMessage: 'bad' }],
    [Object.assign(new Error('named'), { name: 'CustomError' }), { errorType: 'CustomError', errorMessage: 'named' }],
    [{ name: 'Plain', message: 'object' }, { errorType: 'Plain', errorMessage: 'object' }],
    ['a string', { errorType: 'string', errorMessage: 'a string' }],
    [42, { errorType: 'number', errorMessage: '42' }],
  ])('errors: %o', (error, expected) => {
    expect(toOutcome({ ok: false, error })).toMatchObject({ kind: 'error', ...expected });
  });
});
