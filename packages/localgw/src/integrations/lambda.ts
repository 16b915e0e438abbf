import {
  encodeEventInput,
  encodeWireContext,
  encodeRequestBody,
  gatewayResponse,
  getHeader,
  PAYLOAD_FORMATS,
  type CompiledRoute,
  type EventInput,
  type GatewayRequest,
  type GatewayResponse,
  type HandlerFunction,
  type LambdaIntegration,
  type WireContext,
} from '@localgw/core';
import type { HandlerRef, Runtime } from '@localgw/runtime';
import type { RequestTrace } from '../inspector/trace.js';
import type { HostInfo } from '../pipeline/host-info.js';

export interface LambdaInvocation {
  route: CompiledRoute;
  integration: LambdaIntegration;
  handler: HandlerRef | HandlerFunction;
  environment: Record<string, string>;
  request: GatewayRequest;
  pathParameters: Record<string, string> | undefined;
  decodedPath: string;
  stage: string;
  stageVariables: Readonly<Record<string, string>> | undefined;
  authorizer: EventInput['authorizer'];
  /** The request's Host, read by the pipeline (`hostInfo`). */
  host: HostInfo;
  /** The request inspector's record, when it is watching: the event and the raw result go there. */
  trace?: RequestTrace;
}

/** Lambda's synchronous invocation payload limit (the API's own limit is 10 MB). */
export const LAMBDA_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * AWS_PROXY integration: hand the request to the handler's worker, which builds the
 * payload-format event from it (`encodeEventInput`: the gateway's thread does the least work),
 * run the handler, map its output (§4). Handler failures become the gateway's own responses:
 * 500 for errors, crashes and garbage, 503 for a timeout (§4.6).
 */
export async function invokeLambda(runtime: Runtime, call: LambdaInvocation): Promise<{ response: GatewayResponse; note?: string }> {
  const version = call.integration.payloadFormatVersion;
  const { request } = call;
  const tooLarge = eventBodyOverLimit(request);
  if (tooLarge !== undefined) {
    return { response: gatewayResponse('REQUEST_TOO_LARGE'), note: `event body of ${tooLarge} bytes exceeds Lambda's 6 MB payload limit` };
  }
  const { host } = call;
  const { api, forwarded } = host;
  const input: EventInput = {
    request,
    routeKey: call.route.routeKey,
    routePath: call.route.routePath,
    pathParameters: call.pathParameters,
    decodedPath: call.decodedPath,
    stage: call.stage,
    stageVariables: call.stageVariables,
    authorizer: call.authorizer,
    api,
    forwarded,
  };
  const { trace } = call;
  // Built here only for the inspector (the worker builds its own copy, event-wire.test.ts holds the two equal).
  let traced: Extract<RequestTrace['integration'], { kind: 'lambda' }> | undefined;
  if (trace) trace.integration = traced = { kind: 'lambda', functionName: call.integration.functionName, payloadFormatVersion: version, event: PAYLOAD_FORMATS[version].buildEvent(input) };
  const invoked = traced ? performance.now() : 0;
  const outcome = await runtime.invoke({
    functionName: call.integration.functionName,
    handler: call.handler,
    wireEvent: encodeEventInput(version, input, wireContext(call, input, host)),
    requestId: request.requestId,
    timeoutMs: call.integration.timeoutMs,
    environment: call.environment,
    routeKey: call.route.routeKey,
    // A large body comes back as bytes, built in the handler's thread; unless the inspector
    // records this request, which shows the result as the handler returned it.
    bodyAsBytes: traced === undefined,
  });
  if (traced) {
    traced.outcome = outcome.kind;
    traced.durationMs = performance.now() - invoked;
    if (outcome.kind === 'ok') traced.result = outcome.payload.length > 65_536 ? `${outcome.payload.slice(0, 65_536)}…` : outcome.payload;
  }
  const format = PAYLOAD_FORMATS[version];
  switch (outcome.kind) {
    case 'ok': {
      const result = format.interpretResult(outcome.payload, outcome.body);
      return result.kind === 'malformed'
        ? { response: result.response, note: `malformed handler response (${result.reason}): ${truncate(outcome.payload)}` }
        : { response: result.response };
    }
    case 'timeout':
      return { response: gatewayResponse('SERVICE_UNAVAILABLE'), note: `handler timed out after ${outcome.timeoutMs} ms` };
    case 'error':
      return { response: gatewayResponse('INTERNAL_SERVER_ERROR'), note: `${outcome.errorType}: ${outcome.errorMessage}` };
    case 'crash':
      return { response: gatewayResponse('INTERNAL_SERVER_ERROR'), note: `handler crashed: ${outcome.reason}` };
    case 'load-error':
      return { response: gatewayResponse('INTERNAL_SERVER_ERROR'), note: `handler failed to load: ${outcome.message}` };
  }
}

interface KnownContext {
  host: HostInfo;
  stage: string;
  stageVariables: LambdaInvocation['stageVariables'];
  context: WireContext;
}

/**
 * The last wire context of each route (see `encodeWireContext`): one array for all its requests
 * from one host, which a worker is sent once. Routes belong to one config, so stage and stage
 * variables only change with a new route object; they are checked all the same.
 */
const knownContexts = new WeakMap<CompiledRoute, KnownContext>();

function wireContext(call: LambdaInvocation, input: EventInput, host: HostInfo): WireContext {
  const known = knownContexts.get(call.route);
  if (known?.host === host && known.stage === input.stage && known.stageVariables === input.stageVariables) return known.context;
  const context = encodeWireContext(call.integration.payloadFormatVersion, input);
  knownContexts.set(call.route, { host, stage: input.stage, stageVariables: input.stageVariables, context });
  return context;
}

/**
 * §4.6: Lambda takes at most 6 MB per invocation, so a body that does not fit once in the event
 * (base64 counts) never reaches the function. Returns the event body's size in bytes when it is
 * over. As text, a body is at most 3 bytes per byte (U+FFFD for each invalid one), and base64 is
 * 4 per 3: a body of at most 2 MB always fits and is not encoded here.
 */
function eventBodyOverLimit(request: GatewayRequest): number | undefined {
  const { body } = request;
  if (body === undefined || body.byteLength <= LAMBDA_MAX_PAYLOAD_BYTES / 3) return undefined;
  const encoded = encodeRequestBody(body, getHeader(request.rawHeaders, 'content-type')).body ?? '';
  const bytes = Buffer.byteLength(encoded);
  return bytes > LAMBDA_MAX_PAYLOAD_BYTES ? bytes : undefined;
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
