import type { ManagedApi, ManagementStore } from '@localgw/formats';
import { apiView, badRequest, Input, isManagementError } from '@localgw/formats/serving';
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import type { Gateway } from '../create-gateway.js';
import { escapeLogText } from '../log-text.js';
import { errorResponse } from './errors.js';

export interface ManagementApiOptions {
  /** The data plane's URL (`http://127.0.0.1:3000`), for each API's `apiEndpoint`. */
  apiUrl: string | undefined;
}

/** The largest request body the management API reads: an OpenAPI document to import fits easily. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Answer = { status: number; body?: unknown; contentType?: string };
type Operation = (c: Context, body: unknown) => Answer | Promise<Answer>;

/** The OpenAPI reader and writer (and YAML): loaded on the first import or export, not at start. */
const loadDocuments = () => import('@localgw/formats/documents');

/**
 * The API Gateway v2 management API (config-formats.md §5): rest-json over the routes of
 * §5.2, for `aws --endpoint-url … apigatewayv2` and `@aws-sdk/client-apigatewayv2`. Any SigV4
 * `Authorization` is accepted unchecked (§5.1); this server listens on its own port, so it never
 * reaches an API's authorizers. Changes go through `gateway.management.change`, which serves them
 * at once (or refuses them whole); every change is logged with its outcome.
 */
export function managementApi(gateway: Gateway, options: ManagementApiOptions): Hono {
  const app = new Hono();
  const management = gateway.management;
  const port = options.apiUrl === undefined ? undefined : /:(\d+)$/.exec(options.apiUrl)?.[1];
  const endpoint = (apiId: string) =>
    management.isMain(apiId) && options.apiUrl !== undefined ? options.apiUrl : `http://${apiId}.execute-api.localhost${port === undefined ? '' : `:${port}`}`;
  const view = (managed: ManagedApi) => apiView(managed, endpoint(managed.api.apiId));
  const read = <T>(operation: (store: ManagementStore) => T) => management.read(operation);
  const change = <T>(operation: (store: ManagementStore) => T) => management.change(operation);
  const query = (c: Context) => ({ maxResults: c.req.query('maxResults'), nextToken: c.req.query('nextToken') });
  const importQuery = (c: Context) => ({ basepath: c.req.query('basepath'), failOnWarnings: c.req.query('failOnWarnings') });
  const ok = (body: unknown): Answer => ({ status: 200, body });
  const created = (body: unknown): Answer => ({ status: 201, body });
  const none: Answer = { status: 204 };

  /** One operation: a reading one answers from the state; a changing one is logged. */
  const on = (method: Method, path: string, name: string, operation: Operation) => {
    app.on(method, path, async (c) => {
      const requestId = randomUUID();
      const changing = method !== 'GET';
      try {
        const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(c);
        const answer = await operation(c, body);
        if (changing) gateway.logger.info(`admin ${name}${describe(c)} → ${answer.status}`);
        const headers = { 'x-amzn-requestid': requestId };
        if (answer.status === 204 || answer.body === undefined) return c.body(null, answer.status as 204, headers);
        if (typeof answer.body === 'string') return c.body(answer.body, answer.status as 200, { ...headers, 'content-type': answer.contentType ?? 'text/plain; charset=utf-8' });
        return c.json(answer.body, answer.status as 200, headers);
      } catch (error) {
        if (!isManagementError(error)) throw error;
        if (changing) gateway.logger.warn(`admin ${name}${describe(c)} → ${error.statusCode} ${error.type}: ${escapeLogText(error.message)}`);
        return errorResponse(error, requestId);
      }
    });
  };

  // APIs
  on('POST', '/v2/apis', 'CreateApi', async (_c, body) => created(view(await change((s) => s.createApi(body)))));
  on('GET', '/v2/apis', 'GetApis', (c) => {
    const page = read((s) => s.getApis(query(c)));
    return ok({ ...page, items: page.items.map(view) });
  });
  on('GET', '/v2/apis/:apiId', 'GetApi', (c) => ok(view(read((s) => s.managed(param(c, 'apiId'))))));
  on('PATCH', '/v2/apis/:apiId', 'UpdateApi', async (c, body) => ok(view(await change((s) => s.updateApi(param(c, 'apiId'), body)))));
  on('DELETE', '/v2/apis/:apiId', 'DeleteApi', async (c) => (await change((s) => s.deleteApi(param(c, 'apiId'))), none));
  on('PUT', '/v2/apis', 'ImportApi', async (c, body) => {
    const documents = await loadDocuments();
    return created(view(await change((s) => s.importApi(documents, body, importQuery(c)))));
  });
  on('PUT', '/v2/apis/:apiId', 'ReimportApi', async (c, body) => {
    const documents = await loadDocuments();
    return created(view(await change((s) => s.reimportApi(documents, param(c, 'apiId'), body, importQuery(c)))));
  });
  on('GET', '/v2/apis/:apiId/exports/:specification', 'ExportApi', async (c) => {
    const documents = await loadDocuments();
    const exported = read((s) =>
      s.exportApi(documents, param(c, 'apiId'), param(c, 'specification'), {
        outputType: c.req.query('outputType'),
        stageName: c.req.query('stageName'),
        includeExtensions: c.req.query('includeExtensions'),
        exportVersion: c.req.query('exportVersion'),
      }),
    );
    return { status: 200, body: exported.body, contentType: exported.contentType };
  });
  on('DELETE', '/v2/apis/:apiId/cors', 'DeleteCorsConfiguration', async (c) => (await change((s) => s.deleteCorsConfiguration(param(c, 'apiId'))), none));

  // Routes
  on('POST', '/v2/apis/:apiId/routes', 'CreateRoute', async (c, body) => created(await change((s) => s.createRoute(param(c, 'apiId'), body))));
  on('GET', '/v2/apis/:apiId/routes', 'GetRoutes', (c) => ok(read((s) => s.getRoutes(param(c, 'apiId'), query(c)))));
  on('GET', '/v2/apis/:apiId/routes/:routeId', 'GetRoute', (c) => ok(read((s) => s.getRoute(param(c, 'apiId'), param(c, 'routeId')))));
  on('PATCH', '/v2/apis/:apiId/routes/:routeId', 'UpdateRoute', async (c, body) => ok(await change((s) => s.updateRoute(param(c, 'apiId'), param(c, 'routeId'), body))));
  on('DELETE', '/v2/apis/:apiId/routes/:routeId', 'DeleteRoute', async (c) => (await change((s) => s.deleteRoute(param(c, 'apiId'), param(c, 'routeId'))), none));

  // Integrations
  on('POST', '/v2/apis/:apiId/integrations', 'CreateIntegration', async (c, body) => created(await change((s) => s.createIntegration(param(c, 'apiId'), body))));
  on('GET', '/v2/apis/:apiId/integrations', 'GetIntegrations', (c) => ok(read((s) => s.getIntegrations(param(c, 'apiId'), query(c)))));
  on('GET', '/v2/apis/:apiId/integrations/:integrationId', 'GetIntegration', (c) => ok(read((s) => s.getIntegration(param(c, 'apiId'), param(c, 'integrationId')))));
  on('PATCH', '/v2/apis/:apiId/integrations/:integrationId', 'UpdateIntegration', async (c, body) =>
    ok(await change((s) => s.updateIntegration(param(c, 'apiId'), param(c, 'integrationId'), body))),
  );
  on('DELETE', '/v2/apis/:apiId/integrations/:integrationId', 'DeleteIntegration', async (c) => (await change((s) => s.deleteIntegration(param(c, 'apiId'), param(c, 'integrationId'))), none));

  // Authorizers
  on('POST', '/v2/apis/:apiId/authorizers', 'CreateAuthorizer', async (c, body) => created(await change((s) => s.createAuthorizer(param(c, 'apiId'), body))));
  on('GET', '/v2/apis/:apiId/authorizers', 'GetAuthorizers', (c) => ok(read((s) => s.getAuthorizers(param(c, 'apiId'), query(c)))));
  on('GET', '/v2/apis/:apiId/authorizers/:authorizerId', 'GetAuthorizer', (c) => ok(read((s) => s.getAuthorizer(param(c, 'apiId'), param(c, 'authorizerId')))));
  on('PATCH', '/v2/apis/:apiId/authorizers/:authorizerId', 'UpdateAuthorizer', async (c, body) =>
    ok(await change((s) => s.updateAuthorizer(param(c, 'apiId'), param(c, 'authorizerId'), body))),
  );
  on('DELETE', '/v2/apis/:apiId/authorizers/:authorizerId', 'DeleteAuthorizer', async (c) => (await change((s) => s.deleteAuthorizer(param(c, 'apiId'), param(c, 'authorizerId'))), none));

  // Stages
  on('POST', '/v2/apis/:apiId/stages', 'CreateStage', async (c, body) => created(await change((s) => s.createStage(param(c, 'apiId'), body))));
  on('GET', '/v2/apis/:apiId/stages', 'GetStages', (c) => ok(read((s) => s.getStages(param(c, 'apiId'), query(c)))));
  on('GET', '/v2/apis/:apiId/stages/:stageName', 'GetStage', (c) => ok(read((s) => s.getStage(param(c, 'apiId'), param(c, 'stageName')))));
  on('PATCH', '/v2/apis/:apiId/stages/:stageName', 'UpdateStage', async (c, body) => ok(await change((s) => s.updateStage(param(c, 'apiId'), param(c, 'stageName'), body))));
  on('DELETE', '/v2/apis/:apiId/stages/:stageName', 'DeleteStage', async (c) => (await change((s) => s.deleteStage(param(c, 'apiId'), param(c, 'stageName'))), none));
  on('DELETE', '/v2/apis/:apiId/stages/:stageName/routesettings/:routeKey', 'DeleteRouteSettings', async (c) => {
    await change((s) => s.deleteRouteSettings(param(c, 'apiId'), param(c, 'stageName'), param(c, 'routeKey')));
    return none;
  });
  on('DELETE', '/v2/apis/:apiId/stages/:stageName/accesslogsettings', 'DeleteAccessLogSettings', async (c) => {
    await change((s) => s.deleteAccessLogSettings(param(c, 'apiId'), param(c, 'stageName')));
    return none;
  });
  on('DELETE', '/v2/apis/:apiId/stages/:stageName/cache/authorizers', 'ResetAuthorizersCache', (c) => {
    const apiId = param(c, 'apiId');
    const stageName = param(c, 'stageName');
    read((s) => s.getStage(apiId, stageName));
    management.resetAuthorizersCache(apiId, stageName);
    return none;
  });

  // Deployments
  on('POST', '/v2/apis/:apiId/deployments', 'CreateDeployment', async (c, body) => created(await change((s) => s.createDeployment(param(c, 'apiId'), body))));
  on('GET', '/v2/apis/:apiId/deployments', 'GetDeployments', (c) => ok(read((s) => s.getDeployments(param(c, 'apiId'), query(c)))));
  on('GET', '/v2/apis/:apiId/deployments/:deploymentId', 'GetDeployment', (c) => ok(read((s) => s.getDeployment(param(c, 'apiId'), param(c, 'deploymentId')))));
  on('PATCH', '/v2/apis/:apiId/deployments/:deploymentId', 'UpdateDeployment', async (c, body) =>
    ok(await change((s) => s.updateDeployment(param(c, 'apiId'), param(c, 'deploymentId'), body))),
  );
  on('DELETE', '/v2/apis/:apiId/deployments/:deploymentId', 'DeleteDeployment', async (c) => (await change((s) => s.deleteDeployment(param(c, 'apiId'), param(c, 'deploymentId'))), none));

  // Tags
  on('GET', '/v2/tags/:arn', 'GetTags', (c) => ok(read((s) => s.getTags(param(c, 'arn')))));
  on('POST', '/v2/tags/:arn', 'TagResource', async (c, body) => {
    const input = new Input(body);
    const tags = input.required('tags', input.stringMap('tags'));
    await change((s) => s.tagResource(param(c, 'arn'), tags));
    return created({});
  });
  on('DELETE', '/v2/tags/:arn', 'UntagResource', async (c) => {
    const keys = c.req.queries('tagKeys');
    if (!keys) throw badRequest('The request is missing the required member "tagKeys"');
    await change((s) => s.untagResource(param(c, 'arn'), keys));
    return none;
  });

  // Not an AWS operation: what a stage serves, as a native config, for `localgw export --from`.
  on('GET', '/localgw/served-config', 'ServedConfig', (c) => ok(management.servedConfig(c.req.query('apiId'), c.req.query('stageName'))));

  app.notFound(notFound);
  app.onError(internalError(gateway));
  return app;
}

/** A path no operation has: NotFoundException, as the management API answers it. */
export const notFound = (c: Context) =>
  errorResponse({ type: 'NotFoundException', statusCode: 404, message: `${c.req.method} ${c.req.path} is not an operation localgw emulates (see docs/management-api.md)` }, randomUUID());

/** A failure of localgw itself: logged, and answered 500 so that the client sees what failed. */
export const internalError = (gateway: Gateway) => (error: Error, c: Context) => {
  gateway.logger.error(`admin ${c.req.method} ${escapeLogText(c.req.path)}: ${error.stack ?? error.message}`);
  return errorResponse({ type: 'InternalServerErrorException', statusCode: 500, message: `localgw failed: ${error.message}` }, randomUUID());
};

/** A path parameter of the route (always there: the route matched with it). */
function param(c: Context, name: string): string {
  return c.req.param(name) ?? '';
}

/** `api-id`, `api-id GET /x`: what a change was about, for its log line. */
function describe(c: Context): string {
  const params = c.req.param() as Record<string, string>;
  const parts = Object.values(params);
  return parts.length > 0 ? ` ${escapeLogText(parts.join(' '))}` : '';
}

/** The JSON body, read up to MAX_BODY_BYTES: a client cannot make the gateway buffer more. */
async function readBody(c: Context): Promise<unknown> {
  const tooLarge = () => badRequest(`The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const body = c.req.raw.body;
  if (body) {
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) throw tooLarge();
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Could not parse request body into json: the body must be a JSON object');
  }
}
