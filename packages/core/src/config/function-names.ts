import type { HandlerFunction } from './schema.js';

/**
 * What makes two Lambda integrations invoke the same function: the same handler (a `FILE.EXPORT`
 * spec, or the same inline function) with the same environment. Routes that share one share a
 * name, a worker pool and its warm workers, as routes pointing at one Lambda function do.
 */
export interface FunctionSpec {
  readonly handler: string | HandlerFunction;
  readonly environment: Readonly<Record<string, string>>;
  /** The first route key that uses it: the base of an inline function's name. */
  readonly routeKey: string;
  /** The name the config gives it (an imported template's FunctionName): kept as is. */
  readonly functionName?: string | undefined;
}

/** Lambda's limit on a function name, and its charset: letters, digits, `-` and `_`. */
export const MAX_FUNCTION_NAME_LENGTH = 64;

/**
 * A unique, stable name for each distinct function of `specs` (given in config order), returned
 * in the same order: what `context.functionName` and `AWS_LAMBDA_FUNCTION_NAME` show.
 *
 * A file handler is named after its spec (`handlers/items.get` → `handlers-items-get`), an
 * inline function after the first route using it (`GET /items/{id}` → `GET-items-id`). When two
 * different functions get the same name (the same handler with two environments, or specs that
 * differ only in punctuation), the first in config order keeps it and the next ones get `-2`,
 * `-3`, …: the same config always gives the same names, and a function added later never
 * renames one that came before it. A name the config sets is used as it is.
 */
export function nameFunctions(specs: readonly FunctionSpec[]): string[] {
  const byIdentity = new Map<string | HandlerFunction, Map<string, string>>();
  // Names the config sets are reserved first, so no derived name takes one of them.
  const taken = new Set<string>(specs.flatMap((spec) => (spec.functionName === undefined ? [] : [spec.functionName])));
  // Thousands of routes share a few handlers: each spec is normalized once.
  const normalized = new Map<string, string>();
  const normalizedSpec = (spec: string) => {
    let out = normalized.get(spec);
    if (out === undefined) normalized.set(spec, (out = normalizeSpec(spec)));
    return out;
  };
  return specs.map((spec) => {
    if (spec.functionName !== undefined) return spec.functionName;
    const handler = typeof spec.handler === 'string' ? normalizedSpec(spec.handler) : spec.handler;
    let byEnvironment = byIdentity.get(handler);
    if (byEnvironment === undefined) byIdentity.set(handler, (byEnvironment = new Map()));
    const environment = environmentKey(spec.environment);
    const known = byEnvironment.get(environment);
    if (known !== undefined) return known;
    const base = lambdaName(typeof handler === 'string' ? handler : spec.routeKey) || 'function';
    let name = base.slice(0, MAX_FUNCTION_NAME_LENGTH);
    for (let n = 2; taken.has(name); n++) {
      const suffix = `-${n}`;
      name = base.slice(0, MAX_FUNCTION_NAME_LENGTH - suffix.length) + suffix;
    }
    taken.add(name);
    byEnvironment.set(environment, name);
    return name;
  });
}

/** `./handlers\\items.get` and `handlers/items.get` name the same file. */
function normalizeSpec(spec: string): string {
  return spec.replaceAll('\\', '/').replace(/^(\.\/)+/, '');
}

/** Runs of characters Lambda does not allow become one `-`; none at either end. */
function lambdaName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
}

function environmentKey(environment: Readonly<Record<string, string>>): string {
  const entries = Object.entries(environment);
  // Most routes have none: the key of no variables, without a sort and a stringify per route.
  if (entries.length === 0) return '[]';
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
