// The import half of loadProject: a SAM or CloudFormation template, a CDK cloud assembly, a
// serverless.yml or an OpenAPI document as the configs to serve. Loaded only for such a project
// (load-project.ts imports it on demand): its readers and YAML are a third of the CLI bundle,
// which a start with a localgw.config.json would otherwise compile before serving (issue 17).
import { formatIssue, formatPath, resolveConfig, type ConfigIssue, type LocalgwConfig } from '@localgw/core';
import {
  describeSource,
  formatSource,
  readAssemblyManifest,
  readAssetsManifest,
  readOpenApiFile,
  readServerless,
  readServerlessConfig,
  readTemplates,
  toLocalgwConfig,
  type Api,
  type FormatHost,
  type FormatIssue,
  type ApiModel,
  type FunctionOverride,
  type ImportIssue,
  type LambdaFunction,
  type SourceRef,
  type TemplateEntry,
} from '@localgw/formats';
import { resolveHandlerRef } from '@localgw/runtime';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseEnv } from 'node:util';
import { LocalgwError } from '../errors.js';
import { CONFIG_FILE_NAMES, isFile } from './find-config.js';
import { readConfigFile, type LoadedConfig } from './load-config.js';
import { relativeTo, type ImportTarget, type LoadedProject, type ProjectOptions } from './load-project.js';

/** The reader load-project's fileKind tells a YAML template from a YAML config with. */
export { parseText } from '@localgw/formats';

/** The model of a serverless.yml or an OpenAPI document (read through the same host as a template). */
async function readDocument(target: { kind: 'serverless' | 'openapi'; file: string }, host: FormatHost, toProject: (absolute: string) => string, options: ProjectOptions): Promise<ApiModel> {
  const file = toProject(target.file);
  if (target.kind === 'openapi') return readOpenApiFile(file, host, { awsVariables: awsVariablesOf(options.parameterOverrides) });
  const sls = { stage: options.stage, options: options.parameterOverrides, env: frameworkEnv(dirname(target.file), options.stage) };
  if (!/\.ts$/i.test(target.file)) return readServerless(file, host, sls);
  // serverless.ts exports the configuration (a module, as a localgw.config.ts): no lines to point at.
  const { value, dependencies } = await readConfigFile(target.file);
  const model = readServerlessConfig({ file, value, lineOf: () => undefined }, host, sls);
  model.files.push(...dependencies.map(toProject));
  return model;
}

/**
 * `${env:…}` as Framework v4 resolves it: the process environment over `.env.{stage}` and `.env`
 * beside serverless.yml (the stage from `--stage`; `.env` is watched, so an edit reloads).
 */
function frameworkEnv(dir: string, stage: string | undefined): Record<string, string | undefined> {
  const fromFiles: Record<string, string> = {};
  for (const name of ['.env', ...(stage === undefined ? [] : [`.env.${stage}`])]) {
    const text = readIfExists(join(dir, name));
    if (text !== undefined) Object.assign(fromFiles, parseEnv(text));
  }
  return { ...fromFiles, ...process.env };
}

/** `--parameter-overrides AWS::Region=eu-west-1` for the `${AWS::…}` variables of an OpenAPI document. */
function awsVariablesOf(overrides: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(overrides ?? {}).filter(([name]) => name.startsWith('AWS::')));
}

/** A `localgw.config.*` without `routes` beside what is imported: additions to it. */
export interface Overlay {
  file: string;
  value: Record<string, unknown>;
  dependencies: string[];
}

/** The APIs of a template, cloud assembly, serverless.yml or OpenAPI document, with the beside config's additions. Throws LocalgwError. */
export async function importProject(target: ImportTarget, overlay: Overlay | undefined, options: ProjectOptions): Promise<LoadedProject> {
  const baseDir = target.projectDir;
  const toAbsolute = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  const toProject = (absolute: string) => {
    const rel = relative(baseDir, absolute);
    if (rel === '') return '.';
    return (rel.startsWith('..') || isAbsolute(rel) ? absolute : rel).split(sep).join('/');
  };
  const read: string[] = [];
  const host: FormatHost = {
    readFile(path) {
      try {
        return readFileSync(toAbsolute(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    resolvePath: (from, rel) => toProject(resolve(dirname(toAbsolute(from)), rel)),
  };

  let entries: TemplateEntry[] = [];
  let mainFile: string;
  if (target.kind === 'template' || target.kind === 'serverless' || target.kind === 'openapi') {
    entries = [{ file: toProject(target.file) }];
    mainFile = target.file;
  } else {
    entries = readAssembly(target.assemblyDir, toProject, read);
    if (target.stackFile) entries = entries.filter((e) => toAbsolute(e.file) === target.stackFile);
    if (entries.length === 0) throw new LocalgwError('ERR_CONFIG_INVALID', `${toProject(target.stackFile ?? target.assemblyDir)}: no CloudFormation stack in the cloud assembly`);
    mainFile = join(target.assemblyDir, 'manifest.json');
  }
  const model =
    target.kind === 'serverless' || target.kind === 'openapi'
      ? await readDocument(target, host, toProject, options)
      : readTemplates(entries, host, {
          parameterOverrides: options.parameterOverrides,
          samBuildDir: target.kind === 'template' && !target.built ? '.aws-sam/build' : undefined,
        });
  const { functions: overlayFunctions, rest: overlayRest, issues: overlayIssues } = splitOverlay(overlay, baseDir);
  const overlayPaths = pathsOf(overlayRest);
  const envVars = options.envVars === undefined ? undefined : readEnvVars(resolve(options.envVars));
  const overrides = functionOverrides(model.functions, overlayFunctions, envVars?.values);
  const format = target.kind === 'cdk' || target.kind === 'serverless' || target.kind === 'openapi' ? target.kind : /AWS::Serverless-/.test(host.readFile(entries[0]!.file) ?? '') ? 'sam' : 'cloudformation';
  const definition = { sam: 'template', cloudformation: 'template', cdk: 'template', serverless: 'serverless.yml', openapi: 'OpenAPI document' }[format];
  // A beside config is watched even before it exists, so creating one takes effect.
  const besideCandidates = CONFIG_FILE_NAMES.map((name) => join(baseDir, name));
  const dependencies = [...new Set([...model.files.map(toAbsolute), ...read.map(toAbsolute), ...(overlay ? [overlay.file, ...overlay.dependencies] : []), ...besideCandidates, ...(envVars ? [envVars.file] : [])])];
  const codeDir = (fn: LambdaFunction): string | undefined => {
    if (fn.code.kind === 'inline') return toProject(saveInlineCode(baseDir, fn.functionName, fn.code.code));
    if (fn.code.kind !== 'dir' || fn.buildDir === undefined || fn.handler === undefined) return undefined;
    // After `sam build`, a function whose handler the source folder cannot supply runs from the build.
    if (resolveHandlerRef(baseDir, `${fn.code.dir}/${fn.handler}`, fn).ok) return undefined;
    return resolveHandlerRef(baseDir, `${fn.buildDir}/${fn.handler}`, fn).ok ? fn.buildDir : undefined;
  };

  const title = `Invalid ${{ cdk: 'CDK app', sam: 'SAM template', cloudformation: 'template', serverless: 'Serverless Framework service', openapi: 'OpenAPI document' }[format]} ${toProject(target.kind === 'cdk' ? target.assemblyDir : target.file)}`;
  const errors: ConfigIssue[] = model.issues.filter((i) => i.severity === 'error').map(toConfigIssue);
  if (model.apis.length === 0) {
    if (errors.length > 0) throw new LocalgwError('ERR_CONFIG_INVALID', title, { file: mainFile, issues: errors });
    // The warnings say why, e.g. REST API events (Type: Api), which a `sam init` template has.
    const what = format === 'serverless' ? 'no function has an httpApi event' : format === 'openapi' ? 'the document has no API' : 'no AWS::Serverless::HttpApi, HttpApi event or AWS::ApiGatewayV2::Api with ProtocolType HTTP';
    throw new LocalgwError('ERR_CONFIG_INVALID', `${toProject(target.kind === 'cdk' ? target.assemblyDir : target.file)}: no HTTP API to serve (${what})`, {
      file: mainFile,
      issues: model.issues.filter((i) => i.severity === 'warning').map(toConfigIssue),
    });
  }
  const mainIndex = options.api === undefined ? 0 : model.apis.findIndex((a) => a.logicalId === options.api || a.apiId === options.api || a.name === options.api);
  if (mainIndex === -1) {
    throw new LocalgwError('ERR_USAGE', `--api ${options.api}: no such API; the template has ${model.apis.map((a) => a.logicalId ?? a.apiId).join(', ')}`);
  }

  const modelWarnings = model.issues.filter((i) => i.severity === 'warning').map(toConfigIssue);
  /** One API of the template as a config: its errors go to `into`; undefined when it has any. */
  const build = (api: Api, stage: string | undefined, extraFunctions: Readonly<Record<string, FunctionOverride>>, into: ConfigIssue[]): LoadedConfig | undefined => {
    const imported = toLocalgwConfig(api, model.functions, { stage, functions: { ...extraFunctions, ...overrides }, codeDir, definition });
    const merged = mergeOverlay(imported.config, overlayRest);
    const silenced = (issue: ImportIssue) => issue.configPath !== undefined && getIn(overlayRest, issue.configPath) !== undefined;
    const decorate = (issue: ConfigIssue): ConfigIssue => ({ ...issue, path: describeConfigPath(issue.path, imported.sources, overlayPaths, overlay && toProject(overlay.file)) });
    const reported = new Set<string>();
    const before = into.length;
    for (const issue of imported.issues) {
      if (issue.severity !== 'error' || silenced(issue)) continue;
      into.push(toConfigIssue(issue));
      if (issue.configPath) reported.add(formatPath(issue.configPath));
    }
    const result = resolveConfig(merged);
    if (!result.ok) {
      // A field already reported as unresolvable is not reported again as empty.
      into.push(...result.issues.filter((i) => i.severity === 'error' && !reported.has(i.path)).map(decorate));
      return undefined;
    }
    if (into.length > before) return undefined;
    return {
      file: mainFile,
      baseDir,
      config: result.config,
      warnings: [...imported.issues.filter((i) => i.severity === 'warning' && !silenced(i)).map(toConfigIssue), ...result.warnings.map(decorate)],
      dependencies,
      apiId: imported.apiId,
      format,
      input: merged,
      imported: {
        name: imported.name,
        logicalId: imported.logicalId,
        sources: imported.sources,
        unavailable: imported.unavailable,
        authorizerAliases: imported.authorizerAliases,
      },
    };
  };
  const apis: LoadedConfig[] = [];
  for (const [index, api] of model.apis.entries()) {
    // A serverless.yml's --stage is the Framework's (`${opt:stage}`), not an API Gateway stage.
    const loaded = build(api, format === 'serverless' ? undefined : options.stage, {}, errors);
    if (!loaded) continue;
    if (index === mainIndex) loaded.warnings.unshift(...overlayIssues, ...modelWarnings);
    // The management API edits the template's API as the model and serves it the same way.
    loaded.model = {
      api,
      fingerprintExtra: overrides,
      functions: {},
      serve(edited, extraFunctions) {
        const issues: ConfigIssue[] = [];
        const served = build(edited, edited.stages[0]?.stageName, extraFunctions, issues);
        if (!served) throw new LocalgwError('ERR_CONFIG_INVALID', `Invalid API ${api.apiId}`, { file: mainFile, issues: dedupe(issues) });
        return served;
      },
    };
    apis.push(loaded);
  }
  if (errors.length > 0) {
    throw new LocalgwError('ERR_CONFIG_INVALID', title, { file: mainFile, issues: dedupe(errors) });
  }
  const main = apis[mainIndex]!;
  if (target.kind === 'cdk') {
    const stale = staleAssembly(target.assemblyDir, baseDir);
    if (stale) main.warnings.unshift({ path: toProject(target.assemblyDir), message: `is older than ${toProject(stale)}, so it may not have your latest changes`, hint: 'run npx cdk synth (or start with --synth)', severity: 'warning' });
  }
  return { main, apis: [main, ...apis.filter((a) => a !== main)], catalog: { baseDir, functions: model.functions, overrides, codeDir } };
}

/**
 * Inline code (`Code.ZipFile`, SAM `InlineCode`, as in AWS's own sample templates) saved where
 * a handler can load it: `.localgw/inline/<function>/index.js`, CommonJS like Lambda runs it.
 * Written only when it changed, so a reload does not restart its workers for nothing.
 */
function saveInlineCode(baseDir: string, functionName: string, code: string): string {
  const dir = join(baseDir, '.localgw', 'inline', functionName.replace(/[^A-Za-z0-9_-]/g, '_'));
  const file = join(dir, 'index.js');
  if (readIfExists(file) !== code) {
    // .localgw also holds the dev signing key: created private, as the key's loader does.
    mkdirSync(join(baseDir, '.localgw'), { recursive: true, mode: 0o700 });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(file, code);
  }
  return dir;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The stacks of a cloud assembly and its nested assemblies (CDK Stages), with their asset manifests. */
function readAssembly(dir: string, toProject: (absolute: string) => string, read: string[], depth = 0): TemplateEntry[] {
  const manifestFile = join(dir, 'manifest.json');
  read.push(manifestFile);
  let text: string;
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch (cause) {
    throw new LocalgwError('ERR_CONFIG_NOT_FOUND', `Cannot read ${manifestFile}: ${(cause as Error).message} (run npx cdk synth)`, { file: manifestFile, cause });
  }
  const manifest = readAssemblyManifest(text);
  if (!manifest.ok) throw new LocalgwError('ERR_CONFIG_PARSE', `${toProject(manifestFile)}: ${manifest.message}`, { file: manifestFile });
  const entries: TemplateEntry[] = manifest.stacks.map((stack) => {
    let assetPaths: Record<string, string> | undefined;
    if (stack.assetsFile) {
      const file = join(dir, stack.assetsFile);
      read.push(file);
      try {
        assetPaths = readAssetsManifest(readFileSync(file, 'utf8'));
      } catch {
        assetPaths = undefined;
      }
    }
    return { file: toProject(join(dir, stack.templateFile)), stackName: stack.stackName, ...(assetPaths && { assetPaths }) };
  });
  if (depth < 5) for (const nested of manifest.nestedAssemblies) entries.push(...readAssembly(join(dir, nested), toProject, read, depth + 1));
  return entries;
}

/** The `functions` of a beside config (handler overrides, local environment) and the rest of it. */
function splitOverlay(overlay: Overlay | undefined, baseDir: string): { functions: Record<string, FunctionOverride>; rest: Record<string, unknown>; issues: ConfigIssue[] } {
  if (!overlay) return { functions: {}, rest: {}, issues: [] };
  const { functions, ...rest } = overlay.value;
  const out: Record<string, FunctionOverride> = {};
  const issues: ConfigIssue[] = [];
  const where = relativeTo(baseDir, overlay.file);
  if (functions !== undefined) {
    if (functions === null || typeof functions !== 'object' || Array.isArray(functions)) {
      throw new LocalgwError('ERR_CONFIG_INVALID', `Invalid config in ${where}`, { file: overlay.file, issues: [{ path: 'functions', message: 'must be a map of function name → "FILE.EXPORT" or { handler, environment, runtime }', severity: 'error' }] });
    }
    for (const [name, value] of Object.entries(functions)) {
      if (typeof value === 'string') out[name] = { handler: value };
      else if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((k) => k === 'handler' || k === 'environment' || k === 'runtime')) {
        const { handler, environment, runtime } = value as { handler?: unknown; environment?: unknown; runtime?: unknown };
        const env = environment && typeof environment === 'object' ? Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)])) : undefined;
        out[name] = { ...(typeof handler === 'string' && { handler }), ...(env && { environment: env }), ...(typeof runtime === 'string' && { runtime }) };
      } else {
        throw new LocalgwError('ERR_CONFIG_INVALID', `Invalid config in ${where}`, {
          file: overlay.file,
          issues: [{ path: formatPath(['functions', name]), message: 'must be "FILE.EXPORT" or { "handler": "FILE.EXPORT", "environment": { … }, "runtime": "python3.12" }', severity: 'error' }],
        });
      }
    }
  }
  return { functions: out, rest, issues };
}

/**
 * Handler and environment overrides keyed by each function's logical id (the key the import
 * looks up last), so a beside config naming the function by `FunctionName` and `--env-vars`
 * naming it by logical id end up in one entry. Names no template function has stay as written:
 * they map Lambdas the template only references.
 */
function functionOverrides(functions: readonly LambdaFunction[], overlay: Record<string, FunctionOverride>, envVars: EnvVars | undefined): Record<string, FunctionOverride> {
  const out: Record<string, FunctionOverride> = {};
  for (const [name, override] of Object.entries(overlay)) {
    const fn = functions.find((f) => f.logicalId === name) ?? functions.find((f) => f.functionName === name);
    out[fn?.logicalId ?? name] = override;
  }
  if (envVars) {
    for (const fn of functions) {
      const environment = { ...envVars.Parameters, ...envVars[fn.functionName], ...envVars[fn.logicalId] };
      if (Object.keys(environment).length === 0) continue;
      const known = out[fn.logicalId];
      out[fn.logicalId] = { ...known, environment: { ...known?.environment, ...environment } };
    }
  }
  return out;
}

type EnvVars = Record<string, Record<string, string>>;

/** SAM CLI's `--env-vars` file: `{"Parameters": {…}}` for every function, `{"LogicalId": {…}}` for one. */
function readEnvVars(file: string): { file: string; values: EnvVars } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new LocalgwError('ERR_CONFIG_PARSE', `--env-vars ${file}: ${(cause as Error).message}`, { file, cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
    throw new LocalgwError('ERR_CONFIG_INVALID', `--env-vars ${file}: expected {"Parameters": {"NAME": "value"}, "FunctionLogicalId": {"NAME": "value"}}`, { file });
  }
  const values: EnvVars = {};
  for (const [key, vars] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    values[key] = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return { file, values };
}

/** The beside config over the imported one: maps merge, the beside config wins; lists and values are replaced. */
export function mergeOverlay(base: LocalgwConfig, overlay: Record<string, unknown>): unknown {
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === undefined) return a;
    if (isPlainObject(a) && isPlainObject(b)) {
      const out: Record<string, unknown> = { ...a };
      for (const [key, value] of Object.entries(b)) out[key] = merge(a[key], value);
      return out;
    }
    return b;
  };
  return merge(base, overlay);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function getIn(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) {
    if (!isPlainObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/**
 * `routes["GET /x"].timeout` → `template.yaml:42 routes["GET /x"].timeout`: where the template
 * writes the closest field that has a source (or the beside config, when it set the field).
 */
function describeConfigPath(path: string, sources: ReadonlyMap<string, SourceRef>, overlayPaths: ReadonlySet<string>, overlayFile: string | undefined): string {
  const prefixes = [path];
  for (let i = path.length - 1; i > 0; i--) if (path[i] === '.' || path[i] === '[') prefixes.push(path.slice(0, i));
  // The deepest field the beside config sets decides, so `authorizers.main.jwks` from it names it.
  if (overlayFile && overlayPaths.has(path)) return `${overlayFile} ${path}`;
  for (const prefix of prefixes) {
    const source = sources.get(prefix);
    if (source) return `${formatSource(source)} ${path}`;
  }
  const root = sources.get('');
  return root ? `${formatSource(root)} ${path}` : path;
}

/** Every field the beside config sets, as formatted config paths (`authorizers.main.jwks`). */
function pathsOf(value: unknown, segments: string[] = [], out = new Set<string>()): Set<string> {
  if (segments.length > 0) out.add(formatPath(segments));
  if (isPlainObject(value)) for (const [key, inner] of Object.entries(value)) pathsOf(inner, [...segments, key], out);
  return out;
}

function toConfigIssue(issue: FormatIssue): ConfigIssue {
  return { path: issue.source ? describeSource(issue.source) : '', message: issue.message, ...(issue.hint !== undefined && { hint: issue.hint }), severity: issue.severity };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = formatIssue(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'cdk.out', '.localgw', 'dist', 'coverage']);
const MAX_FILES = 5000;
const STALE_SLACK_MS = 2000;

/** A source file of the CDK app newer than its cloud assembly, when there is one. */
function staleAssembly(assemblyDir: string, projectDir: string): string | undefined {
  const synthesized = statSync(join(assemblyDir, 'manifest.json'), { throwIfNoEntry: false })?.mtimeMs;
  if (synthesized === undefined || !isFile(join(projectDir, 'cdk.json'))) return undefined;
  const queue = [projectDir];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_FILES) {
    const dir = queue.shift()!;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) {
        if (path !== assemblyDir) queue.push(path);
        continue;
      }
      seen++;
      // A little slack: an editor saving while synth runs, clocks of copied files.
      if ((name === 'cdk.json' || (SOURCE_FILE.test(name) && !name.endsWith('.d.ts'))) && stat.mtimeMs > synthesized + STALE_SLACK_MS) return path;
    }
  }
  return undefined;
}
