/**
 * The IAM policy a Lambda authorizer may answer with (§5.3), checked and evaluated the way IAM
 * evaluates an identity policy for `execute-api:Invoke` on the route ARN: an explicit `Deny`
 * wins, then an `Allow`, and with neither the request is denied. `*` and `?` are wildcards in
 * `Action` and `Resource` (IAM's own rule); action names compare case-insensitively, ARNs
 * case-sensitively.
 */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  /** Patterns of `Action`, or of `NotAction` when `notAction` is set. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  /** Patterns of `Resource`, or of `NotResource` when `notResource` is set. */
  readonly resources: readonly string[];
  readonly notResource: boolean;
  /** Condition keys are not evaluated locally: such a statement never applies (see evaluatePolicy). */
  readonly hasCondition: boolean;
}

export interface PolicyDocument {
  readonly statements: readonly PolicyStatement[];
}

export type ParsedPolicy = { ok: true; policy: PolicyDocument } | { ok: false; reason: string };

/** The action API Gateway authorizes (§5.3). */
export const INVOKE_ACTION = 'execute-api:Invoke';

/**
 * Checks the `policyDocument` of an authorizer's answer. API Gateway answers 500 when it cannot
 * use the answer (§5.3, "returns an invalid format"); the reason says what was wrong.
 */
export function parsePolicyDocument(value: unknown): ParsedPolicy {
  if (!isObject(value)) return { ok: false, reason: 'policyDocument is not an object' };
  const raw = value['Statement'];
  if (raw === undefined) return { ok: false, reason: 'policyDocument has no "Statement"' };
  const list = Array.isArray(raw) ? raw : [raw];
  const statements: PolicyStatement[] = [];
  for (const [index, item] of list.entries()) {
    const at = Array.isArray(raw) ? `Statement[${index}]` : 'Statement';
    if (!isObject(item)) return { ok: false, reason: `${at} is not an object` };
    const effect = item['Effect'];
    if (effect !== 'Allow' && effect !== 'Deny') return { ok: false, reason: `${at}.Effect is ${JSON.stringify(effect)}, not "Allow" or "Deny"` };
    const action = patterns(item, 'Action', 'NotAction', at);
    if (typeof action === 'string') return { ok: false, reason: action };
    const resource = patterns(item, 'Resource', 'NotResource', at);
    if (typeof resource === 'string') return { ok: false, reason: resource };
    statements.push({
      effect,
      actions: action.values,
      notAction: action.negated,
      resources: resource.values,
      notResource: resource.negated,
      hasCondition: item['Condition'] !== undefined,
    });
  }
  return { ok: true, policy: { statements } };
}

function patterns(item: Record<string, unknown>, key: string, notKey: string, at: string): { values: string[]; negated: boolean } | string {
  const plain = item[key];
  const negated = item[notKey];
  if ((plain === undefined) === (negated === undefined)) return `${at} needs exactly one of "${key}" and "${notKey}"`;
  const value = plain ?? negated;
  const values = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
    return `${at}.${plain === undefined ? notKey : key} must be a string or a non-empty array of strings`;
  }
  return { values: values as string[], negated: plain === undefined };
}

export interface PolicyVerdict {
  readonly allowed: boolean;
  /** Why, for the request log line: the deciding statement, or that none allowed. */
  readonly reason: string;
}

/** Whether `policy` allows `execute-api:Invoke` on `routeArn`. */
export function evaluatePolicy(policy: PolicyDocument, routeArn: string): PolicyVerdict {
  let allowedBy: number | undefined;
  let skippedConditions = 0;
  for (const [index, statement] of policy.statements.entries()) {
    if (!appliesTo(statement, routeArn)) continue;
    if (statement.hasCondition) {
      skippedConditions++;
      continue;
    }
    if (statement.effect === 'Deny') return { allowed: false, reason: `denied by Statement[${index}] for ${routeArn}` };
    allowedBy ??= index;
  }
  if (allowedBy !== undefined) return { allowed: true, reason: `allowed by Statement[${allowedBy}]` };
  const note = skippedConditions > 0 ? ` (${skippedConditions} statement(s) with a Condition are not evaluated locally)` : '';
  return { allowed: false, reason: `no statement allows ${INVOKE_ACTION} on ${routeArn}${note}` };
}

function appliesTo(statement: PolicyStatement, routeArn: string): boolean {
  const actionMatches = statement.actions.some((pattern) => matchesWildcard(pattern.toLowerCase(), INVOKE_ACTION.toLowerCase()));
  const resourceMatches = statement.resources.some((pattern) => matchesWildcard(pattern, routeArn));
  return actionMatches !== statement.notAction && resourceMatches !== statement.notResource;
}

/**
 * IAM's wildcard match: `*` is any run of characters (`/` and `:` included), `?` any one
 * character, everything else literal. Iterative with one backtrack point, so a hostile pattern
 * costs linear-times-stars work, never exponential.
 */
export function matchesWildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === 42 /* * */) {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
