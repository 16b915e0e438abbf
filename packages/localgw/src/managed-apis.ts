import type { Api, FunctionOverride, ManagedApi, ManagementState } from '@localgw/formats';
import { fromModel, servedModel, servedSnapshot } from '@localgw/formats/serving';
import type { LoadedConfig } from './config/load-config.js';
import { serveManagedApi, type FunctionCatalog, type LoadedProject } from './config/load-project.js';

/**
 * The management API and the config file describe the same APIs (DESIGN.md, "Decisions for the
 * admin endpoint"): the file's APIs appear in the management state with their own ids, and the
 * management API can change them. A reload that finds the file changed wins: the file's API
 * replaces the management changes to it, and the log says which it replaced. A reload that finds
 * the file's API as it was (a handler was edited) keeps them.
 */
export function syncConfigApis(state: ManagementState, project: LoadedProject | undefined, now: string, warn: (message: string) => void): Map<string, Api> {
  const bases = new Map<string, Api>();
  const fromFile: ManagedApi[] = [];
  for (const loaded of project?.apis ?? []) {
    if (!loaded.model) continue;
    const { managed, model } = fromModel(loaded.model.api, { now, fingerprintExtra: loaded.model.fingerprintExtra });
    bases.set(managed.api.apiId, model);
    const existing = state.apis.find((m) => m.api.apiId === managed.api.apiId);
    if (existing && existing.origin === 'config' && existing.baseline === managed.baseline) {
      fromFile.push(existing);
      continue;
    }
    if (existing) {
      // What the API was known by stays: its creation date and tags are not the file's to say.
      managed.api.createdDate = existing.api.createdDate;
      managed.api.tags = existing.api.tags;
      const replaced = existing.origin === 'management' ? ['the API the management API created with this id'] : existing.changes;
      if (replaced.length > 0) warn(`the config file's API ${managed.api.apiId} replaces management changes to it: ${replaced.join('; ')}`);
    }
    fromFile.push(managed);
  }
  const ids = new Set(fromFile.map((m) => m.api.apiId));
  for (const gone of state.apis.filter((m) => m.origin === 'config' && !ids.has(m.api.apiId))) {
    if (gone.changes.length > 0) warn(`API ${gone.api.apiId} is no longer in the config file; management changes to it are dropped: ${gone.changes.join('; ')}`);
  }
  state.apis = [...fromFile, ...state.apis.filter((m) => m.origin === 'management' && !ids.has(m.api.apiId))];
  return bases;
}

/** What serves one API: the file's own config while the management API has not changed it, else one config per deployed stage. */
export type ServedApiConfigs = { apiId: string; file: LoadedConfig } | { apiId: string; stages: LoadedConfig[] };

/**
 * Every API of the state as configs to serve (aws-behavior.md §1.2): a stage serves the
 * deployment it points at (with its own live variables and route settings); a stage never
 * deployed, or an API whose default endpoint is disabled, serves nothing. Throws LocalgwError
 * when a stage's API is not valid.
 */
export function servedConfigs(
  state: ManagementState,
  project: LoadedProject | undefined,
  bases: ReadonlyMap<string, Api>,
  catalog: FunctionCatalog,
  extraFunctions: Readonly<Record<string, FunctionOverride>>,
): ServedApiConfigs[] {
  const fileApis = new Map((project?.apis ?? []).map((loaded) => [loaded.apiId, loaded]));
  return state.apis.map((managed): ServedApiConfigs => {
    const apiId = managed.api.apiId;
    const file = managed.origin === 'config' ? fileApis.get(apiId) : undefined;
    if (file && managed.changes.length === 0) return { apiId, file };
    const stages: LoadedConfig[] = [];
    for (const stage of managed.stages) {
      const deployment = servedSnapshot(managed, stage);
      if (!deployment || deployment.snapshot.disableExecuteApiEndpoint) continue;
      const api = servedModel(managed, stage, deployment.snapshot, bases.get(apiId));
      stages.push(file?.model ? file.model.serve(api, extraFunctions) : serveManagedApi(api, catalog, extraFunctions));
    }
    return { apiId, stages };
  });
}

/**
 * The file's APIs as `syncConfigApis` would put them in an empty state at `now`, not built yet:
 * the management model of 10,000 routes costs more than serving them (issue 17), and it is
 * needed only once the management API is used (or a reload must compare it with the file's).
 */
export interface DeferredMirror {
  project: LoadedProject;
  /** When the file was read: the dates its APIs get in the management state. */
  now: string;
}

/** Whether the project's APIs may be mirrored later: native configs, whose model is built on demand. */
export function canDefer(project: LoadedProject | undefined): project is LoadedProject {
  return project !== undefined && project.apis.every((loaded) => loaded.format === 'localgw');
}

/**
 * What `servedConfigs` gives for the state `syncConfigApis` would make of `project` in an empty
 * state: every file API served from its file (a native config's model has the file's API id,
 * and the management API has changed nothing).
 */
export function deferredServed(project: LoadedProject): ServedApiConfigs[] {
  return project.apis.map((file) => ({ apiId: file.apiId, file }));
}

/** The mirror built into `state` (an empty one): what syncConfigApis would have made at the time. */
export function buildMirror(state: ManagementState, mirror: DeferredMirror): Map<string, Api> {
  return syncConfigApis(state, mirror.project, mirror.now, () => {});
}

/**
 * A reload read the same file as the deferred mirror's (a handler was edited): the mirror's
 * APIs are then what syncConfigApis would keep (their fingerprints are equal), so it can stay
 * deferred. Only plain data is compared, key order included (it is the routes' order); anything
 * else (an inline function) counts as changed.
 */
export function sameFileApis(before: LoadedProject, after: LoadedProject): boolean {
  if (before.apis.length !== after.apis.length) return false;
  return before.apis.every((a, i) => {
    const b = after.apis[i]!;
    return a.file !== undefined && a.file === b.file && a.baseDir === b.baseDir && a.apiId === b.apiId && a.format === b.format && samePlainData(a.input, b.input);
  });
}

/** Equal JSON-like values (null, booleans, numbers, strings, arrays, plain objects), keys in the same order. */
function samePlainData(a: unknown, b: unknown): boolean {
  if (a === null || typeof a === 'string' || typeof a === 'boolean' || typeof a === 'number') return a === b;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => samePlainData(item, b[i]));
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  return keys.length === other.length && keys.every((key, i) => key === other[i] && samePlainData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.getOwnPropertySymbols(value).length === 0;
}
