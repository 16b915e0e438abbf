import {
  applyCors,
  checkPreflight,
  decodePath,
  gatewayResponse,
  getHeader,
  isPreflight,
  preflightResponse,
  stripStage,
  type GatewayRequest,
  type GatewayResponse,
  type EventInput,
} from '@localgw/core';
import type { Runtime } from '@localgw/runtime';
import type { Generation } from '../generation.js';
import { hostInfo, invokeLambda } from '../integrations/lambda.js';
import type { Logger, RequestLogEntry } from '../log.js';

// The HTTP proxy integration (and undici, which it brings) loads with the first proxy route
// called: a gateway of Lambda routes never pays its memory.
let httpProxy: Promise<typeof import('../integrations/http-proxy.js')> | undefined;
const loadHttpProxy = () => (httpProxy ??= import('../integrations/http-proxy.js'));

export interface PipelineDeps {
  runtime: Runtime;
  logger: Logger;
}

export interface PipelineResult {
  response: GatewayResponse;
  log: RequestLogEntry;
}

/**
 * The request pipeline of DESIGN.md, top to bottom: stage → route → CORS preflight →
 * authorizer → integration → CORS headers → apigw-requestid. Each step is a small function;
 * this one only composes them, in one function so that a request costs one promise here.
 */
export async function handleRequest(generation: Generation, deps: PipelineDeps, request: GatewayRequest): Promise<PipelineResult> {
  const started = performance.now();
  const { model } = generation;
  const log: RequestLogEntry = {
    method: request.method,
    path: request.rawQueryString ? `${request.rawPath}?${request.rawQueryString}` : request.rawPath,
    routeKey: undefined,
    statusCode: 0,
    durationMs: 0,
    requestId: request.requestId,
  };
  const origin = model.cors ? getHeader(request.rawHeaders, 'origin') : undefined;
  const requestMethod = model.cors ? getHeader(request.rawHeaders, 'access-control-request-method') : undefined;
  const finish = (response: GatewayResponse, corsApplies = true): PipelineResult => {
    // The automatic preflight answer already carries exactly the CORS headers it should.
    if (model.cors && corsApplies) {
      applyCors(model.cors, { method: request.method, origin, requestMethod, requestHeaders: getHeader(request.rawHeaders, 'access-control-request-headers') }, response);
    }
    response.headers.push(['apigw-requestid', request.requestId]);
    log.statusCode = response.statusCode;
    log.durationMs = performance.now() - started;
    return { response, log };
  };

  // §0.1: limits are checked before anything else.
  if (request.bodyTooLarge) {
    log.note = 'body over 10 MB';
    return finish(gatewayResponse('REQUEST_TOO_LARGE'));
  }
  // §1.2: routes match the path without the stage; a path outside the stage is 404, before
  // any route or CORS preflight logic (stage selection comes first, §0.1).
  const path = stripStage(model.stage, request.rawPath);
  if (path === undefined) return finish(gatewayResponse('NOT_FOUND'));
  const match = model.matcher.match(request.method, path);
  if (!match) {
    // §2.3 / §1.7: the gateway answers a preflight itself only when no route matched it.
    if (model.cors && origin !== undefined && isPreflight(request.method, origin, requestMethod)) {
      const requestHeaders = getHeader(request.rawHeaders, 'access-control-request-headers');
      const check = checkPreflight(model.cors, origin, requestMethod!, requestHeaders);
      // A refused preflight is a silent CORS failure in the browser: say why in the log.
      if (!check.ok) log.note = `CORS preflight refused: ${check.reason}`;
      return finish(preflightResponse(model.cors, origin, requestMethod!, requestHeaders), false);
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

  const decodedPath = decodePath(request.rawPath);
  let authorizer: EventInput['authorizer'];
  if (route.authorizer !== undefined) {
    const gate = generation.authorizers.get(route.authorizer)!;
    if (gate.kind === 'jwt') {
      // A token seen before is decided at once: no promise to wait for.
      const pending = gate.jwt.authorize(request, route.authorizationScopes);
      const result = pending instanceof Promise ? await pending : pending;
      if (result.kind === 'deny') {
        log.auth = `jwt ${route.authorizer} ✗ ${result.reason}`;
        return finish(gatewayResponse(result.statusCode === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', [['www-authenticate', result.wwwAuthenticate]]));
      }
      log.auth = `jwt ${route.authorizer} ✓${result.rawClaims.sub !== undefined ? ` sub=${String(result.rawClaims.sub)}` : ''}`;
      authorizer = { jwt: { claims: result.claims, scopes: result.scopes } };
    } else {
      const { api, forwarded } = hostInfo(getHeader(request.rawHeaders, 'host') ?? 'localhost', generation.apiId);
      const pending = gate.authorize(
        {
          request,
          routeKey: route.routeKey,
          routePath: route.routePath,
          pathParameters: match.pathParameters,
          decodedPath,
          pathWithoutStage: decodePath(path),
          stage: model.stage,
          stageVariables: model.config.stageVariables,
          api,
          forwarded,
        },
        deps.runtime,
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

  if (route.integration.type === 'http') {
    const { invokeHttpProxy } = await loadHttpProxy();
    const outcome = await invokeHttpProxy(route.integration, match, request, path);
    if (outcome.note) log.note = outcome.note;
    return finish(outcome.response);
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
    request,
    pathParameters: match.pathParameters,
    decodedPath,
    stage: model.stage,
    stageVariables: model.config.stageVariables,
    authorizer,
    apiId: generation.apiId,
  });
  if (outcome.note) log.note = outcome.note;
  return finish(outcome.response);
}
