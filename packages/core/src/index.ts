// @localgw/core: API Gateway HTTP API rules as pure functions. No I/O; time and randomness are
// passed in. Values first, then types.

// Config: one schema → types, validation, JSON Schema
export { configSchema, STAGE_NAME } from './config/schema.js';
export { defineConfig } from './config/define-config.js';
export { resolveConfig, DEFAULT_STAGE, DEFAULT_IDENTITY_SOURCE, DEFAULT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from './config/resolve-config.js';
export { nameFunctions, MAX_FUNCTION_NAME_LENGTH } from './config/function-names.js';
export { configJsonSchema } from './config/json-schema.js';
export { formatIssue, formatPath } from './config/issues.js';
export { didYouMean } from './config/did-you-mean.js';
export { compileGateway } from './compile-gateway.js';

// Routing (§1)
export { parseRouteKey, compileRoutes, stripStage, decodePercentTwice, decodeRequestPath, invalidPathReason, pathBeforeDecodedQuery, ROUTE_METHODS } from './routing/index.js';

// CORS (§2)
export { validateCors, compileCors, isPreflight, preflightResponse, nonPreflightOptionsResponse, checkPreflight, applyCors } from './cors/index.js';

// Payload formats (§4)
export { PAYLOAD_FORMATS, toEventClaims, encodeBase64, decodeBase64, isTextContentType, encodeEventInput, encodeWireContext, encodeRequestBody } from './payload/index.js';

// HTTP
export { getFirstHeader, getHeader } from './http/gateway-request.js';
export { parseHost } from './http/host.js';
export { GATEWAY_RESPONSES, gatewayResponse, isNoBodyStatus, setRequestId } from './http/gateway-responses.js';
export { formatRequestId, REQUEST_ID_BYTES } from './http/request-id.js';

export type {
  LocalgwConfig,
  RouteConfig,
  LambdaRouteConfig,
  HttpRouteConfig,
  JwtAuthorizerConfigInput,
  CorsConfigInput,
  HandlerFunction,
} from './config/schema.js';
export type {
  ResolvedConfig,
  ResolvedRoute,
  ResolvedJwtAuthorizer,
  LambdaIntegration,
  HttpIntegration,
  ResolveResult,
} from './config/resolve-config.js';
export type { ConfigIssue } from './config/issues.js';
export type { FunctionSpec } from './config/function-names.js';
export type { GatewayModel, CompiledRoute } from './compile-gateway.js';
export type { RouteKey, Segment, Matcher, RouteMatch } from './routing/index.js';
export type { CorsConfig, CompiledCors, CorsRequest, PreflightCheck } from './cors/index.js';
export type { EventInput, IntegrationEventV1, IntegrationEventV2, PayloadFormatVersion, ResultOutcome, WireContext, WireEvent } from './payload/index.js';
export type { GatewayRequest } from './http/gateway-request.js';
export type { RequestHost } from './http/host.js';
export type { GatewayResponse, GatewayResponseKey } from './http/gateway-responses.js';
