import { readCors, readPayloadVersion, readStageSettings } from '../cloudformation/common.js';
import { Fields, isIntrinsic } from '../cloudformation/fields.js';
import type { RawResource, Stack } from '../cloudformation/stack.js';
import { traced, type Api, type Authorizer, type SourceRef, type Stage } from '../model/model.js';
import { readOpenApi } from '../openapi/read-openapi.js';
import { childPointer } from '../source/pointer.js';

/** What SAM's `Auth` adds that the API model has no field for: defaults applied to each event's route. */
export interface SamAuth {
  defaultAuthorizer: string | undefined;
  defaultAuthorizerSource: SourceRef | undefined;
  iamEnabled: boolean;
  /** A JWT authorizer's `AuthorizationScopes`, the default of routes that use it (§2.3). */
  defaultScopes: Map<string, string[]>;
}

export interface SamApiContext {
  /** A local file named by `DefinitionUri`, parsed; undefined when it cannot be read. */
  definitionFile(stack: Stack, path: string, pointer: string): Fields | undefined;
}

/** `AWS::Serverless::HttpApi` (config-formats.md §2.2–§2.4), Globals.HttpApi merged in. */
export function readHttpApi(stack: Stack, logicalId: string, resource: RawResource, apiId: string, context: SamApiContext): { api: Api; auth: SamAuth } {
  const pointer = childPointer('/Resources', logicalId);
  const api: Api = { ...traced(stack.sourceOf(pointer)), apiId, name: logicalId, protocolType: 'HTTP', logicalId, routes: [], integrations: [], authorizers: [], stages: [] };
  const fields = new Fields(stack, childPointer(pointer, 'Properties'), resource.Properties, api);
  const name = fields.string('Name', 'name');
  if (name !== undefined) api.name = name;
  const description = fields.string('Description', 'description');
  if (description !== undefined) api.description = description;
  const disable = fields.boolean('DisableExecuteApiEndpoint', 'disableExecuteApiEndpoint');
  if (disable !== undefined) api.disableExecuteApiEndpoint = disable;

  // SAM generates the OpenAPI when neither DefinitionBody nor DefinitionUri is given; events and
  // Auth are added to it either way (§2.2).
  if (fields.has('DefinitionBody')) {
    const body = fields.block('DefinitionBody', 'definitionBody');
    if (body) readOpenApi(body, api, { fromTemplate: true });
  } else if (fields.has('DefinitionUri')) {
    const uri = fields.value('DefinitionUri', 'definitionUri');
    if (typeof uri === 'string' && !/^s3:\/\//i.test(uri)) {
      const doc = context.definitionFile(stack, uri, fields.pointerOf('DefinitionUri'));
      if (doc) readOpenApi(doc, api, { fromTemplate: false });
    } else {
      stack.issue('error', fields.pointerOf('DefinitionUri'), `${logicalId}: DefinitionUri in S3 cannot be read locally`, 'point DefinitionUri at a local OpenAPI file, or inline it as DefinitionBody');
    }
  }

  readSamCors(fields, api, logicalId);
  api.stages.push(readSamStage(fields, api));
  const auth = readSamAuth(fields, api, logicalId);
  return { api, auth };
}

/** §2.4: `true` is `allowOrigins: ["*"]`; an intrinsic's value is the origin; a map is the configuration. */
function readSamCors(fields: Fields, api: Api, logicalId: string): void {
  if (!fields.has('CorsConfiguration')) return;
  const raw = fields.raw!.CorsConfiguration;
  const at = fields.pointerOf('CorsConfiguration');
  let cors = api.corsConfiguration;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !isIntrinsic(raw)) {
    const block = fields.block('CorsConfiguration', 'corsConfiguration');
    // Merged over the DefinitionBody's x-amazon-apigateway-cors, the property winning.
    if (block) cors = { ...cors, ...readCors(block) };
  } else {
    const value = fields.value('CorsConfiguration', 'corsConfiguration');
    if (value === false || value === undefined) return;
    if (value === true) cors = { ...cors, allowOrigins: ['*'] };
    else if (typeof value === 'string' && isIntrinsic(raw)) cors = { ...cors, allowOrigins: [value] };
    else {
      fields.stack.issue('error', at, `${logicalId}: invalid value for CorsConfiguration`, 'use true, or a map of AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders, AllowCredentials, MaxAge');
      return;
    }
  }
  if (cors?.allowCredentials && (cors.allowOrigins ?? ['*']).includes('*')) {
    fields.stack.issue('error', at, `${logicalId}: AllowCredentials cannot be true with AllowOrigins "*"`, 'list the origins that may send credentials');
  }
  if (cors) api.corsConfiguration = cors;
}

function readSamStage(fields: Fields, api: Api): Stage {
  const stage: Stage = { ...traced(api.source), stageName: '$default', autoDeploy: true };
  const target = new Fields(fields.stack, fields.pointer, fields.raw, stage);
  stage.stageName = target.string('StageName', 'stageName') ?? '$default';
  readStageSettings(target, stage);
  return stage;
}

const LAMBDA_KEYS = new Set(['FunctionArn', 'FunctionInvokeRole', 'Identity', 'AuthorizerPayloadFormatVersion', 'EnableSimpleResponses', 'EnableFunctionDefaultPermissions']);
const JWT_KEYS = new Set(['AuthorizationScopes', 'IdentitySource', 'JwtConfiguration']);

/** §2.3: `Auth.Authorizers` (JWT when `JwtConfiguration` is present, else Lambda), `DefaultAuthorizer`. */
function readSamAuth(fields: Fields, api: Api, apiLogicalId: string): SamAuth {
  const auth: SamAuth = { defaultAuthorizer: undefined, defaultAuthorizerSource: undefined, iamEnabled: false, defaultScopes: new Map() };
  const block = fields.block('Auth', 'auth');
  if (!block) return auth;
  auth.iamEnabled = block.boolean('EnableIamAuthorizer', 'enableIamAuthorizer') ?? false;
  const authorizers = block.block('Authorizers', 'authorizers');
  for (const name of authorizers?.keys() ?? []) {
    const entry = authorizers!.block(name, name);
    if (!entry) continue;
    const authorizer = readSamAuthorizer(entry, name, api, auth);
    if (authorizer) {
      api.authorizers = api.authorizers.filter((a) => a.name !== name);
      api.authorizers.push(authorizer);
    }
  }
  const fallback = block.string('DefaultAuthorizer', 'defaultAuthorizer');
  if (fallback !== undefined) {
    auth.defaultAuthorizerSource = block.stack.sourceOf(block.pointerOf('DefaultAuthorizer'));
    if (fallback === 'AWS_IAM' && !auth.iamEnabled) {
      block.stack.issue('error', block.pointerOf('DefaultAuthorizer'), `${apiLogicalId}: DefaultAuthorizer AWS_IAM needs EnableIamAuthorizer: true`);
    } else if (fallback !== 'AWS_IAM' && !api.authorizers.some((a) => a.name === fallback)) {
      block.stack.issue('error', block.pointerOf('DefaultAuthorizer'), `${apiLogicalId}: DefaultAuthorizer "${fallback}" is not one of Auth.Authorizers`, `defined: ${api.authorizers.map((a) => a.name).join(', ') || 'none'}`);
    } else auth.defaultAuthorizer = fallback;
  }
  return auth;
}

function readSamAuthorizer(entry: Fields, name: string, api: Api, auth: SamAuth): Authorizer | undefined {
  const authorizer: Authorizer = { ...traced(entry.stack.sourceOf(entry.pointer)), authorizerId: `${api.apiId}:${name}`, name, aliases: [], authorizerType: 'JWT', identitySource: [] };
  const fields = new Fields(entry.stack, entry.pointer, entry.raw, authorizer);
  const keys = fields.keys();
  if (fields.has('JwtConfiguration')) {
    const stray = keys.filter((k) => !JWT_KEYS.has(k));
    if (stray.length) fields.stack.issue('error', fields.pointerOf(stray[0]!), `authorizer ${name}: ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} not supported for an OAuth2 (JWT) authorizer`);
    const source = fields.string('IdentitySource', 'identitySource');
    if (source === undefined) fields.stack.issue('error', fields.pointer, `authorizer ${name}: a JWT authorizer needs an IdentitySource`, 'e.g. IdentitySource: "$request.header.Authorization"');
    else authorizer.identitySource = [source];
    const jwt = fields.block('JwtConfiguration', 'jwtConfiguration');
    // SAM lower-cases these keys: Issuer and issuer both work (§2.3).
    const keyOf = (wanted: string) => jwt?.keys().find((k) => k.toLowerCase() === wanted);
    const issuerKey = keyOf('issuer');
    const audienceKey = keyOf('audience');
    const issuer = issuerKey ? jwt!.string(issuerKey, 'issuer') : undefined;
    const audience = audienceKey ? jwt!.strings(audienceKey, 'audience') : undefined;
    authorizer.jwtConfiguration = { ...(issuer !== undefined && { issuer }), ...(audience !== undefined && { audience }) };
    const scopes = fields.strings('AuthorizationScopes', 'authorizationScopes');
    if (scopes) auth.defaultScopes.set(name, scopes);
    return authorizer;
  }
  if (fields.has('IdentitySource')) {
    fields.stack.issue('error', fields.pointerOf('IdentitySource'), `authorizer ${name}: IdentitySource is only supported for OAuth2 Authorizer. For Lambda Authorizer, use the 'Identity' property instead`);
  }
  const stray = keys.filter((k) => !LAMBDA_KEYS.has(k) && k !== 'IdentitySource');
  if (stray.length) fields.stack.issue('error', fields.pointerOf(stray[0]!), `authorizer ${name}: ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} not a Lambda authorizer property`);
  authorizer.authorizerType = 'REQUEST';
  const arn = fields.string('FunctionArn', 'authorizerUri');
  if (arn === undefined) {
    if (!authorizer.unresolved.authorizerUri) fields.stack.issue('error', fields.pointer, `authorizer ${name}: a Lambda authorizer needs a FunctionArn`, 'e.g. FunctionArn: !GetAtt AuthorizerFunction.Arn');
  } else {
    const region = String(fields.stack.scope.parameter('AWS::Region'));
    const partition = String(fields.stack.scope.parameter('AWS::Partition'));
    authorizer.authorizerUri = `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
  }
  const version = readPayloadVersion(fields, 'AuthorizerPayloadFormatVersion', 'authorizerPayloadFormatVersion');
  if (version === undefined) fields.stack.issue('error', fields.pointer, `authorizer ${name}: AuthorizerPayloadFormatVersion is required`, 'add AuthorizerPayloadFormatVersion: "2.0" (or "1.0")');
  else authorizer.authorizerPayloadFormatVersion = version;
  const simple = fields.boolean('EnableSimpleResponses', 'enableSimpleResponses');
  if (simple !== undefined) authorizer.enableSimpleResponses = simple;
  const identity = fields.block('Identity', 'identity');
  if (identity) {
    // The translator's order, not the docs' (§2.3): headers, query strings, stage variables, context.
    const sources: string[] = [];
    const add = (key: string, prefix: string) => {
      for (const value of identity.strings(key, key) ?? []) sources.push(`${prefix}${value}`);
    };
    add('Headers', '$request.header.');
    add('QueryStrings', '$request.querystring.');
    add('StageVariables', '$stageVariables.');
    add('Context', '$context.');
    authorizer.identitySource = sources;
    authorizer.fieldSources.identitySource = identity.stack.sourceOf(identity.pointer);
    const ttl = identity.number('ReauthorizeEvery', 'authorizerResultTtlInSeconds');
    if (ttl !== undefined) authorizer.authorizerResultTtlInSeconds = ttl;
  }
  return authorizer;
}
