import { getHeader, type GatewayRequest } from '@localgw/core';
import { loadOrCreateDevKey, type DevKey } from '@localgw/jwt';
import { join } from 'node:path';
import type { EnvFiles } from './config/env-file.js';
import { validate, type LoadedConfig } from './config/load-config.js';
import type { LoadedProject } from './config/load-project.js';
import { closeGeneration, createGeneration, type Generation } from './generation.js';
import type { ServedApiConfigs } from './managed-apis.js';

/** One API as served: a generation per stage it serves (one for an API read from a file). */
export interface ServedApi {
  readonly apiId: string;
  /** Never empty: an API that serves no stage has the deployment's empty generation (404). */
  readonly stages: readonly Generation[];
  /** False when it serves no stage (never deployed, its endpoint disabled): `stages` is the empty generation. */
  readonly deployed: boolean;
}

/**
 * One version of everything served: a generation per API and stage (a template can declare
 * several APIs, the management API can make more, each served by Host
 * `{apiId}.execute-api.localhost`); the main one is also served at the main URL. Swapped as a
 * whole on reload or on a management change.
 */
export interface Deployment {
  /** The main API's generation (its `$default` stage when it has several). */
  readonly main: Generation;
  readonly mainApi: ServedApi;
  /** Every generation, the main one first (the empty one included when used). */
  readonly all: readonly Generation[];
  readonly apis: readonly ServedApi[];
  readonly byApiId: ReadonlyMap<string, ServedApi>;
  readonly devKey: DevKey | undefined;
  /** One API with one stage: every request goes to `main`, without looking at Host or path. */
  readonly single: boolean;
  /** The project the file APIs came from; undefined when there is no config file. */
  readonly project: LoadedProject | undefined;
}

export interface ComposeOptions {
  /** `--stage`: overrides the stage of the file's APIs while the management API has not changed them. */
  stageOverride: string | undefined;
  devTokens: boolean | undefined;
  env: EnvFiles;
  environment: Record<string, string>;
  /** Where the empty API's relative paths resolve (the project folder, else the working directory). */
  baseDir: string;
}

export async function composeDeployment(project: LoadedProject | undefined, served: readonly ServedApiConfigs[], options: ComposeOptions): Promise<Deployment> {
  const loadedAll = served.flatMap((s) => ('file' in s ? [s.file] : s.stages));
  const devKey = await devKeyFor(project?.main, loadedAll, options.devTokens, options.baseDir);
  const make = (loaded: LoadedConfig, stageOverride: string | undefined) =>
    createGeneration(loaded, { devKey, stageOverride, environment: options.environment, envFiles: options.env.files });
  let empty: Generation | undefined;
  const emptyGeneration = () => (empty ??= make(validate({ routes: {} }, undefined, options.baseDir, []), undefined));
  const apis: ServedApi[] = served.map((s) => {
    // A serverless.yml's --stage is the Framework's stage (`${opt:stage}`), never a path prefix.
    if ('file' in s) return { apiId: s.apiId, stages: [make(s.file, s.file.format === 'serverless' ? undefined : options.stageOverride)], deployed: true };
    // `$default` first: a request outside every named stage goes to it (aws-behavior.md §1.2).
    const stages = s.stages.map((loaded) => make(loaded, undefined)).sort((a, b) => Number(b.model.stage === '$default') - Number(a.model.stage === '$default'));
    return { apiId: s.apiId, stages: stages.length > 0 ? stages : [emptyGeneration()], deployed: stages.length > 0 };
  });
  // The main URL serves the config file's main API; without a file, the first API made that serves anything.
  const mainApi =
    (project ? apis.find((a) => a.apiId === project.main.apiId) : apis.find((a) => a.deployed)) ?? { apiId: '', stages: [emptyGeneration()], deployed: false };
  const ordered = [mainApi, ...apis.filter((a) => a !== mainApi)];
  const all = [...new Set(ordered.flatMap((a) => a.stages))];
  return {
    main: mainApi.stages[0]!,
    mainApi,
    all,
    apis: ordered,
    byApiId: new Map(apis.map((a) => [a.apiId, a])),
    devKey,
    single: all.length === 1 && apis.length <= 1,
    project,
  };
}

const EXECUTE_API_HOST = '.execute-api.localhost';

/**
 * The generation a request is for: the API by Host `{apiId}.execute-api.localhost[:port]`, else
 * the main one; then the stage by the first path segment, else `$default` (aws-behavior.md §1.2).
 * Clients send the same Host on every request, so the last Host's API is kept.
 */
export function createSelector(): (own: Deployment, request: GatewayRequest) => Generation {
  let lastHost: string | undefined;
  let lastApi: ServedApi | undefined;
  let pickedFor: Deployment | undefined;
  return (own, request) => {
    if (own.single) return own.main;
    const host = getHeader(request.rawHeaders, 'host') ?? '';
    let api: ServedApi;
    if (host === lastHost && pickedFor === own) api = lastApi!;
    else {
      const name = host.replace(/:\d+$/, '').toLowerCase();
      const apiId = name.endsWith(EXECUTE_API_HOST) ? name.slice(0, -EXECUTE_API_HOST.length) : undefined;
      api = (apiId !== undefined ? own.byApiId.get(apiId) : undefined) ?? own.mainApi;
      lastHost = host;
      lastApi = api;
      pickedFor = own;
    }
    return api.stages.length === 1 ? api.stages[0]! : stageFor(api.stages, request.rawPath);
  };
}

/** The stage named by the path's first segment, else `$default` (first), else one whose stage prefix then answers 404. */
function stageFor(stages: readonly Generation[], rawPath: string): Generation {
  const end = rawPath.indexOf('/', 1);
  const first = end === -1 ? rawPath.slice(1) : rawPath.slice(1, end);
  return stages.find((g) => g.model.stage === first) ?? stages[0]!;
}

export function closeDeployment(deployment: Deployment): void {
  for (const generation of deployment.all) closeGeneration(generation);
}

/** The file handlers a deployment invokes, as the runtime keys its workers. */
export function handlerTargets(deployment: Deployment) {
  const targets = [];
  for (const target of new Set(deployment.all.flatMap((generation) => [...generation.handlers.values()]))) {
    if (target.ok && typeof target.handler !== 'function') {
      targets.push({ functionName: target.functionName, handler: target.handler, environment: target.environment });
    }
  }
  return targets;
}

/** The dev signing key, when dev tokens are on and some API has a JWT authorizer to trust it. */
async function devKeyFor(main: LoadedConfig | undefined, apis: readonly LoadedConfig[], devTokens: boolean | undefined, baseDir: string): Promise<DevKey | undefined> {
  const wanted = devTokens ?? main?.config.devTokens ?? true;
  if (!wanted || !apis.some((loaded) => Object.values(loaded.config.authorizers).some((a) => a.type === 'jwt'))) return undefined;
  return loadOrCreateDevKey(join(main?.baseDir ?? baseDir, '.localgw'));
}
