import type { GatewayRequest } from '../http/gateway-request.js';
import type { EventInput, JwtAuthorizerResult } from './event-input.js';
import { buildEventV1 } from './v1/event.js';
import { buildEventV2 } from './v2/event.js';

// The event is built where the handler runs. The gateway's thread is what limits throughput
// (issue 7): it hands over the request's own few fields as JSON text (a third of the event's
// size, and written in a third of the time), and the handler's worker thread builds the event
// from them with the same builders an inline handler uses. The handler receives exactly what
// `JSON.parse` of the event would give, as Lambda's runtime does (event-wire.test.ts holds
// the two equal); the body travels beside the text as bytes, cloned once rather than escaped.

/** The payload format versions (§4), whose builders this module maps to. */
export type WirePayloadFormat = '1.0' | '2.0';

/** An `EventInput` on its way to a worker thread: the JSON text plus the body bytes. */
export interface WireEvent {
  /** `encodeEventInput`'s text. */
  text: string;
  /** The request body, or `undefined`; a structured clone copies it as it is. */
  body: Uint8Array | undefined;
}

// The order of the fields in the encoded tuple; the two functions below are the only readers.
type Tuple = [
  format: WirePayloadFormat,
  method: string,
  rawPath: string,
  rawQueryString: string,
  sourceIp: string,
  requestId: string,
  timeEpoch: number,
  routeKey: string,
  routePath: string | null,
  decodedPath: string,
  stage: string,
  apiId: string,
  accountId: string,
  domainName: string,
  domainPrefix: string,
  forwarded: [port: string, proto: string] | null,
  pathParameters: Record<string, string> | null,
  stageVariables: Record<string, string> | null,
  authorizer: JwtAuthorizerResult | null,
  rawHeaders: readonly string[],
];

/** `input` (all but its body) as the JSON text `decodeEventInput` reads back. */
export function encodeEventInput(format: WirePayloadFormat, input: EventInput): string {
  const { request, api, forwarded } = input;
  const tuple: Tuple = [
    format,
    request.method,
    request.rawPath,
    request.rawQueryString,
    request.sourceIp,
    request.requestId,
    request.timeEpoch,
    input.routeKey,
    input.routePath ?? null,
    input.decodedPath,
    input.stage,
    api.apiId,
    api.accountId,
    api.domainName,
    api.domainPrefix,
    forwarded === undefined ? null : [forwarded.port, forwarded.proto],
    input.pathParameters ?? null,
    input.stageVariables ?? null,
    input.authorizer ?? null,
    request.rawHeaders,
  ];
  return JSON.stringify(tuple);
}

/** The `EventInput` that `encodeEventInput` wrote, with `body` as its request body. */
export function decodeEventInput(text: string, body: Uint8Array | undefined): { format: WirePayloadFormat; input: EventInput } {
  const t = JSON.parse(text) as Tuple;
  const request: GatewayRequest = {
    method: t[1],
    rawPath: t[2],
    rawQueryString: t[3],
    rawHeaders: t[19],
    body,
    sourceIp: t[4],
    requestId: t[5],
    timeEpoch: t[6],
  };
  const forwarded = t[15];
  const input: EventInput = {
    request,
    routeKey: t[7],
    routePath: t[8] ?? undefined,
    pathParameters: t[16] ?? undefined,
    decodedPath: t[9],
    stage: t[10],
    stageVariables: t[17] ?? undefined,
    authorizer: t[18] ?? undefined,
    api: { apiId: t[11], accountId: t[12], domainName: t[13], domainPrefix: t[14] },
  };
  if (forwarded !== null) input.forwarded = { port: forwarded[0], proto: forwarded[1] };
  return { format: t[0], input };
}

/** The event of `wire`'s payload format, as its handler receives it. */
export function buildWireEvent(wire: WireEvent): unknown {
  const { format, input } = decodeEventInput(wire.text, wire.body);
  return format === '1.0' ? buildEventV1(input) : buildEventV2(input);
}
