import type { CorsConfiguration, Integration, RouteSettings, Stage, Traced } from '../model/model.js';
import type { Fields } from './fields.js';

/**
 * §1.8: YAML reads `payloadFormatVersion: 2.0` as the number 2. `1`, `1.0`, `"1.0"` → `"1.0"`,
 * `2`, `2.0`, `"2.0"` → `"2.0"`; anything else is an error naming the field.
 */
export function readPayloadVersion(fields: Fields, key: string, field: string): '1.0' | '2.0' | undefined {
  const value = fields.value(key, field);
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (text === '1' || text === '1.0') return '1.0';
  if (text === '2' || text === '2.0') return '2.0';
  fields.stack.issue('error', fields.pointerOf(key), `${key} is "${text}": it must be "1.0" or "2.0"`);
  return undefined;
}

const CORS_KEYS: Record<string, keyof CorsConfiguration> = {
  AllowCredentials: 'allowCredentials',
  AllowHeaders: 'allowHeaders',
  AllowMethods: 'allowMethods',
  AllowOrigins: 'allowOrigins',
  ExposeHeaders: 'exposeHeaders',
  MaxAge: 'maxAge',
};

/** `CorsConfiguration` with CloudFormation's PascalCase keys (§6.2) → the API's camelCase. */
export function readCors(cors: Fields): CorsConfiguration {
  const out: CorsConfiguration = {};
  for (const key of cors.keys()) {
    const field = CORS_KEYS[key];
    if (field === undefined) {
      cors.stack.issue('error', cors.pointerOf(key), `unknown CORS setting ${key}`, `CorsConfiguration takes ${Object.keys(CORS_KEYS).join(', ')}`);
      continue;
    }
    if (field === 'allowCredentials') {
      const value = cors.boolean(key, field);
      if (value !== undefined) out.allowCredentials = value;
    } else if (field === 'maxAge') {
      const value = cors.number(key, field);
      if (value !== undefined) out.maxAge = value;
    } else {
      const value = cors.strings(key, field);
      if (value !== undefined) out[field] = value;
    }
  }
  return out;
}

const ROUTE_SETTINGS: Record<string, keyof RouteSettings> = {
  ThrottlingBurstLimit: 'throttlingBurstLimit',
  ThrottlingRateLimit: 'throttlingRateLimit',
  DetailedMetricsEnabled: 'detailedMetricsEnabled',
  LoggingLevel: 'loggingLevel',
  DataTraceEnabled: 'dataTraceEnabled',
};

/** A stage's `DefaultRouteSettings` or one entry of `RouteSettings`. */
export function readRouteSettings(settings: Fields): RouteSettings {
  const out: RouteSettings = {};
  for (const key of settings.keys()) {
    const field = ROUTE_SETTINGS[key];
    if (field === 'throttlingBurstLimit' || field === 'throttlingRateLimit') {
      const value = settings.number(key, field);
      if (value !== undefined) out[field] = value;
    } else if (field === 'detailedMetricsEnabled' || field === 'dataTraceEnabled') {
      const value = settings.boolean(key, field);
      if (value !== undefined) out[field] = value;
    } else if (field === 'loggingLevel') {
      const value = settings.string(key, field);
      if (value !== undefined) out.loggingLevel = value;
    }
  }
  return out;
}

/** `RouteSettings: { "GET /items": {…} }`. */
export function readRouteSettingsMap(fields: Fields, key: string, field: string): Record<string, RouteSettings> | undefined {
  const block = fields.block(key, field);
  if (block === undefined) return undefined;
  const out: Record<string, RouteSettings> = {};
  for (const routeKey of block.keys()) {
    const entry = block.block(routeKey, routeKey);
    if (entry) out[routeKey] = readRouteSettings(entry);
  }
  return out;
}

/** Marks a field as set by the reader itself (a default the format defines), sourced where its owner is. */
export function sourceDefault(target: Traced, field: string): void {
  if (target.source && !target.fieldSources[field]) target.fieldSources[field] = target.source;
}

/** `StageVariables`, `DefaultRouteSettings`, `RouteSettings`: a V2 Stage's, a SAM HttpApi's, a quick-create override's. */
export function readStageSettings(fields: Fields, stage: Stage): void {
  const variables = fields.stringMap('StageVariables', 'stageVariables');
  if (variables !== undefined) stage.stageVariables = variables;
  const defaults = fields.block('DefaultRouteSettings', 'defaultRouteSettings');
  if (defaults) stage.defaultRouteSettings = readRouteSettings(defaults);
  const perRoute = readRouteSettingsMap(fields, 'RouteSettings', 'routeSettings');
  if (perRoute) stage.routeSettings = perRoute;
}

/** How a format spells an integration's fields: CloudFormation's PascalCase, OpenAPI's extension. */
export interface IntegrationKeys {
  type?: string;
  uri?: string;
  method?: string;
  payloadFormatVersion: string;
  timeoutInMillis: string;
  connectionType?: string;
  integrationSubtype?: string;
  requestParameters?: string;
}

export const CFN_INTEGRATION_KEYS: IntegrationKeys = {
  type: 'IntegrationType',
  uri: 'IntegrationUri',
  method: 'IntegrationMethod',
  payloadFormatVersion: 'PayloadFormatVersion',
  timeoutInMillis: 'TimeoutInMillis',
  connectionType: 'ConnectionType',
  integrationSubtype: 'IntegrationSubtype',
  requestParameters: 'RequestParameters',
};

const INTEGRATION_TYPES: Record<string, string> = { aws_proxy: 'AWS_PROXY', http_proxy: 'HTTP_PROXY', aws: 'AWS', http: 'HTTP', mock: 'MOCK' };

/** The integration fields both formats share, normalised (§6.1: upper-case types and methods). */
export function readIntegrationFields(fields: Fields, integration: Integration, keys: IntegrationKeys): void {
  const type = keys.type === undefined ? undefined : fields.string(keys.type, 'integrationType');
  if (type !== undefined) integration.integrationType = INTEGRATION_TYPES[type.toLowerCase()] ?? type.toUpperCase();
  const uri = keys.uri === undefined ? undefined : fields.string(keys.uri, 'integrationUri');
  if (uri !== undefined) integration.integrationUri = uri;
  const method = keys.method === undefined ? undefined : fields.string(keys.method, 'integrationMethod');
  if (method !== undefined) integration.integrationMethod = method.toUpperCase();
  const version = readPayloadVersion(fields, keys.payloadFormatVersion, 'payloadFormatVersion');
  if (version !== undefined) integration.payloadFormatVersion = version;
  const timeout = fields.number(keys.timeoutInMillis, 'timeoutInMillis');
  if (timeout !== undefined) integration.timeoutInMillis = timeout;
  const connection = keys.connectionType === undefined ? undefined : fields.string(keys.connectionType, 'connectionType');
  if (connection !== undefined) integration.connectionType = connection.toUpperCase();
  const subtype = keys.integrationSubtype === undefined ? undefined : fields.string(keys.integrationSubtype, 'integrationSubtype');
  if (subtype !== undefined) integration.integrationSubtype = subtype;
  const request = keys.requestParameters === undefined ? undefined : fields.stringMap(keys.requestParameters, 'requestParameters');
  if (request !== undefined) integration.requestParameters = request;
}
