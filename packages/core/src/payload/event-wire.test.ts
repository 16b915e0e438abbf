import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { buildWireEvent, decodeEventInput, encodeEventInput, type WirePayloadFormat } from './event-wire.js';
import { PAYLOAD_FORMATS } from './index.js';
import { arbitraryEventInput } from './test-support/event-input-arbitrary.js';
import { makeInput, makeRequest, utf8 } from './test-support/event-input.js';

const FORMATS: WirePayloadFormat[] = ['1.0', '2.0'];

/** What Lambda hands a handler: the event as JSON, parsed again. */
const asLambdaDelivers = (event: unknown): unknown => JSON.parse(JSON.stringify(event));

/** The body as a worker thread receives it: a structured clone turns a Buffer into a Uint8Array. */
const cloned = (body: Uint8Array | undefined) => (body === undefined ? undefined : structuredClone(new Uint8Array(body)));

describe.each(FORMATS)('the %s event built from its wire form, in the worker', (format) => {
  const { buildEvent } = PAYLOAD_FORMATS[format];

  it('is the event as Lambda delivers it (JSON, parsed), for random requests', () => {
    fc.assert(
      fc.property(arbitraryEventInput, (input) => {
        const built = buildWireEvent({ text: encodeEventInput(format, input), body: cloned(input.request.body) });
        // Strict: no `undefined` fields, the same prototypes, `__proto__` kept as a key. (Node's
        // check: vitest's compares own `constructor` properties as if they were classes.)
        deepStrictEqual(built, asLambdaDelivers(buildEvent(input)));
      }),
      { numRuns: 2000 },
    );
  });

  it('is fresh data a handler may change: nothing is shared with another event', () => {
    const input = makeInput({
      pathParameters: { id: '1' },
      stageVariables: { env: 'dev' },
    });
    const text = encodeEventInput(format, input);
    type Mutable = { stageVariables: Record<string, string>; pathParameters: Record<string, string> };
    const first = buildWireEvent({ text, body: undefined }) as Mutable;
    first.stageVariables.env = 'changed';
    first.pathParameters.id = 'changed';
    const second = buildWireEvent({ text, body: undefined }) as Mutable;
    expect([second.stageVariables.env, second.pathParameters.id]).toStrictEqual(['dev', '1']);
    expect(input.stageVariables).toStrictEqual({ env: 'dev' });
  });

  it('takes the body from beside the text: text types as text, others base64 (§4.2)', () => {
    const request = makeRequest({ method: 'POST', rawHeaders: ['Content-Type', 'application/json'], body: utf8('{"a":"é"}') });
    const event = buildWireEvent({ text: encodeEventInput(format, makeInput({ request })), body: cloned(request.body) });
    expect(event).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false });
    const binary = makeRequest({ method: 'POST', rawHeaders: ['Content-Type', 'image/png'], body: Uint8Array.of(0x89, 0x50) });
    expect(buildWireEvent({ text: encodeEventInput(format, makeInput({ request: binary })), body: cloned(binary.body) })).toMatchObject({
      body: 'iVA=',
      isBase64Encoded: true,
    });
  });
});

describe('decodeEventInput', () => {
  it('gives back the input that was encoded, for random requests', () => {
    fc.assert(
      fc.property(arbitraryEventInput, fc.constantFrom(...FORMATS), (input, format) => {
        const decoded = decodeEventInput(encodeEventInput(format, input), input.request.body);
        expect(decoded.format).toBe(format);
        expect(decoded.input).toStrictEqual(input);
      }),
      { numRuns: 1000 },
    );
  });

  it('is smaller than the event it stands for', () => {
    const input = makeInput({ request: makeRequest({ rawHeaders: ['Host', 'localhost:3000', 'User-Agent', 'curl/8.2.1', 'Accept', '*/*'] }) });
    expect(encodeEventInput('2.0', input).length).toBeLessThan(JSON.stringify(PAYLOAD_FORMATS['2.0'].buildEvent(input)).length / 2);
  });
});
