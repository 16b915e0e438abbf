import type { ConfigIssue } from '@localgw/core';
import type { Api, FunctionOverride, LambdaFunction } from '@localgw/formats';
import { toLocalgwConfig } from '@localgw/formats/serving';
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { LocalgwError } from '../errors.js';
import { CONFIG_FILE_NAMES, findConfigFile, findImportable, IMPORTABLE_NAMES, isDirectory, isFile } from './find-config.js';
import type { Overlay } from './import-project.js';
import { loadConfig, readConfigFile, serveImported, validate, type LoadedConfig } from './load-config.js';

export interface ProjectOptions {
  /** `--parameter-overrides`: template parameter (or pseudo parameter) → value. */
  parameterOverrides?: Readonly<Record<string, string>>;
  /** `--api`: the logical id (or id, or name) of the API served at the main URL. Default: the first declared. */
  api?: string;
  /** `--stage`: the stage to serve when an API has several; for serverless.yml, `${opt:stage}`. */
  stage?: string;
  /** `--env-vars`: SAM CLI's JSON file (`{"Parameters": {…}, "FunctionLogicalId": {…}}`). */
  envVars?: string;
}

/** Every API a config file (or template, or CDK app) describes; `main` is served at the main URL. */
export interface LoadedProject {
  main: LoadedConfig;
  /** In declaration order, `main` included. */
  apis: LoadedConfig[];
  /** The project's Lambda functions, for the integrations of APIs the management API creates. */
  catalog: FunctionCatalog;
}

/** Where a Lambda URI's function is looked up (config-formats.md §6.7, DESIGN.md "admin endpoint"). */
export interface FunctionCatalog {
  /** Folder handler paths are relative to. */
  baseDir: string;
  /** A template's functions. */
  functions: readonly LambdaFunction[];
  /** Handlers by function name: a config's `functions`, its routes' functions, a beside config's `functions`. */
  overrides: Readonly<Record<string, FunctionOverride>>;
  codeDir?(fn: LambdaFunction): string | undefined;
}

/**
 * An API the management API created, as a config to serve: its Lambda URIs resolved against the
 * project's functions; throws LocalgwError when it is not valid.
 */
export function serveManagedApi(api: Api, catalog: FunctionCatalog, extraFunctions: Readonly<Record<string, FunctionOverride>>): LoadedConfig {
  const imported = toLocalgwConfig(api, catalog.functions, {
    functions: { ...extraFunctions, ...catalog.overrides },
    ...(catalog.codeDir && { codeDir: catalog.codeDir }),
    definition: 'project',
    mapWhere: 'the localgw config (or the functions option of startGateway), or use a FILE.EXPORT handler path as the integration URI',
  });
  return serveImported({ file: undefined, baseDir: catalog.baseDir, dependencies: [], apiId: api.apiId, format: 'management' }, imported, imported.config);
}

/**
 * Reads what `--config` (or detection) names: a `localgw.config.*`, a SAM or CloudFormation
 * template, a CDK cloud assembly (`cdk.out/`, or a template inside it), a Serverless Framework
 * `serverless.{yml,yaml,ts,json}` or an OpenAPI document. A `localgw.config.*` without `routes`
 * beside one of them adds to it (local JWKS, dev tokens, handler overrides, a stage).
 * Throws LocalgwError.
 */
export async function loadProject(source: string | object, cwd: string = process.cwd(), options: ProjectOptions = {}): Promise<LoadedProject> {
  if (typeof source !== 'string') return single(await loadConfig(source, cwd));
  const target = await locate(resolve(cwd, source));
  if (target.kind === 'localgw') {
    const { value, dependencies } = target.json ?? (await readConfigFile(target.file));
    const beside = isOverlay(value) ? findImportable(dirname(target.file)) : undefined;
    if (beside === undefined) return single(validate(value, target.file, dirname(target.file), dependencies));
    return importProject((await locate(beside)) as ImportTarget, { file: target.file, value: value as Record<string, unknown>, dependencies }, options);
  }
  let overlay: Overlay | undefined;
  let overlayWarning: ConfigIssue | undefined;
  const besideFile = findConfigFile(target.projectDir);
  if (besideFile) {
    const { value, dependencies } = await readConfigFile(besideFile);
    if (isOverlay(value)) overlay = { file: besideFile, value: value as Record<string, unknown>, dependencies };
    else {
      overlayWarning = {
        path: relativeTo(target.projectDir, besideFile),
        message: 'has "routes", so it is a config of its own, not additions to the template; it is ignored here',
        hint: `remove "routes" from it to add to ${relativeTo(target.projectDir, target.kind === 'cdk' ? target.assemblyDir : target.file)}, or start it with --config`,
        severity: 'warning',
      };
    }
  }
  const project = await importProject(target, overlay, options);
  if (overlayWarning) project.main.warnings.unshift(overlayWarning);
  return project;
}

function single(loaded: LoadedConfig): LoadedProject {
  // A route's function is reachable by its name, as are the config's `functions`.
  const own = Object.fromEntries(Object.entries(loaded.config.functions).map(([name, fn]) => [name, { handler: fn.handler, environment: { ...fn.environment } }]));
  let overrides: Record<string, FunctionOverride> | undefined;
  const catalog: FunctionCatalog = {
    baseDir: loaded.baseDir,
    functions: [],
    // Read only for an API the management API creates: the model is built then, not at start.
    get overrides() {
      return (overrides ??= { ...own, ...loaded.model?.functions });
    },
  };
  return { main: loaded, apis: [loaded], catalog };
}

/** A beside config only adds to the template: it has no routes of its own. */
function isOverlay(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !('routes' in value);
}

/** The import half (import-project.ts), loaded only for a project that has something to import. */
async function importProject(target: ImportTarget, overlay: Overlay | undefined, options: ProjectOptions): Promise<LoadedProject> {
  return (await import('./import-project.js')).importProject(target, overlay, options);
}

export type ImportTarget =
  | { kind: 'template'; file: string; projectDir: string; built: boolean }
  | { kind: 'cdk'; assemblyDir: string; projectDir: string; stackFile: string | undefined }
  | { kind: 'serverless'; file: string; projectDir: string }
  | { kind: 'openapi'; file: string; projectDir: string };

/** `json`: the file's value, when telling it from a template parsed it as readConfigFile would (not twice: 10,000 routes are megabytes). */
type Target = { kind: 'localgw'; file: string; json?: { value: unknown; dependencies: string[] } } | ImportTarget;

/** What a path names: a native config, a template, or a cloud assembly. */
async function locate(path: string): Promise<Target> {
  if (isDirectory(path)) {
    if (isFile(join(path, 'manifest.json'))) return { kind: 'cdk', assemblyDir: path, projectDir: dirname(path), stackFile: undefined };
    const inside = findConfigFile(path) ?? findImportable(path);
    if (inside) return await locate(inside);
    throw new LocalgwError('ERR_CONFIG_NOT_FOUND', `No config in ${path}: looked for ${CONFIG_FILE_NAMES.join(', ')}, ${IMPORTABLE_NAMES}`);
  }
  const name = basename(path);
  if (/^serverless\.(ya?ml|json|ts)$/i.test(name)) return { kind: 'serverless', file: path, projectDir: dirname(path) };
  if (/^openapi\.(ya?ml|json)$/i.test(name)) return { kind: 'openapi', file: path, projectDir: dirname(path) };
  if (name === 'manifest.json' && isFile(path)) return { kind: 'cdk', assemblyDir: dirname(path), projectDir: dirname(dirname(path)), stackFile: undefined };
  if (/\.template\.json$/i.test(name) && isFile(join(dirname(path), 'manifest.json'))) {
    return { kind: 'cdk', assemblyDir: dirname(path), projectDir: dirname(dirname(path)), stackFile: path };
  }
  if (!name.startsWith('localgw.config.') && ['.yaml', '.yml', '.json', '.template'].includes(extname(name).toLowerCase())) {
    const { kind, json } = await fileKind(path);
    if (kind === undefined) return { kind: 'localgw', file: path, ...(json && { json }) };
    if (kind === 'template') {
      const built = /[\\/]\.aws-sam[\\/]build[\\/][^\\/]+$/.test(path);
      return { kind: 'template', file: path, projectDir: built ? resolve(dirname(path), '../..') : dirname(path), built };
    }
    return { kind, file: path, projectDir: dirname(path) };
  }
  return { kind: 'localgw', file: path };
}

/** A CloudFormation template, an OpenAPI document or a serverless.yml by another name, as opposed to a localgw config in JSON or YAML. */
async function fileKind(file: string): Promise<{ kind: 'template' | 'openapi' | 'serverless' | undefined; json?: { value: unknown; dependencies: string[] } }> {
  const byName = () => ({ kind: /^template\./i.test(basename(file)) ? ('template' as const) : undefined });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return byName();
  }
  // A JSON config is told apart here; YAML (and what does not parse) takes the import half's reader.
  let value = jsonValue(text);
  const fromJson = value !== undefined;
  if (value === undefined) {
    const parsed = (await import('./import-project.js')).parseText(file, text);
    if (!parsed.ok) return byName();
    value = parsed.source.value;
  }
  if (value === null || typeof value !== 'object') return { kind: undefined };
  if ('Resources' in value || 'AWSTemplateFormatVersion' in value || 'Transform' in value) return { kind: 'template' };
  if ('openapi' in value || 'swagger' in value) return { kind: 'openapi' };
  if ('service' in value && ('provider' in value || 'functions' in value)) return { kind: 'serverless' };
  // readConfigFile would parse a .json file the same way (JSON only, no byte order mark skipped).
  const same = fromJson && extname(file).toLowerCase() === '.json' && text.charCodeAt(0) !== 0xfeff;
  return { kind: undefined, ...(same && { json: { value, dependencies: [] } }) };
}

/** The value of a JSON object or array, as parseText reads it (a byte order mark skipped); undefined for anything else. */
function jsonValue(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/^\s*[{[]/.test(body)) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** `file` as the user reads it: relative to `dir`, with forward slashes. */
export function relativeTo(dir: string, file: string): string {
  return relative(dir, file).split(sep).join('/') || basename(file);
}
