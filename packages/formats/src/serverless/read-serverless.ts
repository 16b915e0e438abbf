import { Fields } from '../cloudformation/fields.js';
import { functionArn } from '../cloudformation/lambda-arn.js';
import { PSEUDO_PARAMETERS, Stack, type ResolvedField, type StackLinks } from '../cloudformation/stack.js';
import { Unresolved } from '../cloudformation/intrinsics.js';
import type { FormatHost } from '../cloudformation/read-template.js';
import { traced, type Api, type ApiModel, type Authorizer, type CorsConfiguration, type FormatIssue, type Integration, type LambdaFunction, type Route } from '../model/model.js';
import { parseText, type SourceText } from '../source/parse-text.js';
import { childPointer } from '../source/pointer.js';
import { firstUnresolved, VariableResolver } from './variables.js';

export interface ReadServerlessOptions {
  /** `--stage`: `${opt:stage}` and `${sls:stage}` (the Framework's stage, not a path prefix). */
  stage?: string;
  /** `${opt:NAME}` (and `${param:NAME}`) values: `--parameter-overrides NAME=VALUE`. */
  options?: Readonly<Record<string, string>>;
  /** `${env:NAME}`: the environment localgw runs in. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The API's id: the lower-cased logical id the Framework gives it (`HttpApi`), as for templates. */
export const SERVERLESS_API_ID = 'httpapi';

/** serverless-offline options with a localgw counterpart, or none (reported, never silently dropped). */
const OFFLINE_OPTIONS: Record<string, (value: unknown) => string | undefined> = {
  httpPort: (v) => (Number(v) === 3000 ? undefined : `localgw listens on port 3000 by default: start it with --port ${String(v)}`),
  host: (v) => (v === 'localhost' || v === '127.0.0.1' ? undefined : `localgw binds 127.0.0.1 by default: start it with --host ${String(v)}`),
  noAuth: (v) =>
    v === true || v === 'true'
      ? 'localgw always enforces authorizers, as API Gateway does: get a token with `npx localgw token`, or point a JWT authorizer at local keys in a localgw.config file beside serverless.yml'
      : undefined,
  ignoreJWTSignature: (v) => (v === true || v === 'true' ? 'localgw verifies JWT signatures: tokens from `npx localgw token` are signed by a local key its JWT authorizers trust' : undefined),
  prefix: () => 'localgw has no path prefix option; HTTP APIs are served from / (the $default stage)',
  lambdaPort: () => 'localgw does not serve the Lambda Invoke API; call the HTTP routes',
  corsAllowOrigin: () => 'use provider.httpApi.cors, which localgw reads',
  corsAllowHeaders: () => 'use provider.httpApi.cors, which localgw reads',
  corsExposedHeaders: () => 'use provider.httpApi.cors, which localgw reads',
  corsDisallowCredentials: () => 'use provider.httpApi.cors, which localgw reads',
  httpsProtocol: () => 'localgw serves plain HTTP on localhost',
};
/** Options with nothing to change: localgw already behaves so (reloads, worker threads, no stage prefix). */
const OFFLINE_SAME = new Set(['reloadHandler', 'useWorkerThreads', 'useChildProcesses', 'useInProcess', 'noPrependStageInUrl', 'noTimeout', 'allowCache', 'printOutput', 'dockerHost', 'terminateIdleLambdaTime', 'websocketPort', 'albPort', 'localEnvironment', 'disableCookieValidation', 'enforceSecureCookies', 'hideStackTraces', 'layersDir']);
/** Plugins whose work localgw does itself (TypeScript handlers, .env files, serving locally). */
const PLUGINS_DONE_HERE = new Set(['serverless-offline', 'serverless-esbuild', 'serverless-plugin-typescript', 'serverless-webpack', 'serverless-dotenv-plugin', 'serverless-bundle']);

const METHODS = new Set(['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE']);
/** §3.3: `cors: true` and the object form's default headers. */
const DEFAULT_CORS_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent', 'X-Amzn-Trace-Id'];
/** §3.5: the Framework's default function timeout, seconds. */
const DEFAULT_TIMEOUT_S = 6;
/** §3.5: the Framework writes TimeoutInMillis 30000 on every integration. */
const INTEGRATION_TIMEOUT_MS = 30_000;

/** `serverless.yml` / `serverless.yaml` / `serverless.json` from the project (parsed here, lines kept). */
export function readServerless(file: string, host: FormatHost, options: ReadServerlessOptions = {}): ApiModel {
  const text = host.readFile(file);
  if (text === undefined) return { apis: [], functions: [], issues: [{ severity: 'error', message: `cannot read ${file}`, source: undefined }], files: [file] };
  const parsed = parseText(file, text);
  if (!parsed.ok) {
    return { apis: [], functions: [], issues: [{ severity: 'error', message: `${file}${parsed.line ? `:${parsed.line}${parsed.column ? `:${parsed.column}` : ''}` : ''}: ${parsed.message}`, source: undefined }], files: [file] };
  }
  return readServerlessConfig(parsed.source, host, options);
}

/**
 * A Serverless Framework service (config-formats.md §3) → the model: its HTTP API (from
 * `provider.httpApi` and the functions' `httpApi` events) and its functions. `source` is the
 * parsed configuration: `serverless.yml` text through `parseText`, or what a `serverless.ts`
 * exports (its lines then unknown). Plugins are not run; serverless-offline's own options are
 * reported with their localgw counterpart.
 */
export function readServerlessConfig(source: SourceText, host: FormatHost, options: ReadServerlessOptions = {}): ApiModel {
  const issues: FormatIssue[] = [];
  const files = [source.file];
  const optionValues: Record<string, string> = { ...options.options, ...(options.stage !== undefined && { stage: options.stage }) };
  const resolver = new VariableResolver(source.value, {
    options: optionValues,
    env: options.env ?? {},
    aws: { accountId: PSEUDO_PARAMETERS['AWS::AccountId']!, region: PSEUDO_PARAMETERS['AWS::Region']! },
    file(path) {
      const file = host.resolvePath(source.file, path);
      files.push(file);
      const text = host.readFile(file);
      if (text === undefined) return { ok: false, message: `cannot read ${file}` };
      const parsed = parseText(file, text);
      return parsed.ok ? { ok: true, value: parsed.source.value } : { ok: false, message: `${file}: ${parsed.message}` };
    },
  });
  const resolved = resolver.resolveAll();
  const stack = new ServerlessStack({ file: source.file, value: resolved, lineOf: (pointer) => source.lineOf(pointer) }, issues);
  const model: ApiModel = { apis: [], functions: [], issues, files };
  const root = new Fields(stack, '', isMap(resolved) ? resolved : {}, traced(undefined));
  if (!isMap(resolved)) {
    stack.issue('error', '', `${source.file} is not a Serverless Framework configuration (a map with "service" and "functions")`);
    return model;
  }
  new ServiceReader(stack, root, resolver.stage(), host, model).read();
  return model;
}

/** The resolved configuration: variables are already substituted, intrinsics already `Unresolved`. */
class ServerlessStack extends Stack {
  constructor(source: SourceText, issues: FormatIssue[]) {
    super(source, '', undefined, {}, NO_LINKS, issues);
  }

  override resolve(raw: unknown): ResolvedField {
    return { value: firstUnresolved(raw) ?? raw, placeholders: [] };
  }
}

const NO_LINKS: StackLinks = {
  ref: (_stack, logicalId) => ({ value: logicalId }),
  getAtt: (_stack, logicalId) => new Unresolved(`Fn::GetAtt ${logicalId}`, ''),
  importValue: () => undefined,
};

class ServiceReader {
  readonly service: string;
  readonly region: string;
  readonly functions = new Map<string, { fn: LambdaFunction; fields: Fields }>();

  constructor(
    readonly stack: Stack,
    readonly root: Fields,
    readonly stage: string,
    readonly host: FormatHost,
    readonly model: ApiModel,
  ) {
    const service = root.raw!.service;
    this.service = typeof service === 'string' ? service : isMap(service) && typeof service.name === 'string' ? service.name : 'service';
    const provider = root.block('provider', 'provider');
    this.region = provider?.string('region', 'region') ?? PSEUDO_PARAMETERS['AWS::Region']!;
  }

  read(): void {
    const provider = this.root.block('provider', 'provider');
    const providerName = provider?.string('name', 'name');
    if (providerName !== undefined && providerName !== 'aws') {
      this.stack.issue('error', provider!.pointerOf('name'), `provider ${providerName}: localgw emulates AWS API Gateway, so only provider.name: aws is served`);
      return;
    }
    this.#reportPlugins();
    this.#reportOffline();
    this.#readFunctions(provider);
    const httpApi = provider?.block('httpApi', 'httpApi');
    const api = this.#readApi(provider, httpApi);
    if (api) this.model.apis.push(api);
  }

  #reportPlugins(): void {
    const value = this.root.raw!.plugins;
    const list = Array.isArray(value) ? value : isMap(value) && Array.isArray(value.modules) ? value.modules : [];
    const others = list.filter((p): p is string => typeof p === 'string' && !PLUGINS_DONE_HERE.has(p));
    if (others.length > 0) {
      this.stack.issue('warning', '/plugins', `plugins are not run (${others.join(', ')}): what they would add to the service is not served`, 'localgw reads serverless.yml as written; serverless-offline, esbuild/TypeScript and dotenv plugins are not needed');
    }
  }

  #reportOffline(): void {
    const custom = this.root.block('custom', 'custom');
    const offline = custom?.block('serverless-offline', 'serverless-offline');
    for (const key of offline?.keys() ?? []) {
      if (OFFLINE_SAME.has(key)) continue;
      const value = offline!.raw![key];
      const advice = OFFLINE_OPTIONS[key];
      const message = advice ? advice(value) : 'serverless-offline option with no localgw counterpart';
      if (message !== undefined) this.stack.issue('warning', offline!.pointerOf(key), `this serverless-offline option is not applied: ${message}`);
    }
  }

  #readFunctions(provider: Fields | undefined): void {
    const functions = this.root.block('functions', 'functions');
    const providerEnv = provider ? this.#environment(provider, 'provider') : {};
    const providerTimeout = provider?.number('timeout', 'timeout');
    const providerRuntime = provider?.string('runtime', 'runtime');
    const dir = this.host.resolvePath(this.stack.file, '.');
    let packaged = this.root.has('package') && isMap(this.root.raw!.package) && 'individually' in this.root.raw!.package;
    for (const key of functions?.keys() ?? []) {
      const pointer = functions!.pointerOf(key);
      const fn: LambdaFunction = { ...traced(this.stack.sourceOf(pointer)), functionName: `${this.service}-${this.stage}-${key}`, logicalId: key, code: { kind: 'dir', dir } };
      const raw = functions!.raw![key];
      if (raw === null || raw === undefined) continue;
      if (!isMap(raw)) {
        this.stack.issue('error', pointer, `function ${key} must be a map (handler, events, …)`);
        continue;
      }
      const own = new Fields(this.stack, pointer, raw, fn);
      const name = own.string('name', 'functionName');
      if (name !== undefined) fn.functionName = name;
      const handler = own.string('handler', 'handler');
      if (handler !== undefined) fn.handler = handler;
      else if (own.has('image')) fn.code = { kind: 'unavailable', reason: 'it is a container image (image)', hint: `map it to a local handler: "functions": { "${key}": "path/to/file.handler" } in a localgw.config file beside serverless.yml` };
      else this.stack.issue('error', pointer, `function ${key} has no handler`, 'set handler: path/to/file.export');
      const runtime = own.string('runtime', 'runtime') ?? providerRuntime;
      if (runtime !== undefined) fn.runtime = runtime;
      fn.timeout = own.number('timeout', 'timeout') ?? providerTimeout ?? DEFAULT_TIMEOUT_S;
      if (fn.fieldSources.timeout === undefined && providerTimeout !== undefined) fn.fieldSources.timeout = this.stack.sourceOf('/provider/timeout');
      const environment = { ...providerEnv, ...this.#environment(own, `functions.${key}`) };
      if (Object.keys(environment).length > 0) fn.environment = environment;
      fn.fieldSources.environment ??= this.stack.sourceOf('/provider/environment');
      if (own.has('package')) packaged = true;
      this.functions.set(key, { fn, fields: own });
      this.model.functions.push(fn);
    }
    if (packaged) {
      this.stack.issue('warning', this.root.has('package') ? '/package' : undefined, 'package settings (package, individually) are ignored: localgw runs each handler from the service folder, with its node_modules');
    }
  }

  /** §3.5: `provider.environment` under the function's; a value only AWS knows is left out, saying how to set it. */
  #environment(fields: Fields, where: string): Record<string, string> {
    if (!fields.has('environment')) return {};
    const raw = fields.raw!.environment;
    if (raw instanceof Unresolved) {
      this.stack.issue('warning', fields.pointerOf('environment'), `${where}.environment is left out: ${raw.reason}`);
      return {};
    }
    if (!isMap(raw)) {
      this.stack.issue('error', fields.pointerOf('environment'), `${where}.environment must be a map of names to values`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      const pointer = childPointer(fields.pointerOf('environment'), name);
      const problem = firstUnresolved(value);
      if (problem) {
        this.stack.issue('warning', pointer, `environment variable ${name} is left out: ${problem.reason}`, `set ${name} in a .env file beside serverless.yml, or in "functions": { "FUNCTION": { "environment": { "${name}": "…" } } } of a localgw.config file there`);
        continue;
      }
      if (value === null || value === undefined) continue;
      out[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    return out;
  }

  #readApi(provider: Fields | undefined, httpApi: Fields | undefined): Api | undefined {
    const api: Api = { ...traced(this.stack.sourceOf(httpApi?.pointer ?? '')), apiId: SERVERLESS_API_ID, name: `${this.stage}-${this.service}`, protocolType: 'HTTP', logicalId: 'HttpApi', routes: [], integrations: [], authorizers: [], stages: [] };
    if (httpApi) {
      const name = httpApi.string('name', 'name');
      if (name !== undefined) api.name = name;
      else if (provider?.boolean('shouldStartNameWithService', 'shouldStartNameWithService')) api.name = `${this.service}-${this.stage}`;
      const disable = httpApi.boolean('disableDefaultEndpoint', 'disableExecuteApiEndpoint');
      if (disable !== undefined) api.disableExecuteApiEndpoint = disable;
      if (httpApi.has('id')) {
        this.stack.issue('warning', httpApi.pointerOf('id'), 'provider.httpApi.id attaches the routes to an API of another stack; localgw serves them as their own API, with only the authorizers this file defines');
      }
    }
    const payload = this.#payload(httpApi, 'payload') ?? '2.0';
    this.#readAuthorizers(httpApi, api);
    const usedMethods = new Set<string>();
    let restEvents = false;
    for (const [key, { fn, fields }] of this.functions) {
      const events = fields.raw!.events;
      if (events === undefined) continue;
      if (!Array.isArray(events)) {
        this.stack.issue('error', fields.pointerOf('events'), `functions.${key}.events must be a list`);
        continue;
      }
      const fnHttpApi = fields.block('httpApi', 'httpApi');
      const integration: Integration = {
        ...traced(fn.source),
        integrationId: `${api.apiId}:${key}`,
        integrationType: 'AWS_PROXY',
        integrationUri: functionArn('aws', this.region, PSEUDO_PARAMETERS['AWS::AccountId']!, fn.functionName),
        payloadFormatVersion: this.#payload(fnHttpApi, 'payload') ?? payload,
        timeoutInMillis: INTEGRATION_TIMEOUT_MS,
      };
      integration.fieldSources.payloadFormatVersion = this.stack.sourceOf(fnHttpApi?.has('payload') ? fnHttpApi.pointerOf('payload') : '/provider/httpApi/payload');
      let used = false;
      for (const [index, event] of events.entries()) {
        const pointer = childPointer(fields.pointerOf('events'), index);
        if (!isMap(event)) continue;
        if ('http' in event) restEvents = true;
        if (!('httpApi' in event)) continue;
        const route = this.#readEvent(new Fields(this.stack, pointer, event, traced(undefined)), key, api, integration);
        if (!route) continue;
        used = true;
        if (route.routeKey !== '$default') usedMethods.add(route.routeKey.slice(0, route.routeKey.indexOf(' ')));
        else usedMethods.add('ANY');
      }
      if (used) api.integrations.push(integration);
    }
    if (restEvents) {
      this.stack.issue('warning', '/functions', '`http` events make a REST API (API Gateway v1), which localgw does not emulate: only `httpApi` events are served', 'switch them to httpApi events (the HTTP API); see docs/formats.md');
    }
    if (api.routes.length === 0 && !httpApi) return undefined;
    this.#readCors(httpApi, api, usedMethods);
    // §3.2: always the $default stage, auto-deployed; the Framework's stage is not a path prefix.
    api.stages.push({ ...traced(api.source), stageName: '$default', autoDeploy: true });
    return api;
  }

  #payload(fields: Fields | undefined, key: string): '1.0' | '2.0' | undefined {
    const value = fields?.string(key, 'payloadFormatVersion');
    if (value === undefined) return undefined;
    if (value === '1' || value === '1.0') return '1.0';
    if (value === '2' || value === '2.0') return '2.0';
    this.stack.issue('error', fields!.pointerOf(key), `payload is "${value}": it must be '1.0' or '2.0'`);
    return undefined;
  }

  /** §3.1: `'GET /x'`, `'*'`, or `{method, path, authorizer}`. */
  #readEvent(event: Fields, fnKey: string, api: Api, integration: Integration): Route | undefined {
    const at = event.pointerOf('httpApi');
    const value = event.raw!.httpApi;
    let method: string;
    let path: string;
    let authorizer: unknown;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text === '*') [method, path] = ['*', '*'];
      else {
        const match = /^([A-Za-z*]+) (\/\S*)$/.exec(text);
        if (!match) {
          this.stack.issue('error', at, `functions.${fnKey}: httpApi "${text}" is not "METHOD /path" or "*"`);
          return undefined;
        }
        [method, path] = [match[1]!, match[2]!];
      }
    } else if (isMap(value)) {
      const fields = new Fields(this.stack, at, value, traced(undefined));
      path = fields.string('path', 'path') ?? '';
      method = fields.string('method', 'method') ?? (path === '*' ? '*' : '');
      authorizer = value.authorizer;
      if (path === '' || (path !== '*' && !path.startsWith('/'))) {
        this.stack.issue('error', path === '' ? at : fields.pointerOf('path'), `functions.${fnKey}: httpApi needs a path ("/items", or "*")`);
        return undefined;
      }
      if (method === '') {
        this.stack.issue('error', at, `functions.${fnKey}: httpApi ${path} needs a method (GET, POST, … or "*")`);
        return undefined;
      }
    } else {
      this.stack.issue('error', at, `functions.${fnKey}: httpApi must be "METHOD /path", "*" or { method, path }`);
      return undefined;
    }
    const upper = method === '*' ? 'ANY' : method.toUpperCase();
    if (!METHODS.has(upper)) {
      this.stack.issue('error', at, `functions.${fnKey}: method ${method} is not one of ${[...METHODS].join(', ')} or *`);
      return undefined;
    }
    if (path === '*' && upper !== 'ANY') {
      this.stack.issue('error', at, `functions.${fnKey}: Invalid path: "*" only goes with method "*" (it is the $default route)`);
      return undefined;
    }
    const routeKey = path === '*' ? '$default' : `${upper} ${path}`;
    const source = this.stack.sourceOf(at);
    if (api.routes.some((r) => r.routeKey === routeKey)) {
      this.stack.issue('error', at, `functions.${fnKey}: duplicate route ${routeKey} (DUPLICATE_HTTP_API_ROUTE): another httpApi event already has it`);
      return undefined;
    }
    const route: Route = { ...traced(source), routeId: `${api.apiId}:${routeKey}`, routeKey, target: `integrations/${integration.integrationId}`, authorizationType: 'NONE' };
    route.fieldSources.routeKey = source;
    route.fieldSources.target = integration.source ?? source;
    if (authorizer !== undefined) this.#routeAuthorizer(authorizer, childPointer(at, 'authorizer'), route, api, fnKey);
    api.routes.push(route);
    return route;
  }

  /** `authorizer: name`, `{name, scopes}`, `{type: aws_iam}`, or `{id, type}` of an external API. */
  #routeAuthorizer(value: unknown, pointer: string, route: Route, api: Api, fnKey: string): void {
    route.fieldSources.authorizerId = this.stack.sourceOf(pointer);
    const spec = typeof value === 'string' ? { name: value } : isMap(value) ? value : undefined;
    if (!spec) {
      this.stack.issue('error', pointer, `functions.${fnKey}: authorizer must be a name or { name, scopes }`);
      return;
    }
    if (typeof spec.type === 'string' && spec.type.toLowerCase() === 'aws_iam') {
      route.authorizationType = 'AWS_IAM';
      return;
    }
    if (spec.id !== undefined) {
      // Never served open: the route is left out by the error.
      this.stack.issue('error', pointer, `${route.routeKey}: its authorizer (id: ${JSON.stringify(spec.id instanceof Unresolved ? spec.id.reason : spec.id)}) belongs to another API, which localgw cannot read`, 'define the authorizer under provider.httpApi.authorizers and name it, to run the route locally');
      route.authorizationType = 'CUSTOM';
      route.authorizerId = `external:${String(spec.id)}`;
      return;
    }
    const name = typeof spec.name === 'string' ? spec.name : undefined;
    const authorizer = name === undefined ? undefined : api.authorizers.find((a) => a.name === name || a.aliases.includes(name));
    if (!authorizer) {
      this.stack.issue('error', pointer, `${route.routeKey}: no authorizer named "${name ?? ''}" under provider.httpApi.authorizers${api.authorizers.length > 0 ? ` (there are ${api.authorizers.map((a) => a.name).join(', ')})` : ''}`);
      route.authorizationType = 'CUSTOM';
      route.authorizerId = `missing:${name ?? ''}`;
      return;
    }
    route.authorizationType = authorizer.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
    route.authorizerId = authorizer.authorizerId;
    if (Array.isArray(spec.scopes) && spec.scopes.length > 0) {
      route.authorizationScopes = spec.scopes.map(String);
      route.fieldSources.authorizationScopes = this.stack.sourceOf(childPointer(pointer, 'scopes'));
    }
  }

  /** §3.4: the keys under `provider.httpApi.authorizers` are the names routes use. */
  #readAuthorizers(httpApi: Fields | undefined, api: Api): void {
    const block = httpApi?.block('authorizers', 'authorizers');
    for (const key of block?.keys() ?? []) {
      const pointer = block!.pointerOf(key);
      const authorizer: Authorizer = { ...traced(this.stack.sourceOf(pointer)), authorizerId: `${api.apiId}:${key}`, name: key, aliases: [], authorizerType: 'JWT', identitySource: [] };
      const raw = block!.raw![key];
      if (!isMap(raw)) {
        this.stack.issue('error', pointer, `authorizer ${key} must be a map`);
        continue;
      }
      const fields = new Fields(this.stack, pointer, raw, authorizer);
      const name = fields.string('name', 'name');
      if (name !== undefined && name !== key) authorizer.aliases.push(name);
      authorizer.identitySource = fields.strings('identitySource', 'identitySource') ?? [];
      const type = fields.string('type', 'authorizerType')?.toLowerCase();
      if (type === 'request') {
        authorizer.authorizerType = 'REQUEST';
        const fnName = fields.string('functionName', 'authorizerUri');
        const arn = fnName === undefined ? fields.string('functionArn', 'authorizerUri') : undefined;
        if (fnName !== undefined) {
          const target = this.functions.get(fnName);
          if (!target) this.stack.issue('error', fields.pointerOf('functionName'), `authorizer ${key}: no function named "${fnName}" in this service`, `define it under functions, or use functionArn`);
          authorizer.authorizerUri = functionArn('aws', this.region, PSEUDO_PARAMETERS['AWS::AccountId']!, target?.fn.functionName ?? fnName);
        } else if (arn !== undefined) authorizer.authorizerUri = arn;
        else if (authorizer.unresolved.authorizerUri === undefined) this.stack.issue('error', pointer, `authorizer ${key}: a request authorizer needs functionName or functionArn`);
        authorizer.authorizerPayloadFormatVersion = this.#payload(fields, 'payloadVersion') ?? '2.0';
        const simple = fields.boolean('enableSimpleResponses', 'enableSimpleResponses');
        if (simple !== undefined) authorizer.enableSimpleResponses = simple;
        const ttl = fields.number('resultTtlInSeconds', 'authorizerResultTtlInSeconds');
        if (ttl !== undefined) authorizer.authorizerResultTtlInSeconds = ttl;
      } else {
        const issuer = fields.string('issuerUrl', 'jwtConfiguration.issuer');
        const audience = fields.strings('audience', 'jwtConfiguration.audience');
        authorizer.jwtConfiguration = { ...(issuer !== undefined && { issuer }), ...(audience !== undefined && { audience }) };
        if (issuer === undefined && authorizer.unresolved['jwtConfiguration.issuer'] === undefined) this.stack.issue('error', pointer, `authorizer ${key}: a JWT authorizer needs issuerUrl`);
        if (audience === undefined && authorizer.unresolved['jwtConfiguration.audience'] === undefined) this.stack.issue('error', pointer, `authorizer ${key}: a JWT authorizer needs audience`);
      }
      api.authorizers.push(authorizer);
    }
  }

  /** §3.3: `cors: true` or the object form, with the Framework's defaults and auto-filled methods. */
  #readCors(httpApi: Fields | undefined, api: Api, usedMethods: ReadonlySet<string>): void {
    if (!httpApi?.has('cors')) return;
    const raw = httpApi.raw!.cors;
    if (raw === false || raw === undefined || raw === null) return;
    api.fieldSources.corsConfiguration = this.stack.sourceOf(httpApi.pointerOf('cors'));
    const methods = usedMethods.has('ANY') ? ['OPTIONS', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] : ['OPTIONS', ...[...usedMethods].filter((m) => m !== 'OPTIONS').sort()];
    if (raw === true) {
      api.corsConfiguration = { allowOrigins: ['*'], allowHeaders: [...DEFAULT_CORS_HEADERS], allowMethods: methods };
      return;
    }
    const cors = httpApi.block('cors', 'corsConfiguration');
    if (!cors) return;
    const known = new Set(['allowedOrigins', 'allowedHeaders', 'allowedMethods', 'allowCredentials', 'exposedResponseHeaders', 'maxAge']);
    for (const key of cors.keys()) {
      if (!known.has(key)) this.stack.issue('error', cors.pointerOf(key), `unknown CORS setting ${key}`, `provider.httpApi.cors takes ${[...known].join(', ')}`);
    }
    const out: CorsConfiguration = {
      allowOrigins: cors.strings('allowedOrigins', 'allowOrigins') ?? ['*'],
      allowHeaders: cors.strings('allowedHeaders', 'allowHeaders') ?? [...DEFAULT_CORS_HEADERS],
      allowMethods: cors.strings('allowedMethods', 'allowMethods') ?? methods,
    };
    // The Framework writes AllowCredentials only when true.
    if (cors.boolean('allowCredentials', 'allowCredentials') === true) out.allowCredentials = true;
    const expose = cors.strings('exposedResponseHeaders', 'exposeHeaders');
    if (expose !== undefined) out.exposeHeaders = expose;
    const maxAge = cors.number('maxAge', 'maxAge');
    if (maxAge !== undefined) out.maxAge = maxAge;
    api.corsConfiguration = out;
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Unresolved);
}
