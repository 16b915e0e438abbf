import type { GatewayRequest } from '../http/gateway-request.js';
import type { ForwardedInfo } from './integration-headers.js';

/** Claims and scopes a JWT authorizer produced for the request (§3.4). */
export interface JwtAuthorizerResult {
  jwt: {
    /** Already stringified with `toEventClaims` (§3.4). */
    claims: Record<string, string>;
    /** `null` when the route has no `authorizationScopes` (§3.4, §8 item 5). */
    scopes: string[] | null;
  };
}

/**
 * What a Lambda REQUEST authorizer produced for the request (§5.5): its `context` (JSON types
 * kept; `null` when it returned none, as AWS sends `"lambda": null`, §10) and, for an IAM policy
 * answer, its `principalId`.
 */
export interface LambdaAuthorizerResult {
  lambda: Readonly<Record<string, unknown>> | null;
  principalId?: string;
}

/** The authorizer part of an integration event: from a JWT or a Lambda authorizer. */
export type AuthorizerResult = JwtAuthorizerResult | LambdaAuthorizerResult;

/** Everything an event builder needs, computed by the pipeline before the integration runs. */
export interface EventInput {
  request: GatewayRequest;
  /** The matched route key exactly: `"GET /items/{id}"` or `"$default"`. */
  routeKey: string;
  /** The route's path template, `"/items/{id}"`; `undefined` for `$default`. */
  routePath: string | undefined;
  /** Already percent-decoded; `undefined` or `{}` when the route has no variables. */
  pathParameters: Record<string, string> | undefined;
  /** Percent-decoded full path **including** a named-stage prefix (§1.2, §1.4). */
  decodedPath: string;
  /** `"$default"` or the stage name. */
  stage: string;
  /** `undefined` or `{}` when the stage has none. */
  stageVariables: Record<string, string> | undefined;
  /** Present only when an authorizer ran for the route. */
  authorizer: AuthorizerResult | undefined;
  api: { apiId: string; accountId: string; domainName: string; domainPrefix: string };
  /**
   * The local connection, for `x-forwarded-port` / `x-forwarded-proto`. When absent those
   * headers are not added (a client-sent value passes through).
   */
  forwarded?: ForwardedInfo;
}

/** `true` when `map` has at least one own key: empty maps are treated as absent (§4.1, §4.3). */
export function hasEntries(map: Record<string, string> | undefined): map is Record<string, string> {
  if (map === undefined) return false;
  for (const key in map) if (Object.hasOwn(map, key)) return true;
  return false;
}
