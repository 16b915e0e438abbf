import type { StoreContext } from './context.js';
import { badRequest } from './errors.js';
import { Input } from './input.js';
import type { IntegrationResource, ManagedApi } from './resources.js';
import { checkHttpUri, checkRequestParameters, checkResponseParameters } from './validate.js';

/** The integration types of HTTP APIs; AWS, HTTP and MOCK exist only for WebSocket APIs (§5.3). */
const HTTP_API_TYPES = ['AWS_PROXY', 'HTTP_PROXY'] as const;
const ALL_TYPES = ['AWS', 'HTTP', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'] as const;
const DEFAULT_TIMEOUT_MS = 30_000;

export function createIntegration(ctx: StoreContext, apiId: string, body: unknown): IntegrationResource {
  const managed = ctx.managed(apiId);
  const input = new Input(body);
  const integrationType = input.required('integrationType', integrationTypeOf(input));
  const integration: IntegrationResource = { integrationId: ctx.resourceId(managed), integrationType, connectionType: 'INTERNET' };
  applyIntegrationMembers(integration, input);
  // The defaults AWS echoes (config-formats.md §5.3): a Lambda is invoked with POST, HTTP_PROXY
  // passes the client's method (ANY) with payload 1.0, both within 30 s.
  integration.timeoutInMillis ??= DEFAULT_TIMEOUT_MS;
  integration.integrationMethod ??= integrationType === 'AWS_PROXY' ? 'POST' : 'ANY';
  if (integrationType === 'HTTP_PROXY') integration.payloadFormatVersion ??= '1.0';
  checkIntegration(integration);
  managed.integrations.push(integration);
  ctx.record(managed, `CreateIntegration ${integration.integrationId} (${integrationType} ${integration.integrationUri ?? ''})`.trimEnd());
  ctx.autoDeploy(managed);
  return integration;
}

export function updateIntegration(ctx: StoreContext, apiId: string, integrationId: string, body: unknown): IntegrationResource {
  const managed = ctx.managed(apiId);
  const integration = ctx.integration(managed, integrationId);
  const input = new Input(body);
  const next = structuredClone(integration);
  const type = integrationTypeOf(input);
  if (type !== undefined) next.integrationType = type;
  applyIntegrationMembers(next, input);
  checkIntegration(next);
  Object.assign(integration, next);
  ctx.record(managed, `UpdateIntegration ${integrationId}`);
  ctx.autoDeploy(managed);
  return integration;
}

export function deleteIntegration(ctx: StoreContext, apiId: string, integrationId: string): void {
  const managed = ctx.managed(apiId);
  const integration = ctx.integration(managed, integrationId);
  const users = routesUsing(managed, integrationId);
  if (users.length > 0) {
    throw badRequest(`Unable to delete integration ${integrationId}: it is the target of route ${users.join(', ')}; point the route elsewhere or delete it first`);
  }
  managed.integrations.splice(managed.integrations.indexOf(integration), 1);
  ctx.record(managed, `DeleteIntegration ${integrationId}`);
  ctx.autoDeploy(managed);
}

function routesUsing(managed: ManagedApi, integrationId: string): string[] {
  return managed.routes.filter((r) => r.target === `integrations/${integrationId}`).map((r) => r.routeKey);
}

function integrationTypeOf(input: Input): string | undefined {
  const type = input.oneOf('integrationType', ALL_TYPES, 'integration type');
  if (type !== undefined && !(HTTP_API_TYPES as readonly string[]).includes(type)) {
    throw badRequest(`Integration type ${type} is not supported for HTTP APIs: use AWS_PROXY (a Lambda function) or HTTP_PROXY (a URL)`);
  }
  return type;
}

function applyIntegrationMembers(integration: IntegrationResource, input: Input): void {
  const strings = [
    ['integrationUri', { min: 1, max: 2048 }],
    ['integrationMethod', { min: 1, max: 64 }],
    ['payloadFormatVersion', { min: 1, max: 64 }],
    ['integrationSubtype', { min: 1, max: 128 }],
    ['connectionId', { min: 1, max: 1024 }],
    ['credentialsArn', {}],
    ['description', { max: 1024 }],
  ] as const;
  for (const [name, bounds] of strings) {
    const value = input.string(name, bounds);
    if (value !== undefined) integration[name] = value;
  }
  const connectionType = input.oneOf('connectionType', ['INTERNET', 'VPC_LINK'], 'connection type');
  if (connectionType !== undefined) integration.connectionType = connectionType;
  const timeout = input.integer('timeoutInMillis', { min: 50, max: 30_000 });
  if (timeout !== undefined) integration.timeoutInMillis = timeout;
  const requestParameters = input.stringMap('requestParameters');
  if (requestParameters !== undefined) {
    checkRequestParameters(requestParameters);
    integration.requestParameters = requestParameters;
  }
  const responses = input.object('responseParameters');
  if (responses !== undefined) {
    const raw = input.raw('responseParameters') as Record<string, unknown>;
    const out: Record<string, Record<string, string>> = {};
    for (const status of Object.keys(raw)) out[status] = responses.required(status, responses.stringMap(status));
    checkResponseParameters(out);
    integration.responseParameters = out;
  }
  const tls = input.object('tlsConfig');
  if (tls) {
    const serverName = tls.string('serverNameToVerify', { min: 1, max: 512 });
    integration.tlsConfig = serverName === undefined ? {} : { serverNameToVerify: serverName };
  }
  for (const member of ['contentHandlingStrategy', 'passthroughBehavior', 'requestTemplates', 'templateSelectionExpression'] as const) {
    if (input.has(member)) throw badRequest(`${member} is supported only for WebSocket APIs`);
  }
}

/** What AWS requires of each type (config-formats.md §5.3; D-lambda: HTTP APIs require payloadFormatVersion). */
function checkIntegration(integration: IntegrationResource): void {
  const version = integration.payloadFormatVersion;
  if (integration.integrationType === 'AWS_PROXY') {
    if (integration.integrationUri === undefined && integration.integrationSubtype === undefined) {
      throw badRequest('An AWS_PROXY integration needs an integrationUri: the Lambda function\'s ARN (or, locally, its name or a FILE.EXPORT handler)');
    }
    if (version === undefined) throw badRequest('An AWS_PROXY integration of an HTTP API needs a payloadFormatVersion: "2.0" or "1.0"');
    if (version !== '1.0' && version !== '2.0') throw badRequest(`Invalid payloadFormatVersion "${version}": a Lambda integration takes "1.0" or "2.0"`);
  } else {
    if (integration.integrationUri === undefined) throw badRequest('An HTTP_PROXY integration needs an integrationUri: the backend URL');
    if (integration.connectionType !== 'VPC_LINK') checkHttpUri(integration.integrationUri);
    if (version !== '1.0') throw badRequest(`Invalid payloadFormatVersion "${version}": an HTTP_PROXY integration takes "1.0" only`);
  }
}
