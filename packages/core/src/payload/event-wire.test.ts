import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { buildWireEvent, decodeEventInput, encodeEventInput, encodeWireContext, type WireEvent, type WirePayloadFormat } from './event-wire.js';
import { PAYLOAD_FORMATS } from './index.js';
import { arbitraryEventInput } from './test-support/event-input-arbitrary.js';
import { makeInput, makeRequest, utf8 } from './test-support/event-input.js';

const FORMATS: WirePayloadFormat[] = ['1.0', '2.0'];

/** What Lambda hands a handler: the event as JSON, parsed again. */
const asLambdaDelivers = (event: unknown): unknown => JSON.parse(JSON.stringify(event));

/** The wire form as the worker thread receives it: structured-cloned (a Buffer becomes a Uint8Array). */
const acrossThreads = (wire: WireEvent): WireEvent => structuredClone(wire);

describe.each(FORMATS)('the %s event built from its wire form, in the worker', (format) => {
  const { buildEvent } = PAYLOAD_FORMATS[format];

  it('is the event as Lambda delivers it (JSON, parsed), for random requests', () => {
    fc.assert(
      fc.property(arbitraryEventInput, (input) => {
        const built = buildWireEvent(acrossThreads(encodeEventInput(format, input)));
        // Strict: no `undefined` fields, the same prototypes, `__proto__` kept as a key. (Node's
        // check: vitest's compares own `constructor` properties as if they were classes.)
        deepStrictEqual(built, asLambdaDelivers(buildEvent(input)));
      }),
      { numRuns: 2000 },
    );
  });

  it("is fresh data a handler may change: nothing is shared with the gateway's objects or another event", () => {
    // One config's stage variables, the same object in every request's input.
    const stageVariables = { env: 'dev' };
    const input = () => makeInput({ pathParameters: { id: '1' }, stageVariables });
    // A worker receives a route's context once and builds the event of each request from it.
    const context = encodeWireContext(format, input());
    const inWorker = acrossThreads({ ...encodeEventInput(format, input(), context) }).context;
    const build = () => buildWireEvent({ ...acrossThreads(encodeEventInput(format, input(), context)), context: inWorker });
    type Mutable = { stageVariables: Record<string, string>; pathParameters: Record<string, string> };
    const first = build() as Mutable;
    first.stageVariables.env = 'changed';
    first.pathParameters.id = 'changed';
    const second = build() as Mutable;
    expect([second.stageVariables.env, second.pathParameters.id]).toStrictEqual(['dev', '1']);
    expect(stageVariables).toStrictEqual({ env: 'dev' });
  });

  it('is the same built from a context kept from an earlier request of the route', () => {
    fc.assert(
      fc.property(arbitraryEventInput, (input) => {
        const kept = acrossThreads(encodeEventInput(format, input)).context;
        const wire = acrossThreads(encodeEventInput(format, input, encodeWireContext(format, input)));
        deepStrictEqual(buildWireEvent({ ...wire, context: kept }), asLambdaDelivers(buildEvent(input)));
      }),
      { numRuns: 300 },
    );
  });

  it("carries a verified token's claims (one frozen object per token, its JSON written once)", () => {
    const claims = Object.freeze({ sub: 'u1', scope: 'read write' });
    const input = makeInput({ authorizer: { jwt: { claims, scopes: null } } });
    for (let n = 0; n < 2; n++) {
      const event = buildWireEvent(acrossThreads(encodeEventInput(format, input)));
      expect(event).toStrictEqual(asLambdaDelivers(buildEvent(input)));
    }
    const scoped = makeInput({ authorizer: { jwt: { claims, scopes: ['read'] } } });
    expect(buildWireEvent(acrossThreads(encodeEventInput(format, scoped)))).toStrictEqual(asLambdaDelivers(buildEvent(scoped)));
  });

  it('takes the body from beside the text: text types as text, others base64 (§4.2)', () => {
    const request = makeRequest({ method: 'POST', rawHeaders: ['Content-Type', 'application/json'], body: utf8('{"a":"é"}') });
    const event = buildWireEvent(acrossThreads(encodeEventInput(format, makeInput({ request }))));
    expect(event).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false });
    const binary = makeRequest({ method: 'POST', rawHeaders: ['Content-Type', 'image/png'], body: Uint8Array.of(0x89, 0x50) });
    expect(buildWireEvent(acrossThreads(encodeEventInput(format, makeInput({ request: binary }))))).toMatchObject({
      body: 'iVA=',
      isBase64Encoded: true,
    });
  });
});

describe('decodeEventInput', () => {
  it('gives back the input that was encoded, for random requests', () => {
    fc.assert(
      fc.property(arbitraryEventInput, fc.constantFrom(...FORMATS), (input, format) => {
        const decoded = decodeEventInput(encodeEventInput(format, input));
        expect(decoded.format).toBe(format);
        expect(decoded.input).toStrictEqual(input);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('a Lambda authorizer result on the wire', () => {
  it('arrives in the worker as it left', () => {
    const result = { lambda: { user: 'alice', n: 1 }, principalId: 'p' };
    const first = encodeEventInput('2.0', makeInput({ authorizer: result }));
    expect(decodeEventInput(structuredClone(first)).input.authorizer).toEqual(result);
    expect((buildWireEvent(structuredClone(first)) as { requestContext: { authorizer: unknown } }).requestContext.authorizer).toEqual({ lambda: { user: 'alice', n: 1 } });
  });
});
