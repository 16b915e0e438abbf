import {
  gatewayResponse,
  getHeader,
  PAYLOAD_FORMATS,
  type CompiledRoute,
  type EventInput,
  type GatewayRequest,
  type GatewayResponse,
  type HandlerFunction,
  type LambdaIntegration,
} from '@localgw/core';
import type { HandlerRef, Runtime } from '@localgw/runtime';

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
  authorizer: { jwt: { claims: Record<string, string>; scopes: string[] | null } } | undefined;
}

/** Lambda's synchronous invocation payload limit (the API's own limit is 10 MB). */
export const LAMBDA_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * Events go to the handler's worker as JSON text, the cheapest form for an ordinary request.
 * From this body size on they go as an object instead: a structured clone copies a long string
 * as it is, where JSON would escape it here and parse it again in the worker.
 */
const OBJECT_EVENT_MIN_BODY = 16 * 1024;

/** Local stand-ins for the AWS account and API ids that appear in every event. */
export const API_IDENTITY = { apiId: 'localgw', accountId: '123456789012' } as const;

/**
 * AWS_PROXY integration: build the payload-format event (as JSON text, what Lambda receives and
 * the cheapest form to hand to a worker thread), run the handler, map its output
 * (§4). Handler failures become the gateway's own responses: 500 for errors, crashes and
 * garbage, 503 for a timeout (§4.6).
 */
export async function invokeLambda(runtime: Runtime, call: LambdaInvocation): Promise<{ response: GatewayResponse; note?: string }> {
  const format = PAYLOAD_FORMATS[call.integration.payloadFormatVersion];
  const { api, forwarded } = hostInfo(getHeader(call.request.rawHeaders, 'host') ?? 'localhost');
  const input: EventInput = {
    request: call.request,
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
  const bodyLength = call.request.body?.byteLength ?? 0;
  let event: { event: unknown } | { eventJson: string };
  if (bodyLength < OBJECT_EVENT_MIN_BODY) {
    // Far below Lambda's 6 MB: no size check needed.
    event = { eventJson: format.serializeEvent(input) };
  } else {
    const built = format.buildEvent(input);
    // §4.6: Lambda takes at most 6 MB per invocation; a body that does not fit (base64 counts)
    // never reaches the function. UTF-8 takes at most 3 bytes per UTF-16 unit: shorter strings
    // cannot exceed it, so most skip the count.
    const body = built.body;
    const bodyBytes = typeof body === 'string' && body.length > LAMBDA_MAX_PAYLOAD_BYTES / 3 ? Buffer.byteLength(body) : 0;
    if (bodyBytes > LAMBDA_MAX_PAYLOAD_BYTES) {
      return { response: gatewayResponse('REQUEST_TOO_LARGE'), note: `event body of ${bodyBytes} bytes exceeds Lambda's 6 MB payload limit` };
    }
    event = { event: built };
  }
  const outcome = await runtime.invoke({
    functionName: call.route.functionName,
    handler: call.handler,
    ...event,
    requestId: call.request.requestId,
    timeoutMs: call.integration.timeoutMs,
    environment: call.environment,
  });
  switch (outcome.kind) {
    case 'ok': {
      const result = format.interpretResult(outcome.payload);
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

interface HostInfo {
  api: { apiId: string; accountId: string; domainName: string; domainPrefix: string };
  forwarded: { port: string; proto: string };
}

/** Per Host header, computed once: clients send the same one on every request. Read-only. */
const hostInfos = new Map<string, HostInfo>();
const MAX_HOSTS = 64;

function hostInfo(host: string): HostInfo {
  let info = hostInfos.get(host);
  if (info === undefined) {
    const domainName = host.replace(/:\d+$/, '');
    info = {
      api: { ...API_IDENTITY, domainName, domainPrefix: domainName.split('.')[0]! },
      forwarded: { port: /:(\d+)$/.exec(host)?.[1] ?? '80', proto: 'http' },
    };
    if (hostInfos.size >= MAX_HOSTS) hostInfos.clear();
    hostInfos.set(host, info);
  }
  return info;
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
