import { parseRouteKey, type RouteKey } from '../routing/index.js';
import { validateCors, type CorsConfig } from '../cors/index.js';
import { didYouMean } from './did-you-mean.js';
import { formatPath, type ConfigIssue } from './issues.js';
import {
  configSchema,
  corsSchema,
  httpRouteSchema,
  jwtAuthorizerSchema,
  lambdaRouteSchema,
  requestAuthorizerSchema,
  type HandlerFunction,
  type LocalgwConfig,
  type RouteConfig,
} from './schema.js';
import { fromZodIssues } from './zod-issues.js';
import { parseIdentitySource, type IdentitySource } from '../lambda-authorizer/identity-sources.js';
import { compileRequestMapping, compileResponseMapping, type MappingIssue, type RequestMapping, type ResponseMapping } from '../mapping/parameter-mapping.js';
import { nameFunctions } from './function-names.js';
import { checkRuntime } from './runtimes.js';
import { findTraps } from './traps.js';

/** Defaults of API Gateway that the config may leave out. */
export const DEFAULT_STAGE = '$default';
export const DEFAULT_IDENTITY_SOURCE = '$request.header.Authorization';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_PAYLOAD_FORMAT_VERSION = '2.0';
/** How long a handler worker may stay idle before it is stopped (see `idleTimeout` in the schema). */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
/** How many idle workers stay warm at once, across functions (see `maxIdleWorkers` in the schema). */
export const DEFAULT_MAX_IDLE_WORKERS = 32;

export interface LambdaIntegration {
  readonly type: 'lambda';
  /** `FILE.EXPORT` relative to the config file, or an inline function. */
  readonly handler: string | HandlerFunction;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly timeoutMs: number;
  readonly environment: Readonly<Record<string, string>>;
  /**
   * The Lambda function this integration invokes (`context.functionName`,
   * `AWS_LAMBDA_FUNCTION_NAME`): the config's `functionName` when it sets one (an imported
   * template's FunctionName or logical id), else unique in the config, integrations with the
   * same handler and environment sharing one function and its name (see `nameFunctions`).
   */
  readonly functionName: string;
  /** The Lambda runtime identifier when the config names one; absent: Node.js. */
  readonly runtime?: string;
  /** A custom runtime's executable, relative to the config file, when the config names one. */
  readonly bootstrap?: string;
}

export interface HttpIntegration {
  readonly type: 'http';
  readonly url: string;
  /** Undefined: the client's method is passed through. */
  readonly method: string | undefined;
  readonly timeoutMs: number;
}

export interface ThrottleLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface ResolvedRoute {
  readonly key: RouteKey;
  readonly integration: LambdaIntegration | HttpIntegration;
  readonly authorizer: string | undefined;
  readonly authorizationScopes: readonly string[] | undefined;
  /** §6.2; undefined when the route maps nothing. */
  readonly requestMapping: RequestMapping | undefined;
  /** §6.3; undefined when the route maps nothing. */
  readonly responseMapping: ResponseMapping | undefined;
  /** The route's own limits, else the API-wide default; undefined: not throttled (§7.1). */
  readonly throttle: ThrottleLimits | undefined;
}

export interface ResolvedJwtAuthorizer {
  readonly name: string;
  readonly type: 'jwt';
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly identitySource: string;
  readonly jwks: string | { keys: Record<string, unknown>[] } | undefined;
}

/** A Lambda REQUEST authorizer (§5), with its identity sources compiled. */
export interface ResolvedRequestAuthorizer {
  readonly name: string;
  readonly type: 'request';
  /** `FILE.EXPORT` relative to the config file, or an inline function. */
  readonly handler: string | HandlerFunction;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly enableSimpleResponses: boolean;
  readonly identitySource: readonly IdentitySource[];
  /** Milliseconds an answer is cached for; 0: not cached (§5.4). */
  readonly resultTtlMs: number;
  readonly environment: Readonly<Record<string, string>>;
  /** The authorizer function's name when the config sets it; else `authorizer-NAME`. */
  readonly functionName?: string;
  /** As `LambdaIntegration.runtime`. */
  readonly runtime?: string;
  /** As `LambdaIntegration.bootstrap`. */
  readonly bootstrap?: string;
}

export type ResolvedAuthorizer = ResolvedJwtAuthorizer | ResolvedRequestAuthorizer;

/** §5.4 default when unset: SAM and CDK use 300 s; without identity sources nothing can be cached. */
export const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;

/** The config with every default filled in and every shorthand expanded. */
export interface ResolvedConfig {
  readonly stage: string;
  readonly stageVariables: Readonly<Record<string, string>> | undefined;
  readonly cors: CorsConfig | undefined;
  readonly authorizers: Readonly<Record<string, ResolvedAuthorizer>>;
  readonly devTokens: boolean;
  /** Stop a handler worker idle for this long; 0: never. */
  readonly idleTimeoutMs: number;
  /** Idle workers kept warm at once, across functions; past it the one idle longest stops. */
  readonly maxIdleWorkers: number;
  /** In the order they appear in the config file; the matcher decides priority. */
  readonly routes: readonly ResolvedRoute[];
  /** The config's `apiId`; undefined: localgw's default. */
  readonly apiId: string | undefined;
  /** Functions by name, for integrations that name a function (`functions`). */
  readonly functions: Readonly<Record<string, ResolvedFunction>>;
}

/** An entry of `functions`, its shorthand expanded. */
export interface ResolvedFunction {
  readonly handler: string | HandlerFunction;
  readonly environment: Readonly<Record<string, string>>;
}

export type ResolveResult =
  | { ok: true; config: ResolvedConfig; warnings: ConfigIssue[] }
  | { ok: false; issues: ConfigIssue[] };

const IDENTITY_SOURCE = /^\$request\.(header|querystring)\.([^\s.]+)$/;

/** Validates a parsed config file (any JSON-like value) as API Gateway would, and resolves it. */
export function resolveConfig(input: unknown): ResolveResult {
  const protoKeys = protoKeyIssues(input);
  if (protoKeys.length > 0) return { ok: false, issues: protoKeys };
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, knownKeys) };
  const raw: LocalgwConfig = parsed.data;
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const error = (path: string, message: string, hint?: string) => issues.push({ path, message, hint, severity: 'error' });

  const authorizers: Record<string, ResolvedAuthorizer> = {};
  for (const [name, a] of Object.entries(raw.authorizers ?? {})) {
    const at = formatPath(['authorizers', name]);
    if (a.type === 'request') {
      authorizers[name] = resolveRequestAuthorizer(name, a, at, error);
      continue;
    }
    const identitySource = a.identitySource ?? DEFAULT_IDENTITY_SOURCE;
    if (!IDENTITY_SOURCE.test(identitySource)) {
      error(`${at}.identitySource`, `"${identitySource}" is not a header or query string selection`, 'API Gateway takes one entry, a header or a query parameter: "$request.header.Authorization" or "$request.querystring.NAME"');
    }
    if (!isUrl(a.issuer)) error(`${at}.issuer`, `"${a.issuer}" is not a URL`, 'the issuer is the token\'s "iss", e.g. "https://issuer.example.com"');
    authorizers[name] = { name, type: 'jwt', issuer: a.issuer, audience: a.audience, identitySource, jwks: a.jwks };
  }

  if (raw.cors) issues.push(...validateCors(raw.cors, 'cors'));

  const routes: UnnamedRoute[] = [];
  const seen = new Map<string, string>();
  for (const [routeKeyText, value] of Object.entries(raw.routes)) {
    const at = formatPath(['routes', routeKeyText]);
    const parsedKey = parseRouteKey(routeKeyText);
    if (!parsedKey.ok) {
      error(at, parsedKey.message, parsedKey.hint);
      continue;
    }
    const key = parsedKey.value;
    const shape = routeShape(key);
    const clash = seen.get(shape);
    if (clash !== undefined) {
      error(at, `matches exactly the same requests as "${clash}"`, 'API Gateway rejects conflicting routes; remove one or rename its path');
    }
    seen.set(shape, routeKeyText);

    const route = expandRoute(value);
    if (route.integration.type === 'lambda') checkFunctionRuntime(route.integration, at, error);
    // Own keys only: "constructor" or "toString" is in every object, and is no authorizer.
    if (route.authorizer !== undefined && !Object.hasOwn(authorizers, route.authorizer)) {
      const suggestion = didYouMean(route.authorizer, Object.keys(authorizers));
      error(
        `${at}.authorizer`,
        `no authorizer named "${route.authorizer}"`,
        suggestion ? `did you mean "${suggestion}"?` : Object.keys(authorizers).length ? `defined: ${Object.keys(authorizers).join(', ')}` : 'define it under "authorizers"',
      );
    }
    if (route.authorizationScopes?.length && route.authorizer === undefined) {
      error(`${at}.authorizationScopes`, 'scopes need a JWT authorizer on the route', 'add "authorizer": "NAME" or remove the scopes');
    }
    const routeAuthorizer = route.authorizer === undefined ? undefined : authorizers[route.authorizer];
    if (route.authorizationScopes?.length && routeAuthorizer?.type === 'request') {
      error(`${at}.authorizationScopes`, 'authorization scopes are supported only for JWT authorizers', `authorizer "${route.authorizer}" is a Lambda REQUEST authorizer; remove the scopes`);
    }
    const mappingError = (prefix: string) => (issue: MappingIssue) => error(formatPath(['routes', routeKeyText, prefix, ...issue.key]), issue.message, issue.hint);
    const requestMapping = value !== null && typeof value === 'object' && value.requestParameters ? compileRequestMapping(value.requestParameters) : undefined;
    if (requestMapping && !requestMapping.ok) requestMapping.issues.forEach(mappingError('requestParameters'));
    const responseMapping = value !== null && typeof value === 'object' && value.responseParameters ? compileResponseMapping(value.responseParameters) : undefined;
    if (responseMapping && !responseMapping.ok) responseMapping.issues.forEach(mappingError('responseParameters'));
    route.requestMapping = requestMapping?.ok ? requestMapping.mapping : undefined;
    route.responseMapping = responseMapping?.ok ? responseMapping.mapping : undefined;
    route.throttle = (typeof value === 'object' && value.throttle) || raw.throttle;
    if (route.integration.type === 'http' && route.integration.url.includes('${stageVariables.')) {
      // §1.2: stage variables in an HTTP integration's URI (host, path or query). They are fixed
      // per config, so the URL is complete before any request.
      const missing: string[] = [];
      const url = route.integration.url.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => {
        const variables = raw.stageVariables;
        if (variables !== undefined && Object.hasOwn(variables, name)) return variables[name]!;
        missing.push(name);
        return '';
      });
      for (const name of missing) warnings.push({ path: `${at}.url`, message: `stage variable "${name}" is not defined, so it is empty in the URL`, hint: 'define it under "stageVariables"', severity: 'warning' });
      route.integration = { ...route.integration, url };
    }
    if (route.integration.type === 'http' && !isUrl(route.integration.url)) {
      error(`${at}.url`, `"${route.integration.url}" is not an http(s) URL`, 'e.g. "http://127.0.0.1:9000/{proxy}"');
    }
    routes.push({ key, ...route });
  }

  if (issues.length > 0) return { ok: false, issues };
  const config: ResolvedConfig = {
    stage: raw.stage ?? DEFAULT_STAGE,
    stageVariables: raw.stageVariables,
    cors: raw.cors,
    authorizers,
    devTokens: raw.devTokens ?? true,
    idleTimeoutMs: raw.idleTimeout === undefined ? DEFAULT_IDLE_TIMEOUT_MS : Math.round(raw.idleTimeout * 1000),
    maxIdleWorkers: raw.maxIdleWorkers ?? DEFAULT_MAX_IDLE_WORKERS,
    routes: withFunctionNames(routes),
    apiId: raw.apiId,
    functions: Object.fromEntries(
      Object.entries(raw.functions ?? {}).map(([name, fn]) => [name, typeof fn === 'string' ? { handler: fn, environment: {} } : { handler: fn.handler, environment: fn.environment ?? {} }]),
    ),
  };
  return { ok: true, config, warnings: [...warnings, ...findTraps(config)] };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `__proto__` as a name the user chooses (an authorizer, a route key, a stage or environment
 * variable) is refused. zod drops it from records without a word (assigned, it would set the
 * prototype), so the name would vanish and a route that refers to it would fail only at request
 * time; and a JavaScript config cannot even write it as a key (`{ __proto__: … }` sets the
 * prototype). JSON and YAML configs can, so it gets its own message.
 */
function protoKeyIssues(input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (record: unknown, path: string[]) => {
    if (isRecord(record) && Object.hasOwn(record, '__proto__')) {
      issues.push({ path: formatPath([...path, '__proto__']), message: '"__proto__" cannot be used as a name', hint: 'JavaScript gives this key a special meaning; choose another name', severity: 'error' });
    }
  };
  if (!isRecord(input)) return issues;
  check(input.stageVariables, ['stageVariables']);
  check(input.authorizers, ['authorizers']);
  check(input.routes, ['routes']);
  check(input.functions, ['functions']);
  if (isRecord(input.routes)) {
    for (const [key, route] of Object.entries(input.routes)) if (isRecord(route)) check(route.environment, ['routes', key, 'environment']);
  }
  return issues;
}


/** A Lambda integration before naming: `functionName` only when the config sets it. */
type UnnamedLambda = Omit<LambdaIntegration, 'functionName'> & { functionName?: string };
type UnnamedRoute = Omit<ResolvedRoute, 'integration'> & { integration: UnnamedLambda | HttpIntegration };

/** Each Lambda integration gets the name of the function it invokes, shared by routes that invoke the same one. */
function withFunctionNames(routes: readonly UnnamedRoute[]): ResolvedRoute[] {
  const lambdas = routes.filter((route) => route.integration.type === 'lambda');
  const names = nameFunctions(
    lambdas.map((route) => {
      const integration = route.integration as UnnamedLambda;
      return { handler: integration.handler, environment: integration.environment, routeKey: route.key.routeKey, functionName: integration.functionName };
    }),
  );
  // Set in place: each route and integration is this call's own (made by resolveConfig), and a
  // copy of both for each of 10,000 routes is a cost at start (issue 17).
  lambdas.forEach((route, i) => {
    (route.integration as { functionName?: string }).functionName = names[i]!;
  });
  return routes as ResolvedRoute[];
}

type MutableRoute = { -readonly [K in keyof Omit<UnnamedRoute, 'key'>]: UnnamedRoute[K] };

function expandRoute(value: RouteConfig): MutableRoute {
  const none = { requestMapping: undefined, responseMapping: undefined, throttle: undefined };
  if (typeof value === 'string') {
    return { integration: lambda({ handler: value }), authorizer: undefined, authorizationScopes: undefined, ...none };
  }
  const timeoutMs = value.timeout === undefined ? DEFAULT_TIMEOUT_MS : Math.round(value.timeout * 1000);
  const integration =
    'url' in value
      ? ({ type: 'http', url: value.url, method: value.method?.toUpperCase(), timeoutMs } as const)
      : lambda({ ...value, timeoutMs });
  return { integration, authorizer: value.authorizer, authorizationScopes: value.authorizationScopes, ...none };
}

type RequestAuthorizerInput = Extract<NonNullable<LocalgwConfig['authorizers']>[string], { type: 'request' }>;

/** §5: validated as API Gateway validates CreateAuthorizer for type REQUEST. */
function resolveRequestAuthorizer(
  name: string,
  a: RequestAuthorizerInput,
  at: string,
  error: (path: string, message: string, hint?: string) => void,
): ResolvedRequestAuthorizer {
  const expressions = a.identitySource === undefined ? [] : typeof a.identitySource === 'string' ? [a.identitySource] : a.identitySource;
  const identitySource: IdentitySource[] = [];
  for (const [index, expression] of expressions.entries()) {
    const parsed = parseIdentitySource(expression);
    const path = typeof a.identitySource === 'string' ? `${at}.identitySource` : `${at}.identitySource[${index}]`;
    if (parsed.ok) identitySource.push(parsed.source);
    else error(path, parsed.message, parsed.hint);
  }
  if (a.enableSimpleResponses && a.payloadFormatVersion !== '2.0') {
    error(`${at}.enableSimpleResponses`, 'simple responses are supported only with payload format version 2.0', 'set "payloadFormatVersion": "2.0", or remove "enableSimpleResponses" and answer with an IAM policy');
  }
  const ttlSeconds = a.resultTtlInSeconds ?? (expressions.length > 0 ? DEFAULT_AUTHORIZER_TTL_SECONDS : 0);
  if (ttlSeconds > 0 && expressions.length === 0) {
    error(`${at}.resultTtlInSeconds`, 'caching needs at least one identity source, the cache key', 'add "identitySource" (e.g. ["$request.header.Authorization"]) or set "resultTtlInSeconds": 0');
  }
  checkFunctionRuntime(a, at, error);
  return {
    name,
    type: 'request',
    handler: a.handler,
    payloadFormatVersion: a.payloadFormatVersion,
    enableSimpleResponses: a.enableSimpleResponses ?? false,
    identitySource,
    resultTtlMs: ttlSeconds * 1000,
    environment: a.environment ?? {},
    ...(a.functionName !== undefined && { functionName: a.functionName }),
    ...(a.runtime !== undefined && { runtime: a.runtime }),
    ...(a.bootstrap !== undefined && { bootstrap: a.bootstrap }),
  };
}

/**
 * A function's `runtime` must be a Lambda runtime identifier localgw runs, for a file handler;
 * `bootstrap` belongs to custom runtimes.
 */
function checkFunctionRuntime(
  fn: { handler: string | HandlerFunction; runtime?: string | undefined; bootstrap?: string | undefined },
  at: string,
  error: (path: string, message: string, hint?: string) => void,
): void {
  const check = fn.runtime === undefined ? undefined : checkRuntime(fn.runtime);
  if (check && !check.ok) error(`${at}.runtime`, check.message, check.hint);
  const family = check?.ok ? check.family : undefined;
  if (family !== undefined && family !== 'nodejs' && typeof fn.handler === 'function') {
    error(`${at}.runtime`, `a ${fn.runtime} function needs a file handler, not an inline function`, 'remove "runtime" to run the function in Node.js, or name a file');
  }
  if (fn.bootstrap !== undefined && family !== 'provided') {
    error(`${at}.bootstrap`, 'a bootstrap executable belongs to custom runtimes', 'add "runtime": "provided.al2023", or remove "bootstrap"');
  }
}

function lambda(value: {
  handler: string | HandlerFunction;
  payloadFormatVersion?: '1.0' | '2.0';
  environment?: Record<string, string>;
  timeoutMs?: number;
  functionName?: string;
  runtime?: string;
  bootstrap?: string;
}): Omit<LambdaIntegration, 'functionName'> & { functionName?: string } {
  return {
    type: 'lambda',
    handler: value.handler,
    payloadFormatVersion: value.payloadFormatVersion ?? DEFAULT_PAYLOAD_FORMAT_VERSION,
    timeoutMs: value.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    environment: value.environment ?? {},
    ...(value.functionName !== undefined && { functionName: value.functionName }),
    ...(value.runtime !== undefined && { runtime: value.runtime }),
    ...(value.bootstrap !== undefined && { bootstrap: value.bootstrap }),
  };
}

/** Two routes with the same method and the same path up to variable names match the same requests. */
function routeShape(key: RouteKey): string {
  if (key.kind === 'default') return '$default';
  const path = key.segments
    .map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? '{}' : '{+}'))
    .join('/');
  return `${key.method} /${path}`;
}

function isUrl(text: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(text);
}

const ROUTE_KEYS = [...new Set([...Object.keys(lambdaRouteSchema.shape), ...Object.keys(httpRouteSchema.shape)])];

function knownKeys(path: ReadonlyArray<PropertyKey>): readonly string[] {
  if (path.length === 0) return Object.keys(configSchema.shape);
  if (path[0] === 'cors' && path.length === 1) return Object.keys(corsSchema.shape);
  if (path[0] === 'authorizers' && path.length === 2) return [...new Set([...Object.keys(jwtAuthorizerSchema.shape), ...Object.keys(requestAuthorizerSchema.shape)])];
  if (path[0] === 'routes' && path.length === 2) return ROUTE_KEYS;
  return [];
}
