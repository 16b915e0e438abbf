import { formatIssue, isNoBodyStatus, isStreamedBody, STAGE_NAME, type StreamedBody, type CompiledRoute, type ConfigIssue, type GatewayRequest, type GatewayResponse, type HandlerFunction, type LocalgwConfig } from '@localgw/core';
import type { Api, FunctionOverride, ManagementState } from '@localgw/formats';
import { badRequest, emptyState, ManagementStore, notFound } from '@localgw/formats/serving';
import { expiresInSeconds, loadOrCreateDevKey, mintToken, type MintOptions } from '@localgw/jwt';
import { createRuntime, type FunctionStats, type HandlerRef, type ModuleGraphEntry, type Runtime } from '@localgw/runtime';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { readStateFile, writeStateFile } from './admin/state-file.js';
import { loadEnvFiles } from './config/env-file.js';
import { labelPath, sourceOfPath } from './config/load-config.js';
import { loadProject, type LoadedProject } from './config/load-project.js';
import { closeDeployment, composeDeployment, createSelector, handlerTargets, type Deployment } from './deployment.js';
import { LocalgwError } from './errors.js';
import type { Generation } from './generation.js';
import { buildMirror, canDefer, deferredServed, sameFileApis, servedConfigs, syncConfigApis, type DeferredMirror, type ServedApiConfigs } from './managed-apis.js';
import { silentLogger, type Logger } from './log.js';
import { Inspector } from './inspector/trace.js';
import { handleRequest, logPath } from './pipeline/handle-request.js';
import { internalError, logRequest } from './pipeline/internal-error.js';
import { fromFetchRequest, isClientAbort } from './pipeline/to-gateway-request.js';

export interface GatewayOptions {
  /**
   * Path to a config file, or the config itself (handlers may then be functions). Absent: the
   * gateway serves only what the management API creates.
   */
  config?: string | LocalgwConfig;
  /**
   * Lambda functions by name, for integrations made through the management API whose
   * `integrationUri` names a function (an ARN or a bare name) that the config does not define.
   */
  functions?: Record<string, string | HandlerFunction | { handler: string | HandlerFunction; environment?: Record<string, string> }>;
  /** A file the management API's state is kept in across restarts (`--state`). Default: in memory only. */
  stateFile?: string;
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
  /**
   * @internal set by `localgw start`: boot a worker for no function yet while the gateway
   * starts, so the first request's cold start skips the thread's start (`Runtime.prepareSpare`).
   */
  spareWorker?: boolean;
}

/** One API of the gateway, for the route table. */
export interface GatewayApi {
  apiId: string;
  /** The name in the file (a template API's `Name`, else its logical id); undefined for a localgw config. */
  name: string | undefined;
  logicalId: string | undefined;
  /** Served at the main URL (every API is also served at Host `{apiId}.execute-api.localhost`). */
  main: boolean;
  /** The stage the table shows, and the others it serves (a management API may have several). */
  stage: string;
  stages: readonly string[];
  /** Made through the management API, rather than read from the config file. */
  managed: boolean;
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
  /**
   * A handler file is changing and `reload()` will follow: start the workers it needs now, so
   * their start overlaps the wait for the writes to end (`Runtime.prepareReload`; `changed`:
   * absolute paths, to start only those of the functions that load one of them).
   */
  prepareReload(changed?: readonly string[]): void;
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
  /** @internal the management API's view of the gateway, for the admin server. */
  readonly management: GatewayManagement;
  /** @internal the request inspector's store (the admin server shows it). */
  readonly inspector: Inspector;
  /** @internal the functions with warm workers, for the inspector. */
  functions(): FunctionStats[];
}

/** What the admin server does to the gateway: read and change the management state, serve its changes. */
export interface GatewayManagement {
  /** Runs a read-only operation on the current state. */
  read<T>(operation: (store: ManagementStore) => T): T;
  /**
   * Runs a changing operation on a copy of the state and serves the result: the copy replaces
   * the state only when every API of it is valid, else the change is refused (BadRequestException).
   */
  change<T>(operation: (store: ManagementStore) => T): Promise<T>;
  /** Served at the main URL (as well as by Host). */
  isMain(apiId: string): boolean;
  /** ResetAuthorizersCache: forget the cached answers of the stage's Lambda authorizers. */
  resetAuthorizersCache(apiId: string, stageName: string): void;
  /** The state, as a copy. */
  state(): ManagementState;
  /**
   * What one stage of an API serves, as a native config (`localgw export --from`, `--state`):
   * of `apiId`, else the main API; of `stageName`, else its `$default` (or only) stage.
   */
  servedConfig(apiId?: string, stageName?: string): ServedConfig;
}

export interface ServedConfig {
  apiId: string;
  name: string;
  stage: string;
  /** The config the stage is served from (before defaults), as `localgw export` writes it. */
  config: unknown;
}

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
  // The management API's state: read from --state FILE when there is one, then the file's APIs put in it.
  let state: ManagementState = (options.stateFile === undefined ? undefined : readStateFile(resolve(cwd, options.stateFile))) ?? emptyState();
  let bases = new Map<string, Api>();
  let project: LoadedProject | undefined;
  const extraFunctions = functionOverrides(options.functions);
  const storeDeps = { newId: randomId, now: () => new Date() };

  const readNow = () => storeDeps.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  /** Reads the config file (throws LocalgwError). */
  const readFile = () => (options.config === undefined ? Promise.resolve(undefined) : readProject(options, cwd));
  /** Puts the project's APIs in `into`. */
  const sync = (into: ManagementState, read: LoadedProject | undefined) => ({ project: read, bases: syncConfigApis(into, read, readNow(), (m) => logger.warn(m)) });

  // The management state's copy of the file's APIs, while nothing has needed it yet (issue 17):
  // set while the state holds nothing else, i.e. without a state file, until the management API
  // is used or a reload reads a changed file. `state` is then empty, and `mirrored()` fills it in.
  let deferred: DeferredMirror | undefined;
  /** The state, the file's APIs in it. */
  function mirrored(): ManagementState {
    if (deferred) {
      bases = buildMirror(state, deferred);
      deferred = undefined;
    }
    return state;
  }

  /** What `state` serves, with `project`'s files (throws LocalgwError when an API is not valid). */
  function compose(next: ManagementState, sources: { project: LoadedProject | undefined; bases: Map<string, Api> }): Promise<Deployment> {
    const catalog = sources.project?.catalog ?? { baseDir: cwd, functions: [], overrides: {} };
    return composeServed(sources.project, servedConfigs(next, sources.project, sources.bases, catalog, extraFunctions));
  }

  /** What `served` says, with `project`'s files. */
  function composeServed(project: LoadedProject | undefined, served: ServedApiConfigs[]): Promise<Deployment> {
    const baseDir = project?.main.baseDir ?? cwd;
    const env = loadEnvFiles(baseDir, options.envFile, cwd);
    return composeDeployment(project, served, {
      stageOverride: options.stage,
      devTokens: options.devTokens,
      env,
      environment: { ...env.values, ...options.env },
      baseDir,
    });
  }

  const inspector = new Inspector(options.inspectorCapacity);
  const moduleListeners = new Set<(files: readonly string[]) => void>();
  const runtime: Runtime = createRuntime({
    // Tagged in the runtime with the route of the invocation that printed it: routes share functions.
    onLog: (entry) => {
      logger.handler(entry);
      inspector.log(entry.requestId, entry.level, entry.text);
    },
    ...(options.trackModules && {
      onModules: (entry: ModuleGraphEntry) => {
        for (const listener of moduleListeners) listener(entry.files);
      },
    }),
  });
  // Before the config is read: the spare worker boots while the gateway reads and compiles it.
  if (options.spareWorker) runtime.prepareSpare();
  let deployment: Deployment;
  try {
    const read = await readFile();
    if (options.stateFile === undefined && canDefer(read)) {
      project = read;
      deferred = { project: read, now: readNow() };
      deployment = await composeServed(read, deferredServed(read));
    } else {
      const initial = sync(state, read);
      project = initial.project;
      bases = initial.bases;
      // Written with the first change: a gateway that only reads the state (localgw export --state) never writes it.
      deployment = await compose(state, initial);
    }
  } catch (error) {
    // A config that cannot be served leaves no worker behind.
    await runtime.close();
    throw error;
  }
  // The config's idle settings, now that it is read.
  runtime.setIdleTimeout(idleTimeoutMsOf(deployment.main));
  runtime.setMaxIdleWorkers(deployment.main.model.config.maxIdleWorkers);
  let closed = false;
  // Reloads and management changes, one at a time: each starts from what the one before left.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const select = createSelector();

  function persist(): void {
    if (options.stateFile !== undefined) writeStateFile(resolve(cwd, options.stateFile), state);
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

  /** Serves `next` in place of the current deployment; requests already running finish on theirs. */
  async function swap(next: Deployment, reloadHandlers: boolean): Promise<void> {
    const previous = deployment;
    // Fresh workers first, then swap: requests already running finish on what they started with.
    if (reloadHandlers) await runtime.reload();
    else runtime.retain(handlerTargets(next));
    runtime.setIdleTimeout(idleTimeoutMsOf(next.main));
    runtime.setMaxIdleWorkers(next.main.model.config.maxIdleWorkers);
    deployment = next;
    retire(previous);
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
      const read = await readFile();
      if (deferred && canDefer(read) && sameFileApis(deferred.project, read)) {
        // syncConfigApis would keep the file's APIs as they are: the mirror stays deferred, dated as it was.
        const next = await composeServed(read, deferredServed(read));
        await swap(next, reloadHandlers);
        deferred = { project: read, now: deferred.now };
        project = read;
        return { ok: true, durationMs: performance.now() - started };
      }
      const draft = structuredClone(mirrored());
      const sources = sync(draft, read);
      const next = await compose(draft, sources);
      await swap(next, reloadHandlers);
      state = draft;
      project = sources.project;
      bases = sources.bases;
      persist();
      return { ok: true, durationMs: performance.now() - started };
    } catch (error) {
      const wrapped = error instanceof LocalgwError ? error : new LocalgwError('ERR_CONFIG_PARSE', (error as Error).message, { cause: error });
      return { ok: false, error: wrapped, durationMs: performance.now() - started };
    }
  }

  const management: GatewayManagement = {
    read: (operation) => operation(new ManagementStore(mirrored(), storeDeps)),
    change: (operation) =>
      serially(async () => {
        const draft = structuredClone(mirrored());
        const result = operation(new ManagementStore(draft, storeDeps));
        let next: Deployment;
        try {
          next = await compose(draft, { project, bases });
        } catch (error) {
          if (error instanceof LocalgwError) throw badRequestFrom(error);
          throw error;
        }
        const before = new Set(warningsOf(deployment).map(formatIssue));
        await swap(next, false);
        state = draft;
        persist();
        for (const warning of warningsOf(next)) if (!before.has(formatIssue(warning))) logger.warn(`warning: ${formatIssue(warning)}`);
        return result;
      }),
    isMain: (apiId) => deployment.mainApi.apiId === apiId,
    resetAuthorizersCache(apiId, stageName) {
      const served = deployment.byApiId.get(apiId);
      for (const generation of served?.stages ?? []) {
        if (generation.model.stage !== stageName) continue;
        for (const authorizer of generation.authorizers.values()) if (authorizer.kind === 'request') authorizer.clearCache();
      }
    },
    state: () => structuredClone(mirrored()),
    servedConfig(apiId, stageName) {
      const served = apiId === undefined ? deployment.mainApi : deployment.byApiId.get(apiId);
      const managed = mirrored().apis.find((m) => m.api.apiId === (apiId ?? served?.apiId));
      if (!served || !managed) throw notFound('API', apiId ?? '(none: the gateway serves no API)');
      const generation = stageName === undefined ? served.stages[0] : served.stages.find((g) => g.model.stage === stageName);
      if (!generation || !served.deployed) throw notFound('Stage', stageName ?? '$default');
      return { apiId: managed.api.apiId, name: managed.api.name, stage: generation.model.stage, config: generation.loaded.input };
    },
  };

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
    prepareReload: (changed) => runtime.prepareReload(changed),
    reload(reloadOptions = {}) {
      // Reloads are serialized (with management changes): each waits for the one before it.
      return serially(() => doReload(reloadOptions.handlers ?? true));
    },
    routes: () => deployment.main.model.matcher.routes.map((r) => r.target),
    apis: () =>
      deployment.apis.map((served) => {
        const generation = served.stages[0]!;
        return {
          apiId: served.apiId || generation.apiId,
          name: generation.loaded.format === 'localgw' ? undefined : generation.loaded.imported?.name,
          logicalId: generation.loaded.imported?.logicalId,
          main: served === deployment.mainApi,
          stage: generation.model.stage,
          stages: served.stages.map((g) => g.model.stage),
          managed: generation.loaded.format === 'management',
          routes: generation.model.matcher.routes.map((r) => r.target),
          sourceOf: (routeKey: string) => sourceOfPath(generation.loaded, ['routes', routeKey]),
        };
      }),
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
    warnings: () => warningsOf(deployment),
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
    management,
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

function warningsOf(deployment: Deployment): ConfigIssue[] {
  return dedupeIssues(deployment.all.flatMap((g) => [...g.loaded.warnings, ...g.handlerIssues]));
}

/** Reads the config file, template or CDK app; throws LocalgwError. */
function readProject(options: GatewayOptions, cwd: string): Promise<LoadedProject> {
  return loadProject(options.config!, cwd, {
    parameterOverrides: options.parameterOverrides,
    api: options.api,
    stage: options.stage,
    envVars: options.envVars === undefined ? undefined : resolve(cwd, options.envVars),
  });
}

/** The `functions` option as the overrides a Lambda URI is looked up in. */
function functionOverrides(functions: GatewayOptions['functions']): Record<string, FunctionOverride> {
  const out: Record<string, FunctionOverride> = {};
  for (const [name, value] of Object.entries(functions ?? {})) {
    out[name] = typeof value === 'string' || typeof value === 'function' ? { handler: value } : { handler: value.handler, ...(value.environment && { environment: value.environment }) };
  }
  return out;
}

/** A management change the gateway cannot serve is refused, with what is wrong, as AWS refuses an invalid one. */
function badRequestFrom(error: LocalgwError): Error {
  const issues = error.details.issues?.map((issue) => formatIssue(issue)).join('; ');
  return badRequest(issues ? `${error.message}: ${issues}` : error.message);
}

/** 10 characters for an API, 7 for a route: AWS's ids are lower-case letters and digits. */
function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (const byte of randomBytes(length)) out += alphabet[byte % alphabet.length];
  return out;
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
