import {
  applyCors,
  checkPreflight,
  decodeRequestPath,
  gatewayResponse,
  getHeader,
  invalidPathReason,
  isPreflight,
  nonPreflightOptionsResponse,
  pathBeforeDecodedQuery,
  preflightResponse,
  setRequestId,
  stripStage,
  type GatewayRequest,
  type GatewayResponse,
  type EventInput,
} from '@localgw/core';
import type { Runtime } from '@localgw/runtime';
import type { Generation } from '../generation.js';
import { invokeLambda } from '../integrations/lambda.js';
import { hostInfo } from './host-info.js';
import type { ServerRequest } from './to-gateway-request.js';
import type { Inspector, RequestTrace } from '../inspector/trace.js';
import { corsDecision, traceResponse, traceRouting } from '../inspector/record.js';
import { contextAuthorizer, mapRequest, mapResponse } from './parameter-mapping.js';
import type { Logger, RequestLogEntry } from '../log.js';
import { logValue } from '../log-text.js';

// The HTTP proxy integration (and undici, which it brings) loads with the first proxy route
// called: a gateway of Lambda routes never pays its memory.
let httpProxy: Promise<typeof import('../integrations/http-proxy.js')> | undefined;
const loadHttpProxy = () => (httpProxy ??= import('../integrations/http-proxy.js'));

export interface PipelineDeps {
  runtime: Runtime;
  logger: Logger;
  /** The request inspector: full traces are recorded only while it is watched. */
  inspector?: Inspector;
}

export interface PipelineResult {
  response: GatewayResponse;
  log: RequestLogEntry;
  /** The request's story, when the inspector was watching. */
  trace?: RequestTrace;
}

/**
 * The request pipeline of DESIGN.md, top to bottom: stage → route → CORS preflight →
 * authorizer → integration → CORS headers → apigw-requestid. Each step is a small function;
 * this one only composes them, in one function so that a request costs one promise here.
 */
export async function handleRequest(generation: Generation, deps: PipelineDeps, request: ServerRequest): Promise<PipelineResult> {
  const started = performance.now();
  const { model } = generation;
  const log: RequestLogEntry = {
    method: request.method,
    path: logPath(request),
    routeKey: undefined,
    statusCode: 0,
    durationMs: 0,
    requestId: request.requestId,
  };
  const origin = model.cors ? getHeader(request.rawHeaders, 'origin') : undefined;
  const requestMethod = model.cors ? getHeader(request.rawHeaders, 'access-control-request-method') : undefined;
  // Undefined unless the inspector is watching: then each step below writes its part.
  const trace = deps.inspector?.begin(request);
  const finish = (response: GatewayResponse, corsApplies = true): PipelineResult => {
    const before = trace ? response.headers.map(([n, v]) => [n, v] as const) : undefined;
    // The automatic preflight answer already carries exactly the CORS headers it should.
    if (model.cors && corsApplies) {
      applyCors(model.cors, { method: request.method, origin, requestMethod, requestHeaders: getHeader(request.rawHeaders, 'access-control-request-headers') }, response);
    }
    setRequestId(response, request.requestId);
    log.statusCode = response.statusCode;
    log.durationMs = performance.now() - started;
    if (trace) {
      traceResponse(trace, response, before!, log.durationMs);
      if (model.cors && corsApplies && trace.cors === undefined) trace.cors = { configured: true, decision: corsDecision(model.cors, origin) };
      return { response, log, trace };
    }
    return { response, log };
  };

  // §0.1: limits are checked before anything else.
  if (request.bodyTooLarge) {
    log.note = 'body over 10 MB';
    return finish(gatewayResponse('REQUEST_TOO_LARGE'));
  }
  // A request needs a Host that is `host[:port]` (RFC 9112 §3.2): its event's domainName.
  const hostHeader = getHeader(request.rawHeaders, 'host');
  // The API's own id (a template's APIs each have one) rides on the Host's event fields.
  const host = hostInfo(hostHeader, generation.apiId);
  if (host === undefined) {
    log.note = hostHeader === undefined ? 'no Host header' : 'the Host header is not host[:port]';
    return finish(gatewayResponse('BAD_REQUEST'));
  }
  // §1.4: a `?` that the first decoding makes ends the path, and a path API Gateway cannot
  // decode (twice) is 400 before routing. The integration sees the path that remains.
  const rawPath = pathBeforeDecodedQuery(request.rawPath);
  const decodedPath = decodeRequestPath(rawPath);
  if (decodedPath === undefined) {
    log.note = invalidPathReason(rawPath);
    return finish(gatewayResponse('BAD_REQUEST'));
  }
  if (rawPath !== request.rawPath) request = { ...request, rawPath };
  // §1.2: routes match the path without the stage; a path outside the stage is 404, before
  // any route or CORS preflight logic (stage selection comes first, §0.1).
  const path = stripStage(model.stage, rawPath);
  if (trace) traceRouting(trace, model, request.method, rawPath, path);
  if (path === undefined) return finish(gatewayResponse('NOT_FOUND'));
  const match = model.matcher.match(request.method, path);
  if (!match) {
    // §2.3 / §1.7: the gateway answers a preflight itself only when no route matched it.
    if (model.cors && origin !== undefined && isPreflight(request.method, origin, requestMethod)) {
      const requestHeaders = getHeader(request.rawHeaders, 'access-control-request-headers');
      const check = checkPreflight(model.cors, origin, requestMethod!, requestHeaders);
      // A refused preflight is a silent CORS failure in the browser: say why in the log.
      if (!check.ok) log.note = `CORS preflight refused: ${check.reason}`;
      if (trace) {
        if (trace.route) trace.route = { ...trace.route, decision: `no route fits OPTIONS ${path || '/'}, so the gateway answers this preflight itself (§1.7, §2.3)` };
        trace.cors = {
          configured: true,
          decision: check.ok
            ? `no route matched this preflight, so the gateway answered it (§2.3): ${origin} may send ${requestMethod}${requestHeaders ? ` with ${requestHeaders}` : ''}`
            : `no route matched this preflight, so the gateway answered it, without CORS headers: ${check.reason} (§2.3)`,
        };
      }
      return finish(preflightResponse(model.cors, origin, requestMethod!, requestHeaders), false);
    }
    // §10: OPTIONS with Origin but no Access-Control-Request-Method is a bare 204, not a 404.
    if (model.cors && origin !== undefined && request.method === 'OPTIONS') {
      if (trace) trace.cors = { configured: true, decision: 'an OPTIONS with Origin but no Access-Control-Request-Method is not a preflight: a bare 204 (§10)' };
      return finish(nonPreflightOptionsResponse(), false);
    }
    return finish(gatewayResponse('NOT_FOUND'));
  }
  const route = match.target;
  log.routeKey = route.routeKey;

  // §7.1: throttling per route, before the authorizer spends anything on the request.
  const throttle = generation.throttles.get(route);
  if (throttle !== undefined && !throttle.take(performance.now())) {
    log.note = `throttled (rate ${throttle.rateLimit}/s, burst ${throttle.burstLimit})`;
    return finish(gatewayResponse('TOO_MANY_REQUESTS'));
  }

  let authorizer: EventInput['authorizer'];
  if (route.authorizer !== undefined) {
    const gate = generation.authorizers.get(route.authorizer)!;
    if (gate.kind === 'jwt') {
      // A token seen before is decided at once: no promise to wait for.
      const pending = gate.jwt.authorize(request, route.authorizationScopes);
      const result = pending instanceof Promise ? await pending : pending;
      if (trace) {
        trace.authorizer =
          result.kind === 'deny'
            ? { kind: 'jwt', name: route.authorizer, allowed: false, statusCode: result.statusCode, reason: result.reason }
            : { kind: 'jwt', name: route.authorizer, allowed: true, claims: result.claims, scopes: result.scopes };
      }
      if (result.kind === 'deny') {
        log.auth = `jwt ${route.authorizer} ✗ ${result.reason}`;
        return finish(gatewayResponse(result.statusCode === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', [['www-authenticate', result.wwwAuthenticate]]));
      }
      log.auth = `jwt ${route.authorizer} ✓${result.rawClaims.sub !== undefined ? ` sub=${logValue(result.rawClaims.sub)}` : ''}`;
      authorizer = { jwt: { claims: result.claims, scopes: result.scopes } };
    } else {
      const pending = gate.authorize(
        {
          request,
          routeKey: route.routeKey,
          routePath: route.routePath,
          pathParameters: match.pathParameters,
          decodedPath,
          pathWithoutStage: decodeRequestPath(path) ?? path,
          stage: model.stage,
          stageVariables: model.config.stageVariables,
          api: host.api,
          forwarded: host.forwarded,
        },
        deps.runtime,
        trace,
      );
      const decision = pending instanceof Promise ? await pending : pending;
      if (decision.kind === 'deny') {
        // §5.2, §5.3, §10: 401 without www-authenticate, 403 on a deny, 500 when the authorizer failed.
        log.auth = `lambda ${route.authorizer} ✗ ${decision.statusCode} ${decision.reason}`;
        return finish(gatewayResponse(decision.statusCode === 401 ? 'UNAUTHORIZED' : decision.statusCode === 403 ? 'FORBIDDEN' : 'INTERNAL_SERVER_ERROR'));
      }
      log.auth = `lambda ${route.authorizer} ✓${decision.note ? ` ${decision.note}` : ''}`;
      authorizer = decision.result;
    }
  }

  // The body is read now if the integration needs its bytes: a Lambda's event, or a mapping
  // that may read `$request.body`. An HTTP proxy streams it to the backend instead.
  if (request.unreadBody !== undefined && (route.integration.type === 'lambda' || route.requestMapping !== undefined)) {
    const read = await request.unreadBody.read(route.integration.type === 'lambda');
    if (!read.ok) {
      log.note = 'body over 10 MB';
      return finish(gatewayResponse('REQUEST_TOO_LARGE'));
    }
    request = { ...request, body: read.body, unreadBody: undefined };
  }
  // §6.2/§6.3: the route's parameter mappings, where it has any (most have none: no work).
  const mapping = route.requestMapping !== undefined || route.responseMapping !== undefined;
  const context = mapping
    ? { request, routeKey: route.routeKey, stage: model.stage, decodedPath, api: host.api, authorizer: contextAuthorizer(authorizer) }
    : undefined;
  let mappedPath: string | undefined;
  if (context !== undefined && route.requestMapping !== undefined) {
    const pathWithoutStage = decodeRequestPath(path) ?? path;
    ({ request, path: mappedPath } = mapRequest(route, request, context, { pathParameters: match.pathParameters, pathWithoutStage, stageVariables: model.config.stageVariables }));
  }
  const mapped = (outcome: { response: GatewayResponse; note?: string }) => {
    if (outcome.note) log.note = outcome.note;
    if (context === undefined) return finish(outcome.response);
    const after = mapResponse(route, outcome.response, context, model.config.stageVariables);
    if (after.note) log.note = after.note;
    return finish(after.response);
  };

  if (route.integration.type === 'http') {
    const { invokeHttpProxy } = await loadHttpProxy();
    const proxyStarted = trace ? performance.now() : 0;
    const outcome = await invokeHttpProxy(route.integration, match, request, path, mappedPath);
    if (trace) trace.integration = { kind: 'http', url: outcome.url, statusCode: outcome.response.statusCode, note: outcome.note, durationMs: performance.now() - proxyStarted };
    return mapped(outcome);
  }
  const target = generation.handlers.get(route);
  if (!target?.ok) {
    log.note = target?.message ?? 'handler not resolved';
    return finish(gatewayResponse('INTERNAL_SERVER_ERROR'));
  }
  const outcome = await invokeLambda(deps.runtime, {
    route,
    integration: route.integration,
    handler: target.handler,
    environment: target.environment,
    request: mappedPath === undefined ? request : { ...request, rawPath: encodePath(mappedPath) },
    pathParameters: match.pathParameters,
    decodedPath: mappedPath ?? decodedPath,
    stage: model.stage,
    stageVariables: model.config.stageVariables,
    authorizer,
    host,
    trace,
  });
  return mapped(outcome);
}

/** A decoded path as a request target path: each segment percent-encoded, `/` kept. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The request target as the log line shows it: the path and query string as sent. */
export function logPath(request: GatewayRequest): string {
  return request.rawQueryString ? `${request.rawPath}?${request.rawQueryString}` : request.rawPath;
}
