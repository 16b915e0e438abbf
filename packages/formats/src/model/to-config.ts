import { didYouMean, formatPath, runtimeFamily, type HandlerFunction, type LocalgwConfig } from '@localgw/core';
import { parseLambdaUri } from '../cloudformation/lambda-arn.js';
import type { Api, Authorizer, FormatIssue, LambdaFunction, RouteSettings, SourceRef, Stage, Traced } from './model.js';

/** A local handler for a function, from the `functions` of a localgw config beside the template. */
export interface FunctionOverride {
  /** `FILE.EXPORT`, relative to the project folder; a function in a programmatic config. */
  handler?: string | HandlerFunction;
  /** Added to (and winning over) the template's variables. */
  environment?: Record<string, string>;
  /** The runtime of `handler` (`python3.12`, `provided.al2023`); absent: Node.js. */
  runtime?: string;
}

export interface ToConfigOptions {
  /** The stage to serve when the API has several (`--stage`); default `$default`, else the first. */
  stage?: string;
  /** By function name, logical id, or the name in a Lambda ARN the template does not define. */
  functions?: Readonly<Record<string, FunctionOverride>>;
  /**
   * A function's code folder (a project path); default its `code.dir`. Required for inline code,
   * which the caller saves to a folder (Lambda runs it as `index.js`).
   */
  codeDir?(fn: LambdaFunction): string | undefined;
  /** What the project is read from, in messages: `template` (default), `OpenAPI document`, `serverless.yml`. */
  definition?: string;
  /** Where a function the definition does not define can be mapped to a file; default a localgw.config.json beside the definition. */
  mapWhere?: string;
}

/** A handler that cannot run here: requests to it answer 500 with `message`. */
export interface UnavailableHandler {
  message: string;
  hint?: string;
  /** `error`: `localgw check` fails; `warning`: a known gap (a runtime not supported yet). */
  severity: 'error' | 'warning';
  source: SourceRef | undefined;
}

export interface ImportIssue extends FormatIssue {
  /** The config field it is about; a localgw config beside the template that sets it silences it. */
  configPath?: readonly string[];
}

/** One API of a template as a localgw config, with the way back to the template. */
export interface ImportedApi {
  apiId: string;
  name: string;
  logicalId: string | undefined;
  /** Validated like a `localgw.config.*` by the caller (`resolveConfig`). */
  config: LocalgwConfig;
  /** Config path (`routes["GET /x"].authorizer`) → where the template writes it. */
  sources: Map<string, SourceRef>;
  /** By config path of the route or authorizer (`routes["GET /x"]`, `authorizers.X`). */
  unavailable: Map<string, UnavailableHandler>;
  issues: ImportIssue[];
  /** Other names an authorizer is known by (a logical id when `Name` is set) → its config name. */
  authorizerAliases: Record<string, string>;
}

/** API Gateway's account-level defaults, used when a stage sets only one throttling limit. */
const ACCOUNT_RATE_LIMIT = 10_000;
const ACCOUNT_BURST_LIMIT = 5_000;
/** Lambda's default function timeout (SAM, CloudFormation), config-formats.md §6.5. */
const DEFAULT_FUNCTION_TIMEOUT_S = 3;
const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;

type RouteInput = Exclude<LocalgwConfig['routes'][string], string> & Record<string, unknown>;
type AuthorizerInput = NonNullable<LocalgwConfig['authorizers']>[string];

/**
 * One API of the model → the config the gateway runs (config-formats.md §2.11, §4.6), so that
 * routing, CORS, authorizers, reload and `check` work exactly as with a native config. What
 * localgw cannot serve is never served open: such routes are left out (404) or answer 500,
 * each with a warning or error naming where the template writes it.
 */
export function toLocalgwConfig(api: Api, functions: readonly LambdaFunction[], options: ToConfigOptions = {}): ImportedApi {
  const out: ImportedApi = {
    apiId: api.apiId,
    name: api.name,
    logicalId: api.logicalId,
    config: { routes: {} },
    sources: new Map(),
    unavailable: new Map(),
    issues: [],
    authorizerAliases: {},
  };
  const issue = (severity: FormatIssue['severity'], source: SourceRef | undefined, message: string, hint?: string, configPath?: string[]) =>
    out.issues.push({ severity, message, hint, source, ...(configPath && { configPath }) });
  const setSource = (path: ReadonlyArray<string>, source: SourceRef | undefined) => {
    if (source) out.sources.set(formatPath(path), source);
  };
  const config = out.config as LocalgwConfig & { routes: Record<string, unknown>; authorizers?: Record<string, unknown> };
  setSource([], api.source);

  const stage = pickStage(api, options.stage, issue);
  if (stage) {
    config.stage = stage.stageName;
    setSource(['stage'], stage.fieldSources.stageName ?? stage.source);
    if (stage.stageVariables && Object.keys(stage.stageVariables).length > 0) {
      config.stageVariables = stage.stageVariables;
      setSource(['stageVariables'], stage.fieldSources.stageVariables);
    }
    const throttle = throttleOf(stage.defaultRouteSettings);
    if (throttle) {
      config.throttle = throttle;
      setSource(['throttle'], stage.fieldSources.defaultRouteSettings);
    }
  }
  const stageVariables = stage?.stageVariables ?? {};

  if (api.corsConfiguration) {
    config.cors = { ...api.corsConfiguration };
    setSource(['cors'], api.fieldSources.corsConfiguration);
    for (const key of Object.keys(api.corsConfiguration)) setSource(['cors', key], api.fieldSources[`corsConfiguration.${key}`]);
  }

  const lookup = createFunctionLookup(functions, options);
  const authorizerNames = new Map<string, Authorizer>();
  for (const authorizer of api.authorizers) {
    const path = ['authorizers', authorizer.name];
    setSource(path, authorizer.source);
    for (const alias of authorizer.aliases) out.authorizerAliases[alias] = authorizer.name;
    authorizerNames.set(authorizer.authorizerId, authorizer);
    (config.authorizers ??= {})[authorizer.name] = authorizer.authorizerType === 'JWT' ? jwtAuthorizer(authorizer, path) : requestAuthorizer(authorizer, path);
  }

  function jwtAuthorizer(a: Authorizer, path: string[]): AuthorizerInput {
    const issuer = a.jwtConfiguration?.issuer;
    setSource([...path, 'issuer'], a.fieldSources['jwtConfiguration.issuer']);
    setSource([...path, 'audience'], a.fieldSources['jwtConfiguration.audience']);
    setSource([...path, 'identitySource'], a.fieldSources.identitySource);
    const at = formatPath(path);
    reportUnresolved(a, 'jwtConfiguration.issuer', [...path, 'issuer'], `authorizer ${a.name}: its issuer`, `set ${at}.issuer (and ${at}.jwks) in a localgw.config file beside the template`);
    reportUnresolved(a, 'jwtConfiguration.audience', [...path, 'audience'], `authorizer ${a.name}: its audience`, `set ${at}.audience in a localgw.config file beside the template`);
    if (a.identitySource.length > 1) {
      issue('error', a.fieldSources.identitySource, `authorizer ${a.name}: a JWT authorizer takes one identity source, not ${a.identitySource.length}`, undefined, [...path, 'identitySource']);
    }
    return {
      type: 'jwt',
      issuer: issuer ?? '',
      audience: a.jwtConfiguration?.audience ?? [],
      ...(a.identitySource[0] !== undefined && { identitySource: a.identitySource[0] }),
    };
  }

  function requestAuthorizer(a: Authorizer, path: string[]): AuthorizerInput {
    setSource([...path, 'identitySource'], a.fieldSources.identitySource);
    setSource([...path, 'payloadFormatVersion'], a.fieldSources.authorizerPayloadFormatVersion);
    setSource([...path, 'resultTtlInSeconds'], a.fieldSources.authorizerResultTtlInSeconds);
    reportUnresolved(a, 'authorizerUri', [...path, 'handler'], `authorizer ${a.name}: its function`, 'map it with "functions" in a localgw.config file beside the template');
    const target = lookup(a.authorizerUri, stageVariables, a.fieldSources.authorizerUri ?? a.source);
    setSource([...path, 'handler'], target.fn?.fieldSources.handler ?? target.fn?.source ?? a.fieldSources.authorizerUri);
    if (!target.ok) out.unavailable.set(formatPath(path), target.problem);
    const input: Record<string, unknown> = {
      type: 'request',
      handler: target.handler,
      payloadFormatVersion: a.authorizerPayloadFormatVersion,
      identitySource: a.identitySource,
    };
    if (a.enableSimpleResponses !== undefined) input.enableSimpleResponses = a.enableSimpleResponses;
    if (a.authorizerResultTtlInSeconds !== undefined) input.resultTtlInSeconds = a.authorizerResultTtlInSeconds;
    if (Object.keys(target.environment).length > 0) input.environment = target.environment;
    if (target.functionName !== undefined) input.functionName = target.functionName;
    if (target.ok && target.runtime !== undefined) input.runtime = target.runtime;
    return input as AuthorizerInput;
  }

  for (const route of api.routes) {
    const path = ['routes', route.routeKey];
    const where = route.fieldSources.routeKey ?? route.source;
    if (route.routeKey === '') continue;
    if (Object.hasOwn(config.routes, route.routeKey)) {
      issue('error', where, `route ${route.routeKey} is defined more than once in API ${api.logicalId ?? api.name}`, 'API Gateway rejects a duplicate route key');
      continue;
    }
    if (route.authorizationType === 'AWS_IAM') {
      issue('warning', route.fieldSources.authorizerId ?? where, `${route.routeKey} uses IAM authorization, which localgw does not emulate: it is not served (404), rather than served open`);
      continue;
    }
    const integration = route.target === undefined ? undefined : api.integrations.find((i) => route.target === `integrations/${i.integrationId}`);
    if (route.target === undefined) {
      issue('warning', where, `${route.routeKey} has no integration (Target), so it answers 404, as in API Gateway`);
      continue;
    }
    if (!integration) {
      issue('error', route.fieldSources.target ?? where, `${route.routeKey}: its Target "${route.target}" names no integration of API ${api.logicalId ?? api.name}`);
      continue;
    }
    const skip = unsupportedIntegration(integration.integrationType, integration.connectionType, integration.integrationSubtype);
    if (skip) {
      issue('warning', integration.source ?? where, `${route.routeKey}: ${skip}; the route is not served`);
      continue;
    }
    setSource(path, where);
    const input: RouteInput = {} as RouteInput;
    const integrationTimeoutMs = integration.timeoutInMillis ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
    if (integration.integrationType === 'HTTP_PROXY') {
      input.url = integration.integrationUri ?? '';
      setSource([...path, 'url'], integration.fieldSources.integrationUri);
      if (integration.integrationMethod && integration.integrationMethod !== 'ANY') input.method = integration.integrationMethod;
      if (integration.timeoutInMillis !== undefined) input.timeout = integration.timeoutInMillis / 1000;
      setSource([...path, 'timeout'], integration.fieldSources.timeoutInMillis);
    } else {
      const target = lookup(integration.integrationUri, stageVariables, integration.fieldSources.integrationUri ?? integration.source);
      setSource([...path, 'handler'], target.fn?.fieldSources.handler ?? target.fn?.source ?? integration.fieldSources.integrationUri ?? integration.source);
      if (!target.ok) out.unavailable.set(formatPath(path), target.problem);
      input.handler = target.handler;
      if (integration.payloadFormatVersion === undefined) {
        issue('error', integration.source, `${route.routeKey}: a Lambda integration needs a PayloadFormatVersion`, 'add PayloadFormatVersion: "2.0" (or "1.0"), which API Gateway requires', [...path, 'payloadFormatVersion']);
      } else input.payloadFormatVersion = integration.payloadFormatVersion;
      setSource([...path, 'payloadFormatVersion'], integration.fieldSources.payloadFormatVersion);
      // The function's deadline is the shorter of its own Timeout and the integration's (§6.4, §6.5).
      // A function the template does not define (mapped by the beside config) has no Timeout here.
      const functionTimeoutMs = target.fn ? (target.fn.timeout ?? DEFAULT_FUNCTION_TIMEOUT_S) * 1000 : integrationTimeoutMs;
      const timeoutMs = Math.min(integrationTimeoutMs, functionTimeoutMs);
      input.timeout = timeoutMs / 1000;
      setSource([...path, 'timeout'], timeoutMs === integrationTimeoutMs ? integration.fieldSources.timeoutInMillis : target.fn?.fieldSources.timeout);
      if (Object.keys(target.environment).length > 0) input.environment = target.environment;
      setSource([...path, 'environment'], target.fn?.fieldSources.environment);
      if (target.functionName !== undefined) input.functionName = target.functionName;
      if (target.ok && target.runtime !== undefined) input.runtime = target.runtime;
    }
    if (route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') {
      const authorizer = route.authorizerId === undefined ? undefined : authorizerNames.get(route.authorizerId);
      setSource([...path, 'authorizer'], route.fieldSources.authorizerId);
      if (!authorizer) {
        issue('error', route.fieldSources.authorizerId ?? where, `${route.routeKey}: AuthorizerId "${route.authorizerId ?? ''}" names no authorizer of API ${api.logicalId ?? api.name}`);
        continue;
      }
      input.authorizer = authorizer.name;
      if (route.authorizationType === 'JWT' && route.authorizationScopes?.length) {
        input.authorizationScopes = route.authorizationScopes;
        setSource([...path, 'authorizationScopes'], route.fieldSources.authorizationScopes ?? route.fieldSources.authorizerId);
      }
    }
    if (integration.requestParameters) {
      input.requestParameters = integration.requestParameters;
      setSource([...path, 'requestParameters'], integration.fieldSources.requestParameters);
    }
    if (integration.responseParameters) {
      input.responseParameters = integration.responseParameters;
      setSource([...path, 'responseParameters'], integration.fieldSources.responseParameters);
    }
    const throttle = throttleOf(stage?.routeSettings?.[route.routeKey]);
    if (throttle) input.throttle = throttle;
    config.routes[route.routeKey] = input;
  }
  return out;

  function reportUnresolved(target: Traced, field: string, configPath: string[], what: string, hint: string): void {
    const problem = target.unresolved[field];
    if (!problem) return;
    if (problem.placeholder) issue('warning', problem.source, `${what} is not known locally (${problem.reason}); tokens from the real issuer will not match it`, hint, configPath);
    else issue('error', problem.source, `${what} cannot be resolved locally: ${problem.reason}`, hint, configPath);
  }
}

function pickStage(api: Api, wanted: string | undefined, issue: (s: 'warning', source: SourceRef | undefined, m: string) => void): Stage | undefined {
  if (api.stages.length === 0) {
    issue('warning', api.source, `API ${api.logicalId ?? api.name} has no stage; it is served as the $default stage`);
    return undefined;
  }
  return api.stages.find((s) => s.stageName === wanted) ?? api.stages.find((s) => s.stageName === '$default') ?? api.stages[0];
}

function throttleOf(settings: RouteSettings | undefined): { rateLimit: number; burstLimit: number } | undefined {
  if (!settings || (settings.throttlingBurstLimit === undefined && settings.throttlingRateLimit === undefined)) return undefined;
  return { rateLimit: settings.throttlingRateLimit ?? ACCOUNT_RATE_LIMIT, burstLimit: settings.throttlingBurstLimit ?? ACCOUNT_BURST_LIMIT };
}

function unsupportedIntegration(type: string, connection: string | undefined, subtype: string | undefined): string | undefined {
  if (subtype !== undefined) return `an AWS service integration (${subtype}) is not emulated`;
  if (type === 'HTTP_PROXY' && connection === 'VPC_LINK') return 'a private integration (VPC link) cannot be reached locally';
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') return `integration type ${type} is not an HTTP API integration (AWS_PROXY or HTTP_PROXY)`;
  return undefined;
}

/** `src/items.list`, `handlers/app.handler`: a file and an export, no ARN. */
const HANDLER_PATH = /^[^:\s]+\.[A-Za-z_$][\w$]*$/;

type Lookup =
  | { ok: true; handler: string | HandlerFunction; environment: Record<string, string>; functionName: string | undefined; fn: LambdaFunction | undefined; overridden: boolean; runtime?: string }
  | { ok: false; handler: string; environment: Record<string, string>; functionName: string | undefined; fn: LambdaFunction | undefined; overridden: boolean; problem: UnavailableHandler };

/**
 * §6.7: the function a Lambda URI names — an override from the beside config, else a function
 * of the template (by its name or logical id) — and the handler, environment and name it runs with.
 */
function createFunctionLookup(functions: readonly LambdaFunction[], options: ToConfigOptions) {
  return (uri: string | undefined, stageVariables: Readonly<Record<string, string>>, source: SourceRef | undefined): Lookup => {
    const target = uri === undefined ? undefined : parseLambdaUri(uri, stageVariables);
    const name = target?.functionName;
    const fn = name === undefined ? undefined : functions.find((f) => f.functionName === name) ?? functions.find((f) => f.logicalId === name);
    const override = name === undefined ? undefined : options.functions?.[name] ?? (fn && (options.functions?.[fn.functionName] ?? options.functions?.[fn.logicalId]));
    const environment = { ...fn?.environment, ...override?.environment };
    const functionName = fn?.functionName ?? name;
    const base = { environment, functionName, fn, overridden: override?.handler !== undefined };
    // A local handler runs with its own runtime (Node.js unless it says), not the template's.
    if (override?.handler !== undefined) return { ok: true, handler: override.handler, ...base, ...(override.runtime !== undefined && { runtime: override.runtime }) };
    // What the route table shows for a handler that cannot run: where it would be.
    const shown = fn?.handler === undefined ? `${name ?? 'unknown'}.handler` : fn.code.kind === 'dir' && fn.code.dir !== '.' ? `${fn.code.dir}/${fn.handler}` : fn.handler;
    const fail = (message: string, hint: string, severity: UnavailableHandler['severity'] = 'error'): Lookup => ({
      ok: false,
      handler: shown,
      ...base,
      problem: { message, hint, severity, source },
    });
    const definition = options.definition ?? 'template';
    const where = options.mapWhere ?? `a localgw.config.json beside the ${definition}`;
    const mapHint = (n: string) => `map it to a local file: add "functions": { "${n}": "path/to/file.handler" } to ${where}`;
    if (uri === undefined) return fail('the integration has no function URI', 'set IntegrationUri to the function\'s ARN');
    // DESIGN.md: a `FILE.EXPORT` handler path also works as a Lambda URI (the admin API's integrations).
    if (name === undefined && HANDLER_PATH.test(uri)) return { ok: true, handler: uri, ...base };
    if (name === undefined) return fail(`"${uri}" does not name a Lambda function`, 'use the function\'s ARN, e.g. !GetAtt MyFunction.Arn');
    if (!fn) {
      // A name the beside config maps, nearly: a typo there, or in the document.
      const near = didYouMean(name, [...Object.keys(options.functions ?? {}), ...functions.map((f) => f.functionName)]);
      const mapped = near === undefined ? mapHint(name) : `did you mean "${near}"? Otherwise ${mapHint(name)}`;
      return fail(`Lambda function "${name}" is not defined in the ${definition} (${uri})`, mapped);
    }
    // Node.js runs in worker threads (the default); Python and custom runtimes as processes.
    const family = fn.runtime === undefined ? 'nodejs' : runtimeFamily(fn.runtime);
    if (family === undefined) {
      return fail(`runtime ${fn.runtime} is not supported yet (function ${fn.logicalId})`, `localgw runs Node.js, Python and custom runtimes (provided.al2023); ${mapHint(fn.logicalId)}`, 'warning');
    }
    const runtime = family === 'nodejs' ? {} : { runtime: fn.runtime! };
    if (fn.code.kind === 'unavailable') return fail(`function ${fn.logicalId} cannot run locally: ${fn.code.reason}`, fn.code.hint);
    if (fn.handler === undefined) return fail(`function ${fn.logicalId} has no Handler`, 'set Handler: FILE.EXPORT');
    const dir = options.codeDir?.(fn) ?? (fn.code.kind === 'dir' ? fn.code.dir : undefined);
    if (dir === undefined) return fail(`function ${fn.logicalId} has inline code and nowhere to save it`, 'move it to a file');
    return { ok: true, handler: dir === '.' || dir === '' ? fn.handler : `${dir.replace(/\/+$/, '')}/${fn.handler}`, ...base, ...runtime };
  };
}

