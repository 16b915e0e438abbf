/**
 * Claims as API Gateway puts them in `requestContext.authorizer.jwt.claims` (§3.4, measured on
 * live HTTP APIs): every value is a string. Strings stay as they are; numbers and booleans are
 * stringified (`"exp": "1787996002"`, `"email_verified": "true"`); arrays render as `[a b c]`;
 * null-valued claims are omitted; nested objects fall back to JSON text.
 *
 * Inside arrays ([INF]): elements follow the same rules, nested arrays nest the bracket form,
 * objects and `null` use JSON text.
 *
 * @example toEventClaims({ sub: 'u1', exp: 1787996002, 'cognito:groups': ['admin', 'ops'] })
 * // → { sub: 'u1', exp: '1787996002', 'cognito:groups': '[admin ops]' }
 */
export function toEventClaims(payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    claims[name] = renderClaimValue(value);
  }
  return claims;
}

function renderClaimValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      if (Array.isArray(value)) return `[${value.map(renderClaimValue).join(' ')}]`;
      return JSON.stringify(value) ?? String(value);
  }
}
