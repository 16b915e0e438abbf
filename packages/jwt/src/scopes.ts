/**
 * The token's scopes (§3.2 step 4): the union of `scope` and `scp`. Each may be a
 * space-separated string or an array of strings ([EMU floci]: `scp` is often an array). Order is
 * kept, duplicates dropped.
 */
export function readTokenScopes(payload: Readonly<Record<string, unknown>>): string[] {
  const scopes = new Set<string>();
  for (const claim of [payload['scope'], payload['scp']]) {
    if (typeof claim === 'string') {
      for (const scope of claim.split(/\s+/)) if (scope !== '') scopes.add(scope);
    } else if (Array.isArray(claim)) {
      for (const scope of claim) if (typeof scope === 'string' && scope !== '') scopes.add(scope);
    }
  }
  return [...scopes];
}

/** A route with `authorizationScopes` needs the token to hold **at least one** of them (§3.2). */
export function hasRequiredScope(tokenScopes: readonly string[], routeScopes: readonly string[]): boolean {
  return routeScopes.some((scope) => tokenScopes.includes(scope));
}
