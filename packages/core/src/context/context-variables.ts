import { getHeader, type GatewayRequest } from '../http/gateway-request.js';
import { formatRequestTime } from '../payload/request-time.js';

/**
 * What `$context.NAME` can read at request time (aws-behavior.md §7.3): the request, its route
 * and stage, the API's identity, and, once an authorizer ran, what it produced. Identity
 * sources read it before the authorizer runs (§5.2), parameter mappings after it (§6.2).
 */
export interface ContextFacts {
  readonly request: GatewayRequest;
  /** The matched route key, `"GET /items/{id}"` or `"$default"`. */
  readonly routeKey: string;
  readonly stage: string;
  /** Percent-decoded path with the named-stage prefix: `$context.path` is `/{stage}/root/child` (§7.3). */
  readonly decodedPath: string;
  readonly api: { readonly apiId: string; readonly accountId: string; readonly domainName: string; readonly domainPrefix: string };
  readonly authorizer?: ContextAuthorizer;
}

/** The authorizer's part of `$context` (§7.3: `authorizer.claims.<p>`, `authorizer.principalId`, `authorizer.<key>`, `authorizer.error`). */
export interface ContextAuthorizer {
  /** A JWT authorizer's claims, already stringified as the event has them (§3.4). */
  readonly claims?: Readonly<Record<string, string>>;
  /** A Lambda authorizer's `context` (§5.5). */
  readonly lambda?: Readonly<Record<string, unknown>> | null;
  readonly principalId?: string;
  readonly error?: string;
}

/** Reads one `$context` variable; `undefined` when it has no value for this request. */
export type ContextVariable = (facts: ContextFacts) => string | undefined;

// The variables of §7.3 a local request can answer. The identity fields that only IAM, Cognito
// or mTLS fill are known names without a value here, so configs that mention them still load.
const FIXED: Record<string, ContextVariable> = {
  accountId: (f) => f.api.accountId,
  apiId: (f) => f.api.apiId,
  domainName: (f) => f.api.domainName,
  domainPrefix: (f) => f.api.domainPrefix,
  extendedRequestId: (f) => f.request.requestId,
  httpMethod: (f) => f.request.method,
  'identity.sourceIp': (f) => f.request.sourceIp,
  'identity.userAgent': (f) => getHeader(f.request.rawHeaders, 'user-agent') ?? '',
  path: (f) => f.decodedPath,
  protocol: () => 'HTTP/1.1',
  requestId: (f) => f.request.requestId,
  requestTime: (f) => formatRequestTime(f.request.timeEpoch),
  requestTimeEpoch: (f) => String(f.request.timeEpoch),
  routeKey: (f) => f.routeKey,
  stage: (f) => f.stage,
  'authorizer.principalId': (f) => f.authorizer?.principalId,
  'authorizer.error': (f) => f.authorizer?.error,
};
const WITHOUT_VALUE = [
  'awsEndpointRequestId',
  'awsEndpointRequestId2',
  'customDomain.basePathMatched',
  'identity.accountId',
  'identity.caller',
  'identity.cognitoAuthenticationProvider',
  'identity.cognitoAuthenticationType',
  'identity.cognitoIdentityId',
  'identity.cognitoIdentityPoolId',
  'identity.principalOrgId',
  'identity.user',
  'identity.userArn',
];
for (const name of WITHOUT_VALUE) FIXED[name] = () => undefined;

/** Every fixed `$context` name, for did-you-mean suggestions. */
export const CONTEXT_VARIABLE_NAMES: readonly string[] = Object.keys(FIXED);

// §6.2: "$context.<var>: only . and _ are allowed as special characters".
const VARIABLE_NAME = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_:-]+)*$/;

/**
 * Compiles `NAME` of `$context.NAME` once, at config time, into the function that reads it.
 * `authorizer.claims.<claim>` and `authorizer.<key>` read what the route's authorizer produced.
 * Returns an error message for a name API Gateway does not know.
 */
export function compileContextVariable(name: string): ContextVariable | string {
  if (!VARIABLE_NAME.test(name)) return `"$context.${name}" is not a context variable name (letters, digits, "." and "_")`;
  if (Object.hasOwn(FIXED, name)) return FIXED[name]!;
  if (name.startsWith('authorizer.claims.')) {
    const claim = name.slice('authorizer.claims.'.length);
    return (f) => {
      const claims = f.authorizer?.claims;
      return claims !== undefined && Object.hasOwn(claims, claim) ? claims[claim] : undefined;
    };
  }
  if (name.startsWith('authorizer.') && name !== 'authorizer.claims') {
    const key = name.slice('authorizer.'.length);
    return (f) => {
      const context = f.authorizer?.lambda;
      if (context === undefined || context === null || !Object.hasOwn(context, key)) return undefined;
      return contextValueText(context[key]);
    };
  }
  return `"$context.${name}" is not a context variable API Gateway provides`;
}

/** A Lambda authorizer's context value as text: strings as they are, the rest as JSON. */
export function contextValueText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
