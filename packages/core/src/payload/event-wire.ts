import type { GatewayRequest } from '../http/gateway-request.js';
import type { AuthorizerResult, EventInput } from './event-input.js';
import { buildEventV1 } from './v1/event.js';
import { buildEventV2 } from './v2/event.js';

// The event is built where the handler runs. The gateway's thread is what limits throughput
// (issue 7): it hands over the request's own fields, and the handler's worker thread builds the
// event from them with the same builders an inline handler uses. The handler receives exactly
// what `JSON.parse` of the event would give, as Lambda's runtime does (event-wire.test.ts holds
// the two equal).
//
// Each part travels in the form cheapest for the two threads: the request's fields as a short
// array, which a structured clone copies without the escaping and parsing (and, in the worker,
// the string interning) of JSON; the headers and the body as they are; the authorizer's JSON
// kept per verified token. The worker's copy is its own, so the event shares nothing with the
// gateway's objects (stage variables come from the config).

/** The payload format versions (§4), whose builders this module maps to. */
export type WirePayloadFormat = '1.0' | '2.0';

/**
 * An `EventInput` on its way to a worker thread (`encodeEventInput`). It must cross a
 * structured clone (`postMessage`, `structuredClone`) before `buildWireEvent`: it holds the
 * input's own objects.
 */
export interface WireEvent {
  /**
   * The fields every request of one route from one host shares (`encodeWireContext`). One
   * array can serve them all, so that a worker is sent it once and each request refers to it.
   */
  context: WireContext;
  /** The request's own fields, in `WireFields` order. */
  fields: WireFields;
  /** The request's raw header pairs. */
  headers: readonly string[];
  /** The authorizer's result as JSON text; `undefined` when none ran. */
  authorizer: string | undefined;
  /** The request body, or `undefined`. */
  body: Uint8Array | undefined;
}

/** The order of `WireEvent.context`; `encodeWireContext` writes it, `decodeEventInput` reads it. */
export type WireContext = readonly [
  format: WirePayloadFormat,
  routeKey: string,
  routePath: string | null,
  stage: string,
  apiId: string,
  accountId: string,
  domainName: string,
  domainPrefix: string,
  forwarded: readonly [port: string, proto: string] | null,
  stageVariables: Readonly<Record<string, string>> | null,
];

/** The order of `WireEvent.fields`; the functions below are its only writer and reader. */
export type WireFields = [
  method: string,
  rawPath: string,
  rawQueryString: string,
  sourceIp: string,
  requestId: string,
  timeEpoch: number,
  decodedPath: string,
  pathParameters: Record<string, string> | null,
];

/**
 * The part of `input` that is the same for every request of its route from its host, for the
 * payload format `format`: compute it once and pass it to `encodeEventInput` with each request.
 */
export function encodeWireContext(format: WirePayloadFormat, input: Omit<EventInput, 'request' | 'pathParameters' | 'decodedPath' | 'authorizer'>): WireContext {
  const { api, forwarded } = input;
  return [
    format,
    input.routeKey,
    input.routePath ?? null,
    input.stage,
    api.apiId,
    api.accountId,
    api.domainName,
    api.domainPrefix,
    forwarded === undefined ? null : [forwarded.port, forwarded.proto],
    input.stageVariables ?? null,
  ];
}

/**
 * `input` in the form `decodeEventInput` reads back, for the payload format `format`. `context`
 * must be `encodeWireContext(format, input)`, kept from an earlier request or computed here.
 */
export function encodeEventInput(format: WirePayloadFormat, input: EventInput, context = encodeWireContext(format, input)): WireEvent {
  const { request } = input;
  const fields: WireFields = [
    request.method,
    request.rawPath,
    request.rawQueryString,
    request.sourceIp,
    request.requestId,
    request.timeEpoch,
    input.decodedPath,
    input.pathParameters ?? null,
  ];
  return { context, fields, headers: request.rawHeaders, authorizer: authorizerJson(input.authorizer), body: request.body };
}

/** The `EventInput` that `encodeEventInput` wrote. */
export function decodeEventInput(wire: WireEvent): { format: WirePayloadFormat; input: EventInput } {
  const c = wire.context;
  const t = wire.fields;
  const request: GatewayRequest = {
    method: t[0],
    rawPath: t[1],
    rawQueryString: t[2],
    rawHeaders: wire.headers,
    body: wire.body,
    sourceIp: t[3],
    requestId: t[4],
    timeEpoch: t[5],
  };
  const forwarded = c[8];
  const input: EventInput = {
    request,
    routeKey: c[1],
    routePath: c[2] ?? undefined,
    pathParameters: t[7] ?? undefined,
    decodedPath: t[6],
    stage: c[3],
    // Shared by the requests of a route in this thread: handlers get a copy each, as from JSON.
    stageVariables: c[9] === null ? undefined : { ...c[9] },
    authorizer: wire.authorizer === undefined ? undefined : (JSON.parse(wire.authorizer) as AuthorizerResult),
    api: { apiId: c[4], accountId: c[5], domainName: c[6], domainPrefix: c[7] },
  };
  if (forwarded !== null) input.forwarded = { port: forwarded[0], proto: forwarded[1] };
  return { format: c[0], input };
}

/** The event of `wire`'s payload format, as its handler receives it. */
export function buildWireEvent(wire: WireEvent): unknown {
  const { format, input } = decodeEventInput(wire);
  return format === '1.0' ? buildEventV1(input) : buildEventV2(input);
}

// A verified token's claims are one frozen object, shared by every request carrying that token
// (@localgw/jwt's cache), so the JSON of `{ jwt: { claims, scopes: null } }` is kept per claims
// object; a Lambda authorizer's result is one object per cached answer, kept the same way. Weak
// keys let them go with the token or the answer.
const authorizerTexts = new WeakMap<object, string>();

function authorizerJson(authorizer: AuthorizerResult | undefined): string | undefined {
  if (authorizer === undefined) return undefined;
  if (!('jwt' in authorizer)) {
    let text = authorizerTexts.get(authorizer);
    if (text === undefined) authorizerTexts.set(authorizer, (text = JSON.stringify(authorizer)));
    return text;
  }
  const { claims, scopes } = authorizer.jwt;
  if (scopes !== null || !Object.isFrozen(claims)) return JSON.stringify(authorizer);
  let text = authorizerTexts.get(claims);
  if (text === undefined) {
    text = JSON.stringify(authorizer);
    authorizerTexts.set(claims, text);
  }
  return text;
}
