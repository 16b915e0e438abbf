import { formatIssue, getHeader, isNoBodyStatus, isStreamedBody, STAGE_NAME, type StreamedBody, type CompiledRoute, type ConfigIssue, type GatewayRequest, type GatewayResponse, type LocalgwConfig } from '@localgw/core';
import { expiresInSeconds, loadOrCreateDevKey, mintToken, type DevKey, type MintOptions } from '@localgw/jwt';
import { createRuntime, type FunctionStats, type HandlerRef, type ModuleGraphEntry, type Runtime } from '@localgw/runtime';
import { join, resolve } from 'node:path';
import { loadEnvFiles } from './config/env-file.js';
import { labelPath, sourceOfPath, type LoadedConfig } from './config/load-config.js';
import { loadProject } from './config/load-project.js';
import { LocalgwError } from './errors.js';
import { closeGeneration, createGeneration, type Generation } from './generation.js';
import { silentLogger, type Logger } from './log.js';
import { Inspector } from './inspector/trace.js';
import { handleRequest, logPath } from './pipeline/handle-request.js';
import { internalError, logRequest } from './pipeline/internal-error.js';
import { fromFetchRequest, isClientAbort } from './pipeline/to-gateway-request.js';

export interface GatewayOptions {
  /** Path to a config file, or the config itself (handlers may then be functions). */
  config: string | LocalgwConfig;
  /** Directory that relative paths resolve from. Default: `process.cwd()`. */
  cwd?: string;
  /** Overrides the config's `stage`. */
  stage?: string;
  /** Where localgw prints. Default for the programmatic API: silent. */
  logger?: Logger;
  /** Trust the local dev signing key in JWT authorizers. Default: the config's `devTokens` (true). */
  devTokens?: boolean;
  /** Extra environment variables for every handler (a route's `environment` wins). */
  env?: Record<string, string>;
  /** A dotenv file for the handlers, on top of the `.env` next to the config (read when present). */
  envFile?: string;
  /**
   * Seconds a handler worker may stay idle before it is stopped; 0: never. Overrides the config's
   * `idleTimeout` (default 300).
   */
  idleTimeout?: number;
  /** Template parameters (`--parameter-overrides`), pseudo parameters (`AWS::Region`) included. */
  parameterOverrides?: Record<string, string>;
  /** The template API served at the main URL (its logical id); default: the first declared. */
  api?: string;
  /** SAM CLI's `--env-vars` JSON file: `{"Parameters": {…}, "FunctionLogicalId": {…}}`. */
  envVars?: string;
  /** How many recent requests the request inspector keeps. Default 200. */
  inspectorCapacity?: number;
  /** @internal set by startGateway when watching: workers report the modules they load. */
  trackModules?: boolean;
}

/** One API of the gateway, for the route table. */
export interface GatewayApi {
  apiId: string;
  /** The name in the file (a template API's `Name`, else its logical id); undefined for a localgw config. */
  name: string | undefined;
  logicalId: string | undefined;
  /** Served at the main URL (every API is also served at Host `{apiId}.execute-api.localhost`). */
  main: boolean;
  routes: readonly CompiledRoute[];
  /** `template.yaml:42` for a route key, when the API comes from a template. */
  sourceOf(routeKey: string): string | undefined;
}

export interface TokenOptions {
  /** The JWT authorizer whose issuer and audience the token gets. Default: the only one. */
  authorizer?: string;
  /** The template API whose authorizer it is (its logical id); default: the main one. */
  api?: string;
  sub?: string;
  /** Space-separated scopes (`scope` claim). */
  scope?: string;
  claims?: Record<string, unknown>;
  /** `'1h'`, `'15m'`, or seconds. Default 1 hour. */
  expiresIn?: string | number;
  /** Shape the token like a common issuer's (`'cognito-access'`: client_id, token_use, no aud). */
  preset?: MintOptions['preset'];
}

export interface ReloadResult {
  ok: boolean;
  /** Why the reload was refused; the previous version keeps serving. */
  error?: LocalgwError;
  durationMs: number;
}

/** The gateway without a socket: the full pipeline behind a fetch-style function. */
export interface Gateway {
  /** Runs a request through the whole pipeline (routing, CORS, JWT, handlers). */
  fetch(request: Request): Promise<Response>;
  /** Mints a JWT that the named authorizer accepts, signed by the local dev key. */
  token(options?: TokenOptions): Promise<string>;
  /**
   * Re-reads the config and starts fresh handler workers; keeps the last good version on error.
   * `{ handlers: false }` keeps the running workers: for a change that touched no handler code
   * (the config, a .env), since workers are keyed by file, export and environment anyway.
   */
  reload(options?: { handlers?: boolean }): Promise<ReloadResult>;
  /** Routes of the main API in match order. */
  routes(): readonly CompiledRoute[];
  /** Every API (a template may have several), the main one first. */
  apis(): readonly GatewayApi[];
  /** Config warnings (known traps) and handler files that do not resolve. */
  warnings(): readonly ConfigIssue[];
  /** Loads every file handler in a throwaway worker: syntax errors, missing exports. */
  verifyHandlers(): Promise<ConfigIssue[]>;
  /** Stops every worker. Idempotent. */
  close(): Promise<void>;
  /** @internal used by the HTTP server. */
  handle(request: GatewayRequest): Promise<GatewayResponse>;
  /** @internal the main API's generation. */
  readonly current: Generation;
  /** @internal every API's generation, the main one first. */
  generations(): readonly Generation[];
  /** @internal */
  readonly logger: Logger;
  /** @internal the files each handler worker loaded (its module graph), for the watcher. */
  onHandlerModules(listener: (files: readonly string[]) => void): () => void;
  /** @internal the request inspector's store (the admin server shows it). */
  readonly inspector: Inspector;
  /** @internal the functions with warm workers, for the inspector. */
  functions(): FunctionStats[];
}

/**
 * One loaded version of the project: a generation per API (a template can declare several,
 * served separately, never merged), the main one served at the main URL and each also by Host
 * `{apiId}.execute-api.localhost`. Swapped as a whole on reload.
 */
interface Deployment {
  readonly main: Generation;
  readonly all: readonly Generation[];
  readonly byApiId: ReadonlyMap<string, Generation>;
  readonly devKey: DevKey | undefined;
}

const EXECUTE_API_HOST = '.execute-api.localhost';

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const cwd = options.cwd ?? process.cwd();
  const logger = options.logger ?? silentLogger;
  // A number would pass the pattern (test() stringifies it) and then match no request path.
  if (options.stage !== undefined && (typeof options.stage !== 'string' || !STAGE_NAME.test(options.stage))) {
    const shown = typeof options.stage === 'string' ? `"${options.stage}"` : `${String(options.stage)} (a ${typeof options.stage})`;
    throw new LocalgwError('ERR_USAGE', `stage ${shown}: a stage name is a string, "$default" or 1 to 128 letters, digits, "-" and "_"`);
  }
  const { idleTimeout } = options;
  if (idleTimeout !== undefined && !(typeof idleTimeout === 'number' && idleTimeout >= 0)) {
    throw new LocalgwError('ERR_USAGE', `idleTimeout: seconds a handler worker may stay idle, 0 (never stopped) or more; got ${String(idleTimeout)}`);
  }
  const idleTimeoutMsOf = (g: Generation) => (idleTimeout === undefined ? g.model.config.idleTimeoutMs : Math.round(idleTimeout * 1000));
  let deployment = await buildDeployment(options, cwd);
  const inspector = new Inspector(options.inspectorCapacity);
  const moduleListeners = new Set<(files: readonly string[]) => void>();
  const runtime: Runtime = createRuntime({
    // Tagged in the runtime with the route of the invocation that printed it: routes share functions.
    onLog: (entry) => {
      logger.handler(entry);
      inspector.log(entry.requestId, entry.level, entry.text);
    },
    idleTimeoutMs: idleTimeoutMsOf(deployment.main),
    ...(options.trackModules && {
      onModules: (entry: ModuleGraphEntry) => {
        for (const listener of moduleListeners) listener(entry.files);
      },
    }),
  });
  let closed = false;
  let reloading: Promise<ReloadResult> | undefined;

  // The API a request is for: by Host `{apiId}.execute-api.localhost[:port]`, else the main one.
  // Clients send the same Host on every request, so the last answer is kept (per deployment).
  let lastHost: string | undefined;
  let lastPick: Generation | undefined;
  let pickedFor: Deployment | undefined;
  function select(own: Deployment, request: GatewayRequest): Generation {
    if (own.all.length === 1) return own.main;
    const host = getHeader(request.rawHeaders, 'host') ?? '';
    if (host === lastHost && pickedFor === own) return lastPick!;
    const name = host.replace(/:\d+$/, '').toLowerCase();
    const apiId = name.endsWith(EXECUTE_API_HOST) ? name.slice(0, -EXECUTE_API_HOST.length) : undefined;
    lastHost = host;
    pickedFor = own;
    lastPick = (apiId !== undefined ? own.byApiId.get(apiId) : undefined) ?? own.main;
    return lastPick;
  }

  // Requests in flight: a replaced deployment's authorizers (key-set fetches, agents) are closed
  // only once the last request that started on it has finished. The current deployment's are
  // a plain count (this runs for every request); a replaced one's count moves to `retired`.
  let inFlight = 0;
  const retired = new Map<Deployment, number>();
  const deps = { runtime, logger, inspector };

  /**
   * The top of the request path, for the server and `fetch` alike: never rejects. Whatever the
   * pipeline throws is answered 500 with `apigw-requestid` and logged (internalError).
   */
  async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    const own = deployment;
    inFlight++;
    try {
      const { response, log, trace } = await handleRequest(select(own, request), deps, request);
      logRequest(logger, log);
      inspector.record(log, request.timeEpoch, trace);
      return response;
    } catch (error) {
      // The client went away while its body was read: nobody is left to answer (the server drops the connection).
      if (error instanceof Error && isClientAbort(error)) throw error;
      return internalError(logger, error, { method: request.method, path: logPath(request), requestId: request.requestId, timeEpoch: request.timeEpoch });
    } finally {
      if (own === deployment) inFlight--;
      else {
        const left = retired.get(own)! - 1;
        if (left > 0) retired.set(own, left);
        else {
          retired.delete(own);
          closeDeployment(own);
          // Its last requests may have recreated workers the current config dropped.
          runtime.retain(handlerTargets(deployment));
        }
      }
    }
  }

  /** `previous` was just replaced: close it now, or when its last request has finished. */
  function retire(previous: Deployment): void {
    if (inFlight > 0) retired.set(previous, inFlight);
    else closeDeployment(previous);
    inFlight = 0;
  }

  async function doReload(reloadHandlers: boolean): Promise<ReloadResult> {
    const result = await reloadNow(reloadHandlers);
    inspector.reloaded({
      time: Date.now(),
      ok: result.ok,
      durationMs: result.durationMs,
      reason: reloadHandlers ? 'config and handlers' : 'config',
      ...(result.error && { error: result.error.message }),
    });
    return result;
  }

  async function reloadNow(reloadHandlers: boolean): Promise<ReloadResult> {
    const started = performance.now();
    try {
      const next = await buildDeployment(options, cwd);
      const previous = deployment;
      // Fresh workers first, then swap: requests already running finish on what they started with.
      if (reloadHandlers) await runtime.reload();
      else runtime.retain(handlerTargets(next));
      runtime.setIdleTimeout(idleTimeoutMsOf(next.main));
      deployment = next;
      retire(previous);
      return { ok: true, durationMs: performance.now() - started };
    } catch (error) {
      const wrapped = error instanceof LocalgwError ? error : new LocalgwError('ERR_CONFIG_PARSE', (error as Error).message, { cause: error });
      return { ok: false, error: wrapped, durationMs: performance.now() - started };
    }
  }

  const gateway: Gateway = {
    async fetch(request) {
      return toFetchResponse(await handle(await fromFetchRequest(request)), request.method);
    },
    async token(tokenOptions = {}) {
      const generation = tokenApi(deployment, tokenOptions.api);
      const all = generation.model.config.authorizers;
      const names = Object.keys(all).filter((n) => all[n]!.type === 'jwt');
      const asked = tokenOptions.authorizer;
      // A template's authorizer may be asked for by its logical id when it has a Name.
      const name = asked === undefined ? (names.length === 1 ? names[0] : undefined) : Object.hasOwn(all, asked) ? asked : (generation.loaded.imported?.authorizerAliases[asked] ?? asked);
      if (name === undefined) {
        throw new LocalgwError('ERR_AUTHORIZER_UNKNOWN', names.length ? `Several JWT authorizers (${names.join(', ')}): say which one with { authorizer: NAME }` : 'The config has no JWT authorizer to mint a token for');
      }
      // Own keys only: `authorizers.constructor` is Object, not an authorizer.
      const authorizer = Object.hasOwn(all, name) ? all[name] : undefined;
      if (!authorizer) throw new LocalgwError('ERR_AUTHORIZER_UNKNOWN', `No authorizer named "${name}" (JWT authorizers: ${names.join(', ') || 'none'})`);
      if (authorizer.type !== 'jwt') {
        throw new LocalgwError('ERR_AUTHORIZER_UNKNOWN', `Authorizer "${name}" is a Lambda REQUEST authorizer: its own handler decides, so there is no token to mint (JWT authorizers: ${names.join(', ') || 'none'})`);
      }
      if (tokenOptions.expiresIn !== undefined && expiresInSeconds(tokenOptions.expiresIn) === undefined) {
        throw new LocalgwError('ERR_USAGE', `token(): expiresIn ${JSON.stringify(tokenOptions.expiresIn)} is not a positive duration (seconds, or e.g. "15m", "1h", "7d")`);
      }
      const key = deployment.devKey ?? (await loadOrCreateDevKey(join(deployment.main.loaded.baseDir, '.localgw')));
      return mintToken(key, {
        issuer: authorizer.issuer,
        audience: authorizer.audience[0],
        sub: tokenOptions.sub,
        scope: tokenOptions.scope,
        claims: tokenOptions.claims,
        expiresIn: tokenOptions.expiresIn,
        preset: tokenOptions.preset,
      });
    },
    reload(reloadOptions = {}) {
      // Reloads are serialized: each waits for the one before it.
      const next = () => doReload(reloadOptions.handlers ?? true);
      const run = (reloading ?? Promise.resolve()).then(next, next);
      reloading = run;
      return run;
    },
    routes: () => deployment.main.model.matcher.routes.map((r) => r.target),
    apis: () =>
      deployment.all.map((generation) => ({
        apiId: generation.apiId,
        name: generation.loaded.imported?.name,
        logicalId: generation.loaded.imported?.logicalId,
        main: generation === deployment.main,
        routes: generation.model.matcher.routes.map((r) => r.target),
        sourceOf: (routeKey: string) => sourceOfPath(generation.loaded, ['routes', routeKey]),
      })),
    async verifyHandlers() {
      // One entry per function (routes share them); the runtime loads each file and export once.
      // Lambda REQUEST authorizers are functions too.
      const pathsOf = new Map<HandlerRef, string[]>();
      const add = (handler: HandlerRef, path: string) => {
        const paths = pathsOf.get(handler);
        if (paths) paths.push(path);
        else pathsOf.set(handler, [path]);
      };
      // Every API's (a template may declare several), each path with where the template writes it.
      for (const generation of deployment.all) {
        for (const [route, target] of generation.handlers) {
          if (target.ok && typeof target.handler !== 'function') add(target.handler, labelPath(generation.loaded, ['routes', route.routeKey, 'handler']));
        }
        for (const [name, authorizer] of generation.authorizers) {
          if (authorizer.kind === 'request' && authorizer.target.ok && typeof authorizer.target.handler !== 'function') {
            add(authorizer.target.handler, labelPath(generation.loaded, ['authorizers', name, 'handler']));
          }
        }
      }
      const problems = await runtime.verify([...pathsOf.keys()]);
      return problems.flatMap((p) => pathsOf.get(p.handler)!.map((path) => ({ path, message: p.message, severity: 'error' as const })));
    },
    warnings: () => dedupeIssues(deployment.all.flatMap((g) => [...g.loaded.warnings, ...g.handlerIssues])),
    async close() {
      if (closed) return;
      closed = true;
      closeDeployment(deployment);
      for (const previous of retired.keys()) closeDeployment(previous);
      retired.clear();
      await runtime.close();
    },
    handle,
    onHandlerModules(listener) {
      moduleListeners.add(listener);
      return () => moduleListeners.delete(listener);
    },
    get current() {
      return deployment.main;
    },
    generations: () => deployment.all,
    logger,
    inspector,
    functions: () => runtime.stats(),
  };
  return gateway;
}

function tokenApi(deployment: Deployment, api: string | undefined): Generation {
  if (api === undefined) return deployment.main;
  const found = deployment.all.find((g) => g.loaded.imported?.logicalId === api || g.apiId === api || g.loaded.imported?.name === api);
  if (!found) throw new LocalgwError('ERR_USAGE', `--api ${api}: no such API (APIs: ${deployment.all.map((g) => g.loaded.imported?.logicalId ?? g.apiId).join(', ')})`);
  return found;
}

function dedupeIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.severity} ${formatIssue(issue)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function closeDeployment(deployment: Deployment): void {
  for (const generation of deployment.all) closeGeneration(generation);
}

/** Everything a version of the project needs, read from disk; throws LocalgwError when invalid. */
async function buildDeployment(options: GatewayOptions, cwd: string): Promise<Deployment> {
  const project = await loadProject(options.config, cwd, {
    parameterOverrides: options.parameterOverrides,
    api: options.api,
    stage: options.stage,
    envVars: options.envVars === undefined ? undefined : resolve(cwd, options.envVars),
  });
  const env = loadEnvFiles(project.main.baseDir, options.envFile, cwd);
  const devKey = await devKeyFor(project.apis, options);
  const environment = { ...env.values, ...options.env };
  // A serverless.yml's --stage is the Framework's stage (`${opt:stage}`), never a path prefix.
  const all = project.apis.map((loaded) => createGeneration(loaded, { devKey, stageOverride: loaded.format === 'serverless' ? undefined : options.stage, environment, envFiles: env.files }));
  return { main: all[0]!, all, byApiId: new Map(all.map((g) => [g.apiId, g])), devKey };
}

/** The file handlers a deployment invokes, as the runtime keys its workers. */
function handlerTargets(deployment: Deployment) {
  const targets = [];
  for (const target of new Set(deployment.all.flatMap((generation) => [...generation.handlers.values()]))) {
    if (target.ok && typeof target.handler !== 'function') {
      targets.push({ functionName: target.functionName, handler: target.handler, environment: target.environment });
    }
  }
  return targets;
}

async function devKeyFor(apis: readonly LoadedConfig[], options: GatewayOptions): Promise<DevKey | undefined> {
  const main = apis[0]!;
  const wanted = options.devTokens ?? main.config.devTokens;
  if (!wanted || !apis.some((loaded) => Object.values(loaded.config.authorizers).some((a) => a.type === 'jwt'))) return undefined;
  return loadOrCreateDevKey(join(main.baseDir, '.localgw'));
}

export function toFetchResponse(response: GatewayResponse, method: string): Response {
  const headers = new Headers();
  for (const [name, value] of response.headers) headers.append(name, value);
  const noBody = method === 'HEAD' || isNoBodyStatus(response.statusCode);
  const { body } = response;
  if (isStreamedBody(body)) {
    if (noBody) body.cancel();
    return new Response(noBody ? null : streamOf(body), { status: response.statusCode, headers });
  }
  return new Response(noBody ? null : (body as ConstructorParameters<typeof Response>[0]), { status: response.statusCode, headers });
}


/** A streamed body as a fetch body: its head, then the rest as it arrives; cancelling stops the backend read. */
function streamOf(body: StreamedBody): ReadableStream<Uint8Array> {
  const rest = body.rest[Symbol.asyncIterator]();
  let headSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headSent) {
        headSent = true;
        controller.enqueue(body.head);
        return;
      }
      const next = await rest.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel() {
      body.cancel();
    },
  });
}
