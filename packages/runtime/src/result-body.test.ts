// A large body sent as bytes must change nothing a client sees (issue 17, "no behaviour
// change"): the response mapped from the split result is the one mapped from the whole result,
// for both payload formats; and the worker really sends it that way, only when asked.
import { PAYLOAD_FORMATS } from '@localgw/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAMBDA_MAX_RESPONSE_BYTES } from './call-handler.js';
import { BYTES_BODY_MIN_LENGTH, isJsonSafeBase64, splitResultBody } from './result-body.js';
import { createTestRuntime, useFixtureDir } from './test-support/fixtures.js';

const interpretResultV2 = PAYLOAD_FORMATS['2.0'].interpretResult;
const interpretResultV1 = PAYLOAD_FORMATS['1.0'].interpretResult;
type Response = ReturnType<typeof interpretResultV2>['response'];

/** What the client gets: status, headers and the body's bytes. */
function wire(response: Response): { statusCode: number; headers: unknown; body: string } {
  const { body } = response;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body instanceof Uint8Array ? Buffer.from(body) : Buffer.from(body.head);
  return { statusCode: response.statusCode, headers: response.headers, body: bytes.toString('hex') };
}

const bigText = fc.string({ unit: 'binary', minLength: BYTES_BODY_MIN_LENGTH, maxLength: BYTES_BODY_MIN_LENGTH + 64 });
const base64Text = fc.uint8Array({ minLength: 12_300, maxLength: 12_500 }).map((bytes) => Buffer.from(bytes).toString('base64'));

describe('a large body as bytes: the same response as the whole result (§4.4, §4.5)', () => {
  it('for any result of text or base64 body, headers, cookies and multiValueHeaders (property)', () => {
    const result = fc.record(
      {
        statusCode: fc.oneof(fc.constantFrom(200, 201, 404, 500), fc.integer({ min: 0, max: 700 })),
        headers: fc.dictionary(fc.constantFrom('content-type', 'x-a', 'X-B', 'set-cookie'), fc.oneof(fc.string(), fc.integer())),
        cookies: fc.array(fc.constantFrom('a=1', 'b=2; Path=/')),
        multiValueHeaders: fc.dictionary(fc.constantFrom('x-a', 'x-m'), fc.array(fc.string({ maxLength: 4 }))),
        isBase64Encoded: fc.constantFrom(true, false, undefined, null),
      },
      { requiredKeys: ['statusCode'] },
    );
    fc.assert(
      fc.property(result, fc.oneof(bigText, base64Text), (fields, body) => {
        const whole = { ...fields, body };
        const split = splitResultBody(whole, LAMBDA_MAX_RESPONSE_BYTES);
        expect(split, 'split').toBeDefined();
        const payload = JSON.stringify(whole);
        for (const interpret of [interpretResultV2, interpretResultV1]) {
          const expected = interpret(payload);
          const actual = interpret(split!.payload, split!.body);
          expect(actual.kind).toBe(expected.kind);
          expect(wire(actual.response)).toEqual(wire(expected.response));
        }
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('decodes lenient base64 (wrapped lines, URL-safe letters, junk) as the gateway would', () => {
    const text = `${Buffer.alloc(20_000, 0xab).toString('base64').replace(/(.{76})/g, '$1\r\n').replace(/\+/g, '-')}*!`;
    const whole = { statusCode: 200, body: text, isBase64Encoded: true };
    const split = splitResultBody(whole, LAMBDA_MAX_RESPONSE_BYTES)!;
    expect(Buffer.from(split.body!).equals(Buffer.from(text, 'base64'))).toBe(true);
    expect(wire(interpretResultV2(split.payload, split.body).response)).toEqual(wire(interpretResultV2(JSON.stringify(whole)).response));
  });

  it.each([
    ['a small body', { statusCode: 200, body: 'x'.repeat(BYTES_BODY_MIN_LENGTH - 1) }],
    ['no statusCode (2.0 sends the whole result as JSON)', { body: 'x'.repeat(BYTES_BODY_MIN_LENGTH) }],
    ['a statusCode that is not a number', { statusCode: '200', body: 'x'.repeat(BYTES_BODY_MIN_LENGTH) }],
    ['isBase64Encoded that is not a boolean (a 500 the gateway must see)', { statusCode: 200, isBase64Encoded: 'yes', body: 'x'.repeat(BYTES_BODY_MIN_LENGTH) }],
    ['a body that is not a string', { statusCode: 200, body: ['x'.repeat(BYTES_BODY_MIN_LENGTH)] }],
    ['a class instance (its toJSON or getters decide)', new (class R { statusCode = 200; body = 'x'.repeat(BYTES_BODY_MIN_LENGTH); })()],
    ['an own toJSON', { statusCode: 200, body: 'x'.repeat(BYTES_BODY_MIN_LENGTH), toJSON: () => ({ statusCode: 204 }) }],
    ['a rest that cannot be serialised (Lambda fails it)', { statusCode: 200, body: 'x'.repeat(BYTES_BODY_MIN_LENGTH), n: 1n }],
  ])('leaves the result whole: %s', (_, result) => {
    expect(splitResultBody(result, LAMBDA_MAX_RESPONSE_BYTES)).toBeUndefined();
  });

  it('leaves a result that could be near the 6 MB quota whole, so its size is counted exactly', () => {
    const text = 'é'.repeat(1_100_000); // 2.2 MB of UTF-8, up to 6.6 MB as JSON by the bound
    expect(splitResultBody({ statusCode: 200, body: text }, LAMBDA_MAX_RESPONSE_BYTES)).toBeUndefined();
    const base64 = Buffer.alloc(4_800_000, 1).toString('base64'); // 6.4 MB: over
    expect(splitResultBody({ statusCode: 200, body: base64, isBase64Encoded: true }, LAMBDA_MAX_RESPONSE_BYTES)).toBeUndefined();
    const fits = Buffer.alloc(3_000_000, 1).toString('base64'); // 4 MB of base64 is counted exactly: it fits
    expect(splitResultBody({ statusCode: 200, body: fits, isBase64Encoded: true }, LAMBDA_MAX_RESPONSE_BYTES)?.body?.byteLength).toBe(3_000_000);
  });
});

const fx = useFixtureDir();
fx.write(
  'bodies.mjs',
  `const bytes = Buffer.alloc(1 << 20); for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
export const download = async () => ({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true });
export const text = async () => ({ statusCode: 200, body: '€'.repeat(50_000) });
export const huge = async () => ({ statusCode: 200, body: Buffer.alloc(4_800_000, 2).toString('base64'), isBase64Encoded: true });
`,
);

describe('InvokeRequest.bodyAsBytes, through a worker', () => {
  it('sends a large base64 body as its decoded bytes, and a large text body as UTF-8', async () => {
    const { invoke } = createTestRuntime();
    const download = await invoke(fx.ref('bodies.download'), { bodyAsBytes: true });
    expect(download.kind).toBe('ok');
    if (download.kind !== 'ok') return;
    expect(download.body?.byteLength).toBe(1 << 20);
    expect(download.body![1001]).toBe((1001 * 7) & 0xff);
    expect(JSON.parse(download.payload)).toEqual({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, isBase64Encoded: true });

    const text = await invoke(fx.ref('bodies.text'), { bodyAsBytes: true });
    expect(text.kind === 'ok' && Buffer.from(text.body!).toString('utf8')).toBe('€'.repeat(50_000));
  });

  it('sends the whole result when not asked (the inspector, authorizers, other callers)', async () => {
    const { invoke } = createTestRuntime();
    const outcome = await invoke(fx.ref('bodies.download'));
    expect(outcome.kind === 'ok' && outcome.body).toBe(undefined);
    expect(outcome.kind === 'ok' && (JSON.parse(outcome.payload) as { body: string }).body.length).toBe(1_398_104);
  });

  it("still fails a result over Lambda's response quota", async () => {
    const { invoke } = createTestRuntime();
    expect(await invoke(fx.ref('bodies.huge'), { bodyAsBytes: true })).toMatchObject({ kind: 'error', errorType: 'Function.ResponseSizeTooLarge' });
  });
});

describe('isJsonSafeBase64: the quota check on lengths instead of a scan (issue 17)', () => {
  const REGEX = /^[A-Za-z0-9+/=_-]*$/;
  const decodedLength = (text: string) => Buffer.from(text, 'base64').length;
  // Canonical encodings, some with one character replaced, cut or added: the cases a test on
  // lengths could get wrong.
  const alphabet = fc.constantFrom(...'ABCxyz019+/-_=', '!', '"', '\\', '\n', ' ', 'é', '\u0001', '\u2028');
  const mutated = fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), alphabet, fc.constantFrom('replace', 'insert', 'delete', 'none'))
    .map(([bytes, at, char, how]) => {
      const text = Buffer.from(bytes).toString('base64');
      const i = at % text.length;
      if (how === 'replace') return text.slice(0, i) + char + text.slice(i + 1);
      if (how === 'insert') return text.slice(0, i) + char + text.slice(i);
      if (how === 'delete') return text.slice(0, i) + text.slice(i + 1);
      return text;
    });
  const anyText = fc.array(alphabet, { maxLength: 24 }).map((chars) => chars.join(''));

  it('agrees with the regular expression on every string (property)', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, anyText), (text) => {
        expect(isJsonSafeBase64(text, decodedLength(text))).toBe(REGEX.test(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('a canonical encoding passes on its lengths alone, whatever its size', () => {
    const big = Buffer.alloc(1 << 20, 7).toString('base64');
    expect(isJsonSafeBase64(big, 1 << 20)).toBe(true);
    expect(isJsonSafeBase64(`${big.slice(0, 1000)}"${big.slice(1001)}`, decodedLength(`${big.slice(0, 1000)}"${big.slice(1001)}`))).toBe(false);
  });
});
