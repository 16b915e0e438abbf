/**
 * Turns a verified JWT payload into the claims map of the integration event (§3.4, §8 item 4).
 * AWS stringifies every claim, measured on a live HTTP API:
 *
 * - strings stay as they are;
 * - numbers and booleans become their text (`"exp": "1787996002"`, `"email_verified": "true"`);
 * - arrays render as `[a b c]`, space-separated in brackets, not JSON
 *   (`"cognito:groups": "[admin poweruser]"`);
 * - claims whose value is `null` are left out;
 * - objects fall back to JSON text.
 *
 * Inside an array the same rules apply to each element, with `null` written `null` [INF].
 *
 * @example toEventClaims({ sub: 'u1', exp: 1787996002, groups: ['admin', 'poweruser'] })
 * // { sub: 'u1', exp: '1787996002', groups: '[admin poweruser]' }
 */
export function toEventClaims(payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const claims: Array<[string, string]> = [];
  for (const name of Object.keys(payload)) {
    const value = payload[name];
    if (value === null || value === undefined) continue;
    claims.push([name, renderClaim(value)]);
  }
  // fromEntries, so a claim named `__proto__` stays an ordinary key.
  return Object.fromEntries(claims);
}

function renderClaim(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(renderClaim).join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
