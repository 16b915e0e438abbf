import type { Api, ApiModel, FormatIssue, LambdaFunction } from '../model/model.js';
import { applyGlobals } from '../sam/globals.js';
import { readHttpApi, type SamApiContext } from '../sam/http-api.js';
import { applyDefaultAuthorizer, IMPLICIT_API_ID, needsImplicitApi, readHttpApiEvents, type SamApi } from '../sam/function-events.js';
import { parseText } from '../source/parse-text.js';
import { childPointer } from '../source/pointer.js';
import { applyManagedOverrides, readApiV2, readAuthorizerV2, readIntegrationV2, readRouteV2, readStageV2, type Attached } from './api-resources.js';
import { Fields } from './fields.js';
import { Unresolved } from './intrinsics.js';
import { functionArn } from './lambda-arn.js';
import { readLambdaFunction, readServerlessFunction, type FunctionContext } from './lambda-function.js';
import { Stack, type RawResource, type StackLinks } from './stack.js';

/** The file access a reader needs, supplied by the caller: this package does no I/O itself. */
export interface FormatHost {
  /** A project file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** `relative`, as written in `fromFile` (resolved from that file's folder), as a project path. */
  resolvePath(fromFile: string, relative: string): string;
}

/** One template to read as a root stack. */
export interface TemplateEntry {
  /** Project path of the template. */
  file: string;
  /** `AWS::StackName` (a CDK stack's name); default `local`, as SAM CLI. */
  stackName?: string;
  /** CDK: asset hash → staged path (relative to the template's folder), from `<Stack>.assets.json`. */
  assetPaths?: Readonly<Record<string, string>>;
}

export interface ReadTemplateOptions {
  /** `--parameter-overrides`: parameter (or pseudo parameter) name → value. */
  parameterOverrides?: Readonly<Record<string, string>>;
  /**
   * SAM: the folder `sam build` writes each function to (`.aws-sam/build`, relative to the root
   * template), tried when the source folder does not hold the handler. Undefined: none.
   */
  samBuildDir?: string;
}

const API_TYPES = new Set(['AWS::ApiGatewayV2::Api', 'AWS::Serverless::HttpApi']);
const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);
const NESTED_TYPES = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);

/**
 * Reads CloudFormation templates — plain, SAM (the `AWS::Serverless-2016-10-31` transform done
 * locally) or synthesized by CDK — with their nested stacks, into the model: every HTTP API in
 * declaration order (root first, then nested stacks) and every Lambda function.
 */
export function readTemplates(entries: readonly TemplateEntry[], host: FormatHost, options: ReadTemplateOptions = {}): ApiModel {
  const project = new Project(host, options);
  for (const entry of entries) project.openRoot(entry);
  return project.read();
}

class Project {
  readonly issues: FormatIssue[] = [];
  readonly files: string[] = [];
  readonly stacks: Stack[] = [];
  readonly #apiIds = new Map<Stack, Map<string, string>>();
  readonly #usedApiIds = new Set<string>();
  readonly #functionNames = new Map<Stack, Map<string, string>>();
  readonly #usedFunctionNames = new Map<string, Stack>();
  readonly #children = new Map<Stack, Map<string, Stack | null>>();
  readonly #opening = new Set<string>();
  readonly #assets = new Map<Stack, Readonly<Record<string, string>>>();
  readonly #samRoots = new Set<Stack>();
  readonly #exports = new Map<string, { stack: Stack; output: string }>();
  #exportsRead = false;
  readonly links: StackLinks;

  constructor(
    readonly host: FormatHost,
    readonly options: ReadTemplateOptions,
  ) {
    this.links = {
      ref: (stack, logicalId, type) => this.#ref(stack, logicalId, type),
      getAtt: (stack, logicalId, type, attribute, pointer) => this.#getAtt(stack, logicalId, type, attribute, pointer),
      importValue: (name, pointer) => this.#importValue(name, pointer),
    };
  }

  openRoot(entry: TemplateEntry): void {
    const parameters: Record<string, unknown> = { ...this.options.parameterOverrides };
    if (entry.stackName !== undefined) parameters['AWS::StackName'] ??= entry.stackName;
    const stack = this.#open(entry.file, '', undefined, parameters, undefined);
    if (!stack) return;
    if (entry.assetPaths) this.#assets.set(stack, entry.assetPaths);
    if (isSam(stack.template)) this.#samRoots.add(stack);
  }

  /** Parses one template and runs the SAM plugins on it (Globals, the implicit API). */
  #open(file: string, prefix: string, parent: { stack: Stack; logicalId: string } | undefined, parameters: Record<string, unknown>, pointer: string | undefined): Stack | undefined {
    const text = this.host.readFile(file);
    this.files.push(file);
    const where = parent ? { file: parent.stack.file, pointer: pointer!, line: parent.stack.source.lineOf(pointer!) } : undefined;
    if (text === undefined) {
      this.issues.push({ severity: 'error', message: `cannot read ${file}`, source: where });
      return undefined;
    }
    const parsed = parseText(file, text);
    if (!parsed.ok) {
      this.issues.push({ severity: 'error', message: `${file}${parsed.line ? `:${parsed.line}${parsed.column ? `:${parsed.column}` : ''}` : ''}: ${parsed.message}`, source: undefined });
      return undefined;
    }
    const stack = new Stack(parsed.source, prefix, parent, parameters, this.links, this.issues);
    if (!stack.template.Resources || typeof stack.template.Resources !== 'object') {
      stack.issue('error', '', `${file} is not a CloudFormation template: it has no Resources`);
    }
    if (isSam(stack.template)) {
      const implicit = needsImplicitApi(stack);
      if (implicit !== undefined && !stack.resources[IMPLICIT_API_ID]) {
        // §2.6: one HttpApi for every HttpApi event without ApiId; Globals.HttpApi applies to it too.
        stack.resources[IMPLICIT_API_ID] = { Type: 'AWS::Serverless::HttpApi', Properties: {} };
        stack.origins.set(childPointer('/Resources', IMPLICIT_API_ID), implicit);
      }
      applyGlobals(stack);
    }
    this.stacks.push(stack);
    return stack;
  }

  /** A nested stack (§4.4, `AWS::CloudFormation::Stack` / `AWS::Serverless::Application`), opened on first use. */
  child(stack: Stack, logicalId: string): Stack | undefined {
    let known = this.#children.get(stack);
    if (!known) this.#children.set(stack, (known = new Map()));
    if (known.has(logicalId)) return known.get(logicalId) ?? undefined;
    const key = `${stack.prefix}${logicalId}`;
    if (this.#opening.has(key)) return undefined;
    this.#opening.add(key);
    known.set(logicalId, null);
    const child = this.#openChild(stack, logicalId);
    known.set(logicalId, child ?? null);
    this.#opening.delete(key);
    return child;
  }

  #openChild(stack: Stack, logicalId: string): Stack | undefined {
    const resource = stack.activeResource(logicalId)!;
    const pointer = childPointer('/Resources', logicalId);
    const holder = { source: undefined, fieldSources: {}, unresolved: {} };
    const fields = new Fields(stack, childPointer(pointer, 'Properties'), resource.Properties, holder);
    let location: string | undefined;
    const cdkPath = resource.Metadata?.['aws:asset:path'];
    if (typeof cdkPath === 'string') location = cdkPath;
    else {
      const key = resource.Type === 'AWS::Serverless::Application' ? 'Location' : 'TemplateURL';
      const value = fields.value(key, key);
      if (typeof value !== 'string') {
        stack.issue('warning', fields.pointerOf(key), `nested stack ${logicalId} comes from ${value && typeof value === 'object' ? 'the Serverless Application Repository' : 'an unresolvable location'}, which localgw cannot read; its APIs and functions are not served`);
        return undefined;
      }
      if (/^(https?|s3):\/\//i.test(value)) {
        stack.issue('warning', fields.pointerOf(key), `nested stack ${logicalId} is at ${value}, which localgw cannot read; its APIs and functions are not served`, 'point it at the local template file (as before `sam package`)');
        return undefined;
      }
      location = value;
    }
    const parameters: Record<string, unknown> = {};
    for (const name of ['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix']) parameters[name] = stack.scope.parameter(name);
    parameters['AWS::StackName'] = `${String(stack.scope.parameter('AWS::StackName'))}-${logicalId}`;
    const given = fields.block('Parameters', 'parameters');
    for (const name of given?.keys() ?? []) {
      const { value } = stack.resolve(given!.raw![name], given!.pointerOf(name));
      parameters[name] = value instanceof Unresolved ? value : Array.isArray(value) ? value.map(String).join(',') : value === undefined || value === null ? '' : String(value);
    }
    const file = this.host.resolvePath(stack.file, location);
    const child = this.#open(file, `${stack.prefix}${logicalId}.`, { stack, logicalId }, parameters, pointer);
    if (child) {
      const assets = this.#assets.get(stack);
      if (assets) this.#assets.set(child, assets);
    }
    return child;
  }

  read(): ApiModel {
    // Every nested stack, recursively (each opened once; a cycle of templates stops).
    for (let i = 0; i < this.stacks.length; i++) {
      const stack = this.stacks[i]!;
      for (const [logicalId] of stack.resourcesOf(...NESTED_TYPES)) this.child(stack, logicalId);
    }
    const functions: LambdaFunction[] = [];
    const fnContext = this.#functionContext();
    const byStack = new Map<Stack, LambdaFunction[]>();
    for (const stack of this.stacks) {
      const own: LambdaFunction[] = [];
      for (const [logicalId, resource] of stack.resourcesOf(...FUNCTION_TYPES)) {
        own.push(resource.Type === 'AWS::Serverless::Function' ? readServerlessFunction(stack, logicalId, resource, fnContext) : readLambdaFunction(stack, logicalId, resource, fnContext));
      }
      byStack.set(stack, own);
      functions.push(...own);
    }

    const apis: Api[] = [];
    const samApis = new Map<string, SamApi>();
    const samContext: SamApiContext = { definitionFile: (stack, path, pointer) => this.#definitionFile(stack, path, pointer) };
    for (const stack of this.stacks) {
      for (const [logicalId, resource] of stack.resourcesOf(...API_TYPES)) {
        const apiId = this.apiId(stack, logicalId);
        if (resource.Type === 'AWS::Serverless::HttpApi') {
          const sam = readHttpApi(stack, logicalId, resource, apiId, samContext);
          samApis.set(apiId, sam);
          apis.push(sam.api);
        } else {
          const api = readApiV2(stack, logicalId, resource, apiId);
          if (api) apis.push(api);
        }
      }
    }
    const findApi = (ref: string) => apis.find((a) => a.apiId === ref);
    for (const stack of this.stacks) {
      const attach = <T>(kind: string, logicalId: string, attached: Attached<T>, add: (api: Api, value: T) => void) => {
        const api = attached.apiRef === undefined ? undefined : findApi(attached.apiRef);
        if (api) add(api, attached.value);
        else {
          stack.issue('warning', childPointer(childPointer(childPointer('/Resources', logicalId), 'Properties'), 'ApiId'), `${kind} ${logicalId} belongs to an API that is not in the project${attached.apiRef ? ` ("${attached.apiRef}")` : ''}, so it is not served`);
        }
      };
      for (const [id, r] of stack.resourcesOf('AWS::ApiGatewayV2::Integration')) attach('integration', id, readIntegrationV2(stack, id, r), (api, v) => api.integrations.push(v));
      for (const [id, r] of stack.resourcesOf('AWS::ApiGatewayV2::Authorizer')) attach('authorizer', id, readAuthorizerV2(stack, id, r), (api, v) => api.authorizers.push(v));
      for (const [id, r] of stack.resourcesOf('AWS::ApiGatewayV2::Route')) attach('route', id, readRouteV2(stack, id, r), (api, v) => api.routes.push(v));
      for (const [id, r] of stack.resourcesOf('AWS::ApiGatewayV2::Stage')) attach('stage', id, readStageV2(stack, id, r), (api, v) => api.stages.push(v));
      for (const [id, r] of stack.resourcesOf('AWS::ApiGatewayV2::ApiGatewayManagedOverrides')) applyManagedOverrides(stack, id, r, findApi);
    }

    const implicitApis = new Map<Stack, SamApi | undefined>();
    for (const stack of this.stacks) {
      const implicitId = stack.activeResource(IMPLICIT_API_ID) ? this.apiId(stack, IMPLICIT_API_ID) : undefined;
      implicitApis.set(stack, implicitId === undefined ? undefined : samApis.get(implicitId));
      const own = byStack.get(stack)!;
      for (const [logicalId, resource] of stack.resourcesOf('AWS::Serverless::Function')) {
        const fn = own.find((f) => f.logicalId === logicalId)!;
        readHttpApiEvents(stack, logicalId, resource, fn, { apiByRef: (ref) => samApis.get(ref), implicitApi: (s) => implicitApis.get(s) });
      }
    }
    for (const sam of samApis.values()) applyDefaultAuthorizer(sam.api, sam.auth);
    for (const api of apis) disambiguateAuthorizerNames(api);
    return { apis, functions, issues: this.issues, files: [...new Set(this.files)] };
  }

  /** An API's local id: its logical id in lower case (Host names are), unique in the project. */
  apiId(stack: Stack, logicalId: string): string {
    let ids = this.#apiIds.get(stack);
    if (!ids) this.#apiIds.set(stack, (ids = new Map()));
    let id = ids.get(logicalId);
    if (id === undefined) {
      const base = logicalId.toLowerCase().replace(/[^a-z0-9]/g, '') || 'api';
      id = base;
      for (let n = 2; this.#usedApiIds.has(id); n++) id = `${base}${n}`;
      this.#usedApiIds.add(id);
      ids.set(logicalId, id);
    }
    return id;
  }

  functionName(stack: Stack, logicalId: string): string {
    let names = this.#functionNames.get(stack);
    if (!names) this.#functionNames.set(stack, (names = new Map()));
    let name = names.get(logicalId);
    if (name === undefined) {
      names.set(logicalId, logicalId); // while FunctionName resolves (it could refer to the function itself)
      const resource = stack.activeResource(logicalId);
      const raw = resource?.Properties?.FunctionName;
      const { value } = raw === undefined ? { value: undefined } : stack.resolve(raw, childPointer(childPointer(childPointer('/Resources', logicalId), 'Properties'), 'FunctionName'));
      name = typeof value === 'string' && value !== '' ? value : logicalId;
      const owner = this.#usedFunctionNames.get(name);
      if (owner !== undefined && owner !== stack && typeof value !== 'string') name = `${stack.prefix.replace(/\W+/g, '-')}${logicalId}`;
      this.#usedFunctionNames.set(name, stack);
      names.set(logicalId, name);
    }
    return name;
  }

  #functionContext(): FunctionContext {
    return {
      functionName: (stack, logicalId) => this.functionName(stack, logicalId),
      resolvePath: (from, relative) => this.host.resolvePath(from, relative),
      assetPath: (stack, hash) => this.#assets.get(stack)?.[hash],
      samBuildDir: (stack) => (this.#samRoots.has(stack) ? this.options.samBuildDir : undefined),
    };
  }

  #definitionFile(stack: Stack, path: string, pointer: string): Fields | undefined {
    const file = this.host.resolvePath(stack.file, path);
    const text = this.host.readFile(file);
    this.files.push(file);
    if (text === undefined) {
      stack.issue('error', pointer, `DefinitionUri ${path}: cannot read ${file}`);
      return undefined;
    }
    const parsed = parseText(file, text);
    if (!parsed.ok) {
      stack.issue('error', pointer, `DefinitionUri ${path}: ${parsed.message}${parsed.line ? ` (line ${parsed.line})` : ''}`);
      return undefined;
    }
    // Intrinsics are not resolved inside a DefinitionUri file (§2.2); AWS variables are, at import.
    const doc = new Stack(parsed.source, `${stack.prefix}${path}.`, undefined, {}, this.links, this.issues);
    return new Fields(doc, '', parsed.source.value as Record<string, unknown>, { source: undefined, fieldSources: {}, unresolved: {} });
  }

  #ref(stack: Stack, logicalId: string, type: string): { value: string; placeholder?: string } {
    if (API_TYPES.has(type)) return { value: this.apiId(stack, logicalId) };
    if (FUNCTION_TYPES.has(type)) return { value: this.functionName(stack, logicalId) };
    if (type.startsWith('AWS::ApiGatewayV2::')) return { value: stack.prefix + logicalId };
    return { value: logicalId, placeholder: `Ref ${logicalId} (a ${type}) stands in as "${logicalId}": its real value only exists in AWS` };
  }

  #getAtt(stack: Stack, logicalId: string, type: string, attribute: string, pointer: string): { value: unknown; placeholder?: string } | Unresolved {
    const region = String(stack.scope.parameter('AWS::Region'));
    const partition = String(stack.scope.parameter('AWS::Partition'));
    const account = String(stack.scope.parameter('AWS::AccountId'));
    if (FUNCTION_TYPES.has(type) && attribute === 'Arn') return { value: functionArn(partition, region, account, this.functionName(stack, logicalId)) };
    if (API_TYPES.has(type)) {
      const apiId = this.apiId(stack, logicalId);
      if (attribute === 'ApiId') return { value: apiId };
      if (attribute === 'ApiEndpoint') return { value: `https://${apiId}.execute-api.${region}.amazonaws.com` };
    }
    if (type === 'AWS::ApiGatewayV2::Authorizer' && attribute === 'AuthorizerId') return { value: stack.prefix + logicalId };
    if (NESTED_TYPES.has(type) && attribute.startsWith('Outputs.')) {
      const child = this.child(stack, logicalId);
      if (!child) return new Unresolved(`Fn::GetAtt ${logicalId}.${attribute}: the nested stack ${logicalId} could not be read`, pointer);
      const value = child.output(attribute.slice('Outputs.'.length), pointer);
      return value instanceof Unresolved ? value : { value };
    }
    if (attribute === 'Arn') {
      const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
      return { value: `arn:${partition}:${service}:${region}:${account}:${logicalId}`, placeholder: `Fn::GetAtt ${logicalId}.Arn (a ${type}) stands in as a made-up ARN: the real one only exists in AWS` };
    }
    return new Unresolved(`Fn::GetAtt ${logicalId}.${attribute}: an attribute of a ${type}, known only once it is deployed`, pointer);
  }

  /** CDK's cross-stack references: an export of another stack read here resolves to its value. */
  #importValue(name: string, pointer: string): unknown {
    if (!this.#exportsRead) {
      this.#exportsRead = true;
      for (const stack of this.stacks) for (const [exported, output] of stack.exports()) this.#exports.set(exported, { stack, output });
    }
    const found = this.#exports.get(name);
    return found ? found.stack.output(found.output, pointer) : undefined;
  }
}

function isSam(template: Record<string, unknown>): boolean {
  const transform = template.Transform;
  const list = Array.isArray(transform) ? transform : [transform];
  return list.some((t) => typeof t === 'string' && t.startsWith('AWS::Serverless-'));
}

/** Two authorizers with the same `Name` in one API: the later one is known by its logical id. */
function disambiguateAuthorizerNames(api: Api): void {
  const seen = new Set<string>();
  for (const authorizer of api.authorizers) {
    if (seen.has(authorizer.name) && authorizer.aliases[0] !== undefined) authorizer.name = authorizer.aliases.shift()!;
    seen.add(authorizer.name);
  }
}

export type { RawResource };
