// @localgw/core: API Gateway HTTP API rules as pure functions. No I/O; time and randomness are
// passed in. Values first, then types.

// Config: one schema → types, validation, JSON Schema
export { configSchema, STAGE_NAME, API_ID } from './config/schema.js';
export { defineConfig } from './config/define-config.js';
export { resolveConfig, DEFAULT_STAGE, DEFAULT_IDENTITY_SOURCE, DEFAULT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from './config/resolve-config.js';
export { nameFunctions, MAX_FUNCTION_NAME_LENGTH } from './config/function-names.js';
export { configJsonSchema } from './config/json-schema.js';
export { formatIssue, formatPath } from './config/issues.js';
export { didYouMean } from './config/did-you-mean.js';
export { checkRuntime, runtimeFamily, LAMBDA_RUNTIMES } from './config/runtimes.js';
export { compileGateway } from './compile-gateway.js';

// Routing (§1)
export { parseRouteKey, compileRoutes, stripStage, decodePercentTwice, decodeRequestPath, invalidPathReason, pathBeforeDecodedQuery, ROUTE_METHODS } from './routing/index.js';
export { explainMatch } from './routing/explain.js';

// CORS (§2)
export { validateCors, compileCors, isPreflight, preflightResponse, nonPreflightOptionsResponse, checkPreflight, applyCors } from './cors/index.js';

// Payload formats (§4)
export { PAYLOAD_FORMATS, toEventClaims, encodeBase64, decodeBase64, isTextContentType, encodeEventInput, encodeWireContext, encodeRequestBody } from './payload/index.js';

// Lambda REQUEST authorizers (§5), parameter mapping (§6.2, §6.3), throttling (§7.1), $context (§7.3)
export { parseIdentitySource, readIdentityValues } from './lambda-authorizer/identity-sources.js';
export { interpretAuthorizerAnswer } from './lambda-authorizer/answer.js';
export { evaluatePolicy, parsePolicyDocument, matchesWildcard, INVOKE_ACTION } from './lambda-authorizer/policy.js';
export { routeArn } from './lambda-authorizer/route-arn.js';
export { AuthorizerCache } from './lambda-authorizer/cache.js';
export { buildAuthorizerEventV1, buildAuthorizerEventV2 } from './lambda-authorizer/event.js';
export { compileRequestMapping, compileResponseMapping, applyRequestMapping, applyResponseMapping, isReservedHeader } from './mapping/parameter-mapping.js';
export { TokenBucket } from './throttle/token-bucket.js';
export { compileContextVariable, CONTEXT_VARIABLE_NAMES } from './context/context-variables.js';

// HTTP
export { getFirstHeader, getHeader } from './http/gateway-request.js';
export { parseHost } from './http/host.js';
export { GATEWAY_RESPONSES, gatewayResponse, isNoBodyStatus, isStreamedBody, setRequestId } from './http/gateway-responses.js';
export { formatRequestId, REQUEST_ID_BYTES } from './http/request-id.js';

export type {
  LocalgwConfig,
  RouteConfig,
  LambdaRouteConfig,
  HttpRouteConfig,
  JwtAuthorizerConfigInput,
  RequestAuthorizerConfigInput,
  ThrottleConfigInput,
  CorsConfigInput,
  HandlerFunction,
} from './config/schema.js';
export type {
  ResolvedConfig,
  ResolvedRoute,
  ResolvedJwtAuthorizer,
  ResolvedRequestAuthorizer,
  ResolvedAuthorizer,
  ResolvedFunction,
  ThrottleLimits,
  LambdaIntegration,
  HttpIntegration,
  ResolveResult,
} from './config/resolve-config.js';
export type { ConfigIssue } from './config/issues.js';
export type { FunctionSpec } from './config/function-names.js';
export type { RuntimeCheck, RuntimeFamily } from './config/runtimes.js';
export type { GatewayModel, CompiledRoute } from './compile-gateway.js';
export type { RouteKey, Segment, Matcher, RouteMatch } from './routing/index.js';
export type { RouteExplanation } from './routing/explain.js';
export type { CorsConfig, CompiledCors, CorsRequest, PreflightCheck } from './cors/index.js';
export type { AuthorizerResult, LambdaAuthorizerResult, JwtAuthorizerResult } from './payload/index.js';
export type { EventInput, IntegrationEventV1, IntegrationEventV2, PayloadFormatVersion, ResultOutcome, WireContext, WireEvent } from './payload/index.js';
export type { GatewayRequest } from './http/gateway-request.js';
export type { IdentitySource, IdentityFacts, IdentityValues } from './lambda-authorizer/identity-sources.js';
export type { AuthorizerAnswer, AuthorizerContext, AnswerFormat } from './lambda-authorizer/answer.js';
export type { PolicyDocument, PolicyVerdict } from './lambda-authorizer/policy.js';
export type { AuthorizerEventExtras } from './lambda-authorizer/event.js';
export type { RequestMapping, ResponseMapping, MappingIssue, MappedRequest, MappedResponse } from './mapping/parameter-mapping.js';
export type { RequestValueFacts, ResponseValueFacts } from './mapping/expression.js';
export type { ContextFacts, ContextAuthorizer, ContextVariable } from './context/context-variables.js';
export type { RequestHost } from './http/host.js';
export type { GatewayResponse, GatewayResponseKey, StreamedBody } from './http/gateway-responses.js';
