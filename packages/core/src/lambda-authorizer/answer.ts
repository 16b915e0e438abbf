import { parsePolicyDocument, type PolicyDocument } from './policy.js';

/** A Lambda authorizer's context (§5.3): any JSON values; `null` when it returned none. */
export type AuthorizerContext = Readonly<Record<string, unknown>> | null;

/** What a Lambda authorizer answered, checked (§5.3). */
export type AuthorizerAnswer =
  | { readonly kind: 'simple'; readonly authorized: boolean; readonly context: AuthorizerContext }
  | { readonly kind: 'policy'; readonly principalId: string | undefined; readonly policy: PolicyDocument; readonly context: AuthorizerContext }
  | { readonly kind: 'malformed'; readonly reason: string };

export interface AnswerFormat {
  readonly payloadFormatVersion: '1.0' | '2.0';
  /** `enableSimpleResponses` (2.0 only): `{ isAuthorized, context }` instead of an IAM policy. */
  readonly simpleResponses: boolean;
}

/**
 * Reads the authorizer's output (the JSON text its handler returned). Simple responses need a
 * boolean `isAuthorized`; otherwise an IAM policy is expected (`principalId`, `policyDocument`).
 * Anything API Gateway cannot use is `malformed`, which it answers with 500 (§5.3); the reason
 * says what was wrong, for the request log line.
 */
export function interpretAuthorizerAnswer(payload: string, format: AnswerFormat): AuthorizerAnswer {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { kind: 'malformed', reason: `the authorizer returned text that is not JSON: ${preview(payload)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'malformed', reason: `the authorizer returned ${preview(payload)}, not an object` };
  }
  const answer = value as Record<string, unknown>;
  const context = checkContext(answer['context'], format);
  if (typeof context === 'string') return { kind: 'malformed', reason: context };
  if (format.simpleResponses) {
    const authorized = answer['isAuthorized'];
    if (typeof authorized !== 'boolean') {
      return {
        kind: 'malformed',
        reason: `simple responses are enabled, so the authorizer must return { "isAuthorized": true | false }; "isAuthorized" was ${describe(authorized)}`,
      };
    }
    return { kind: 'simple', authorized, context };
  }
  if (answer['policyDocument'] === undefined) {
    const hint = 'isAuthorized' in answer ? ' (it returned "isAuthorized": enable simple responses with "enableSimpleResponses": true, payload 2.0)' : '';
    return { kind: 'malformed', reason: `the authorizer's answer has no "policyDocument"${hint}` };
  }
  const principalId = answer['principalId'];
  if (principalId !== undefined && typeof principalId !== 'string') {
    return { kind: 'malformed', reason: `"principalId" must be a string, was ${describe(principalId)}` };
  }
  const policy = parsePolicyDocument(answer['policyDocument']);
  if (!policy.ok) return { kind: 'malformed', reason: policy.reason };
  return { kind: 'policy', principalId, policy: policy.policy, context };
}

function checkContext(value: unknown, format: AnswerFormat): AuthorizerContext | string {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return `"context" must be an object, was ${describe(value)}`;
  // §5.3: "claims" is reserved in 1.0, where the context is flattened into requestContext.authorizer.
  if (format.payloadFormatVersion === '1.0' && Object.hasOwn(value, 'claims')) {
    return '"claims" is a reserved name and cannot be a context key with payload format 1.0';
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  return value === undefined ? 'missing' : preview(JSON.stringify(value) ?? String(value));
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
