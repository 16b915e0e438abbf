import type { StoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';
import { Input } from './input.js';
import type { AuthorizerResource, ManagedApi } from './resources.js';
import { checkIssuer, checkJwtIdentitySource, checkRequestIdentitySources } from './validate.js';

/** aws-behavior.md §3.1: a JWT authorizer accepts at most 50 audiences. */
const MAX_AUDIENCES = 50;
const AUTHORIZER_TYPES = ['REQUEST', 'JWT'] as const;

export function createAuthorizer(ctx: StoreContext, apiId: string, body: unknown): AuthorizerResource {
  const managed = ctx.managed(apiId);
  const input = new Input(body);
  const authorizerType = input.required('authorizerType', input.oneOf('authorizerType', AUTHORIZER_TYPES, 'authorizer type'));
  const name = input.required('name', input.string('name', { min: 1, max: 128 }));
  const identitySource = input.required('identitySource', input.strings('identitySource'));
  const authorizer: AuthorizerResource = { authorizerId: ctx.resourceId(managed), name, authorizerType, identitySource };
  applyAuthorizerMembers(authorizer, input);
  checkAuthorizer(managed, authorizer);
  managed.authorizers.push(authorizer);
  ctx.record(managed, `CreateAuthorizer ${name}`);
  ctx.autoDeploy(managed);
  return authorizer;
}

export function updateAuthorizer(ctx: StoreContext, apiId: string, authorizerId: string, body: unknown): AuthorizerResource {
  const managed = ctx.managed(apiId);
  const authorizer = ctx.authorizer(managed, authorizerId);
  const input = new Input(body);
  const next = structuredClone(authorizer);
  const type = input.oneOf('authorizerType', AUTHORIZER_TYPES, 'authorizer type');
  if (type !== undefined) next.authorizerType = type;
  const name = input.string('name', { min: 1, max: 128 });
  if (name !== undefined) next.name = name;
  const identitySource = input.strings('identitySource');
  if (identitySource !== undefined) next.identitySource = identitySource;
  applyAuthorizerMembers(next, input);
  checkAuthorizer(managed, next);
  // Routes point at it by id; their authorization type must still fit its type.
  const mismatched = managed.routes.filter((r) => r.authorizerId === authorizerId && r.authorizationType !== (next.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM'));
  if (mismatched.length > 0) throw badRequest(`Authorizer ${authorizerId} is used by route ${mismatched.map((r) => r.routeKey).join(', ')} with authorization type ${mismatched[0]!.authorizationType}`);
  Object.assign(authorizer, next);
  ctx.record(managed, `UpdateAuthorizer ${authorizer.name}`);
  ctx.autoDeploy(managed);
  return authorizer;
}

export function deleteAuthorizer(ctx: StoreContext, apiId: string, authorizerId: string): void {
  const managed = ctx.managed(apiId);
  const authorizer = ctx.authorizer(managed, authorizerId);
  const users = managed.routes.filter((r) => r.authorizerId === authorizerId).map((r) => r.routeKey);
  if (users.length > 0) throw badRequest(`Unable to delete authorizer ${authorizerId}: route ${users.join(', ')} uses it; change the route's authorization first`);
  managed.authorizers.splice(managed.authorizers.indexOf(authorizer), 1);
  ctx.record(managed, `DeleteAuthorizer ${authorizer.name}`);
  ctx.autoDeploy(managed);
}

function applyAuthorizerMembers(authorizer: AuthorizerResource, input: Input): void {
  const jwt = input.object('jwtConfiguration');
  if (jwt) {
    const issuer = jwt.string('issuer', { min: 1, max: 2048 });
    const audience = jwt.strings('audience');
    authorizer.jwtConfiguration = { ...authorizer.jwtConfiguration, ...(issuer !== undefined && { issuer }), ...(audience !== undefined && { audience }) };
  }
  const uri = input.string('authorizerUri', { min: 1, max: 2048 });
  if (uri !== undefined) authorizer.authorizerUri = uri;
  const version = input.string('authorizerPayloadFormatVersion', { min: 1, max: 64 });
  if (version !== undefined) authorizer.authorizerPayloadFormatVersion = version;
  const simple = input.boolean('enableSimpleResponses');
  if (simple !== undefined) authorizer.enableSimpleResponses = simple;
  const ttl = input.integer('authorizerResultTtlInSeconds', { min: 0, max: 3600 });
  if (ttl !== undefined) authorizer.authorizerResultTtlInSeconds = ttl;
  const credentials = input.string('authorizerCredentialsArn');
  if (credentials !== undefined) authorizer.authorizerCredentialsArn = credentials;
  const expression = input.string('identityValidationExpression', { max: 1024 });
  if (expression !== undefined) authorizer.identityValidationExpression = expression;
}

/** aws-behavior.md §3.1 (JWT) and §5 (REQUEST): what each type needs. */
function checkAuthorizer(managed: ManagedApi, authorizer: AuthorizerResource): void {
  // Authorizers are known by name in localgw (logs, `localgw token --authorizer`): one per name.
  const clash = managed.authorizers.find((a) => a.authorizerId !== authorizer.authorizerId && a.name === authorizer.name);
  if (clash) throw conflict(`The API already has an authorizer named ${authorizer.name} (${clash.authorizerId})`);
  if (authorizer.authorizerType === 'JWT') {
    checkJwtIdentitySource(authorizer.identitySource);
    const issuer = authorizer.jwtConfiguration?.issuer;
    if (issuer === undefined) throw badRequest('A JWT authorizer needs jwtConfiguration.issuer');
    checkIssuer(issuer);
    const audience = authorizer.jwtConfiguration?.audience ?? [];
    if (audience.length === 0) throw badRequest('A JWT authorizer needs at least one jwtConfiguration.audience');
    if (audience.length > MAX_AUDIENCES) throw badRequest(`A JWT authorizer takes at most ${MAX_AUDIENCES} audiences, got ${audience.length}`);
    return;
  }
  if (authorizer.authorizerUri === undefined) throw badRequest('A REQUEST authorizer needs an authorizerUri: the Lambda function\'s ARN (or, locally, its name or a FILE.EXPORT handler)');
  const version = authorizer.authorizerPayloadFormatVersion;
  if (version === undefined) throw badRequest('A REQUEST authorizer of an HTTP API needs an authorizerPayloadFormatVersion: "2.0" or "1.0"');
  if (version !== '1.0' && version !== '2.0') throw badRequest(`Invalid authorizerPayloadFormatVersion "${version}": use "1.0" or "2.0"`);
  if (authorizer.enableSimpleResponses && version !== '2.0') throw badRequest('enableSimpleResponses needs authorizerPayloadFormatVersion "2.0"');
  checkRequestIdentitySources(authorizer.identitySource);
  if ((authorizer.authorizerResultTtlInSeconds ?? 0) > 0 && authorizer.identitySource.length === 0) {
    throw badRequest('Caching (authorizerResultTtlInSeconds > 0) needs at least one identity source, the cache key');
  }
}
