import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatPath, resolveConfig, type ConfigIssue, type LocalgwConfig, type ResolvedConfig } from '@localgw/core';
import type { Api, FunctionOverride, SourceRef, UnavailableHandler } from '@localgw/formats';
import { configAsModel, formatSource, toLocalgwConfig, withConfigExtras } from '@localgw/formats/serving';
import { LocalgwError } from '../errors.js';

export interface LoadedConfig {
  /** Absolute path of the config file; undefined for an inline config object. */
  file: string | undefined;
  /** Directory handler paths and JWKS files are relative to. */
  baseDir: string;
  config: ResolvedConfig;
  warnings: ConfigIssue[];
  /** Local files the config itself imports (a `.ts` config's modules), for the watcher. */
  dependencies: string[];
  /** `requestContext.apiId`; an imported API is also served at Host `{apiId}.execute-api.localhost`. */
  apiId: string;
  /** What the config was read from; `management`: an API created through the management API. */
  format: 'localgw' | 'sam' | 'cloudformation' | 'cdk' | 'serverless' | 'openapi' | 'management';
  /** The config before defaults (a template's API as a localgw config, a beside config merged in): what `localgw export` writes. */
  input: unknown;
  /** Set for an API imported from a template (or served from the model). */
  imported?: ImportedInfo;
  /** The API as the model (config-formats.md §0.2), for the management API; set for an API read from a file. */
  model?: ModelView;
}

/**
 * What the management API needs of an API read from a file: the model, and how to serve an
 * edited copy of it the way the file's own API is served (same handlers, same base folder).
 */
export interface ModelView {
  api: Api;
  /** What else makes one version of the file differ from another (its handler paths). */
  fingerprintExtra: unknown;
  /** The functions the API's integrations name, by function name (a native config's handlers). */
  functions: Readonly<Record<string, FunctionOverride>>;
  /** The edited model as a config to serve; throws LocalgwError when it is not valid. */
  serve(api: Api, extraFunctions: Readonly<Record<string, FunctionOverride>>): LoadedConfig;
}

/** What an API read from a template keeps of the template, for messages and `localgw routes`. */
export interface ImportedInfo {
  /** The API's name in the file (its `Name`, else its logical id). */
  name: string;
  logicalId: string | undefined;
  /** Config path (`routes["GET /x"].handler`) → where the template writes it. */
  sources: ReadonlyMap<string, SourceRef>;
  /** Handlers that cannot run locally, by the config path of their route or authorizer. */
  unavailable: ReadonlyMap<string, UnavailableHandler>;
  /** Other names of authorizers (logical ids when `Name` is set) → their names. */
  authorizerAliases: Readonly<Record<string, string>>;
}

/**
 * A config path as the user finds it: `routes["GET /x"].handler` for a native config,
 * `template.yaml:42 routes["GET /x"].handler` for one read from a template.
 */
export function labelPath(loaded: LoadedConfig, segments: ReadonlyArray<PropertyKey>): string {
  const path = formatPath(segments);
  const where = sourceOfPath(loaded, segments);
  return where === undefined ? path : `${where} ${path}`;
}

/** `template.yaml:42`: where the template writes a config field (or its closest parent). */
export function sourceOfPath(loaded: LoadedConfig, segments: ReadonlyArray<PropertyKey>): string | undefined {
  const sources = loaded.imported?.sources;
  if (!sources) return undefined;
  for (let n = segments.length; n >= 0; n--) {
    const source = sources.get(formatPath(segments.slice(0, n)));
    if (source) return formatSource(source);
  }
  return undefined;
}

/** The native config's API id (requestContext.apiId), as before templates could be read. */
export const NATIVE_API_ID = 'localgw';

/** Reads, parses and validates a config file, or validates an inline object. Throws LocalgwError. */
export async function loadConfig(source: string | object, cwd: string = process.cwd()): Promise<LoadedConfig> {
  if (typeof source !== 'string') return validate(source, undefined, cwd, []);
  const file = resolve(cwd, source);
  const { value, dependencies } = await readConfigFile(file);
  return validate(value, file, dirname(file), dependencies);
}

export function validate(value: unknown, file: string | undefined, baseDir: string, dependencies: string[]): LoadedConfig {
  const result = resolveConfig(value);
  if (!result.ok) {
    const where = file ? relative(process.cwd(), file) || file : 'the config object';
    throw new LocalgwError('ERR_CONFIG_INVALID', `Invalid config in ${where}`, { file, issues: result.issues });
  }
  const apiId = result.config.apiId ?? NATIVE_API_ID;
  // The model is built when the management API first needs it: for 10,000 routes it costs more
  // than validating and compiling them (issue 17), and most runs never open the management API.
  let model: ModelView | undefined;
  const loaded: LoadedConfig = {
    file,
    baseDir,
    config: result.config,
    warnings: result.warnings,
    dependencies,
    apiId,
    format: 'localgw',
    input: value,
    // Named as `localgw export` names it: after the project folder.
    get model() {
      return (model ??= nativeModel(value as LocalgwConfig, loaded, basename(baseDir)));
    },
  };
  // An inline object stays the caller's to change after this: its model is taken now.
  if (file === undefined) void loaded.model;
  return loaded;
}

/**
 * A native config as the model; an edited model is served back through toLocalgwConfig, with
 * the config's handlers (by function name) and what the model has no field for (`jwks`, `devTokens`).
 */
function nativeModel(raw: LocalgwConfig, loaded: LoadedConfig, name: string): ModelView {
  const { api, functions, extras } = configAsModel(raw, loaded.config, loaded.apiId, name);
  const handlers = Object.fromEntries(Object.entries(functions).map(([fn, o]) => [fn, typeof o.handler === 'function' ? '(function)' : o.handler]));
  return {
    api,
    fingerprintExtra: handlers,
    functions,
    serve(edited, extraFunctions) {
      const imported = toLocalgwConfig(edited, [], { functions: { ...extraFunctions, ...functions } });
      const config = withConfigExtras(imported.config, extras, raw.apiId);
      return serveImported(loaded, imported, config);
    },
  };
}

/** An imported (or edited) API, validated like a config file: its errors name the API. */
export function serveImported(base: Pick<LoadedConfig, 'file' | 'baseDir' | 'dependencies' | 'apiId' | 'format'>, imported: ReturnType<typeof toLocalgwConfig>, config: unknown): LoadedConfig {
  const errors: ConfigIssue[] = imported.issues.filter((i) => i.severity === 'error').map((i) => ({ path: i.configPath ? formatPath(i.configPath) : '', message: i.message, hint: i.hint, severity: 'error' }));
  const result = resolveConfig(config);
  if (!result.ok) errors.push(...result.issues);
  if (errors.length > 0 || !result.ok) throw new LocalgwError('ERR_CONFIG_INVALID', `Invalid API ${base.apiId}`, { file: base.file, issues: errors });
  const warnings: ConfigIssue[] = [
    ...imported.issues.filter((i) => i.severity === 'warning').map((i): ConfigIssue => ({ path: i.configPath ? formatPath(i.configPath) : `API ${base.apiId}`, message: i.message, hint: i.hint, severity: 'warning' })),
    ...result.warnings,
  ];
  return {
    file: base.file,
    baseDir: base.baseDir,
    config: result.config,
    warnings,
    dependencies: base.dependencies,
    apiId: base.apiId,
    format: base.format,
    input: config,
    imported: { name: imported.name, logicalId: imported.logicalId, sources: imported.sources, unavailable: imported.unavailable, authorizerAliases: imported.authorizerAliases },
  };
}

/** Reads and parses a config file (JSON, YAML, or a module) without validating it. */
export async function readConfigFile(file: string): Promise<{ value: unknown; dependencies: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new LocalgwError('ERR_CONFIG_NOT_FOUND', `Cannot read config file ${file}: ${(cause as Error).message}`, { file, cause });
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return { value: parseJson(text, file), dependencies: [] };
  // The YAML parser is loaded for a YAML config only: a JSON one never compiles it.
  if (ext === '.yaml' || ext === '.yml') return { value: (await import('./parse-yaml.js')).parseYamlConfig(text, file), dependencies: [] };
  return importModuleConfig(file);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    // V8 reports "at position N" (Node 20) or "(line L column C)" (Node 22); give line and column either way.
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumn(text, Number(position[1])) : /line (\d+) column (\d+)/.exec(message)?.slice(1).join(':');
    throw new LocalgwError('ERR_CONFIG_PARSE', `${file}${where ? `:${where}` : ''}: invalid JSON: ${message}`, { file, cause });
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

async function importModuleConfig(file: string): Promise<{ value: unknown; dependencies: string[] }> {
  const dependencies = new Set<string>();
  const requireCache = createRequire(import.meta.url).cache;
  const cachedBefore = new Set(Object.keys(requireCache));
  try {
    // tsx loads .ts/.mts configs without a build step. Each call gets its own namespace, so a
    // reload sees fresh modules. ESM imports are reported through onImport; a config compiled
    // to CommonJS (no "type": "module") requires its imports, which show up in require's cache.
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport(pathToFileURL(file).href, {
      parentURL: import.meta.url,
      onImport: (url: string) => {
        if (url.startsWith('file:')) dependencies.add(fileURLToPath(url.split('?')[0]!));
      },
    });
    collectRequired();
    const value = mod.default?.default ?? mod.default ?? mod;
    return { value, dependencies: [...dependencies].filter((d) => d !== file && !d.includes(`${sep}node_modules${sep}`)) };
  } catch (cause) {
    collectRequired();
    throw new LocalgwError('ERR_CONFIG_PARSE', `${file}: failed to load: ${(cause as Error).message}`, { file, cause });
  }

  function collectRequired(): void {
    for (const key of Object.keys(requireCache)) {
      if (cachedBefore.has(key)) continue;
      // Namespaced entries are never reused: drop them so reloads do not accumulate modules.
      if (key.includes('?namespace=') || key.startsWith('data:')) delete requireCache[key];
      if (key.startsWith(sep) || /^[A-Za-z]:[\\/]/.test(key)) dependencies.add(key.split('?')[0]!);
    }
  }
}
