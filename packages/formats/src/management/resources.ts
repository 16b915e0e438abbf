import type { CorsConfiguration, RouteSettings } from '../model/model.js';

/**
 * The API Gateway v2 management API's resources as they travel on the wire (config-formats.md
 * §5.3): camelCase members, ISO-8601 dates. The management state is kept in this shape — what a
 * client set is what it reads back — and turned into the model (§0.2) when it is served. The
 * model's field names are the wire's, so that conversion only picks fields.
 */

export interface ApiResource {
  apiId: string;
  name: string;
  protocolType: 'HTTP';
  routeSelectionExpression: string;
  apiKeySelectionExpression: string;
  createdDate: string;
  tags: Record<string, string>;
  corsConfiguration?: CorsConfiguration;
  description?: string;
  disableExecuteApiEndpoint?: boolean;
  disableSchemaValidation?: boolean;
  version?: string;
  ipAddressType?: string;
  /** Set on APIs made by quick create or an import. */
  apiGatewayManaged?: boolean;
  importInfo?: string[];
  warnings?: string[];
}

export interface RouteResource {
  routeId: string;
  routeKey: string;
  authorizationType: 'NONE' | 'JWT' | 'CUSTOM' | 'AWS_IAM';
  apiKeyRequired: boolean;
  target?: string;
  authorizerId?: string;
  authorizationScopes?: string[];
  operationName?: string;
  apiGatewayManaged?: boolean;
  requestParameters?: Record<string, unknown>;
  requestModels?: Record<string, string>;
  modelSelectionExpression?: string;
  routeResponseSelectionExpression?: string;
}

export interface IntegrationResource {
  integrationId: string;
  integrationType: string;
  connectionType: string;
  integrationUri?: string;
  integrationMethod?: string;
  payloadFormatVersion?: string;
  timeoutInMillis?: number;
  integrationSubtype?: string;
  connectionId?: string;
  credentialsArn?: string;
  description?: string;
  requestParameters?: Record<string, string>;
  responseParameters?: Record<string, Record<string, string>>;
  tlsConfig?: { serverNameToVerify?: string };
  apiGatewayManaged?: boolean;
}

export interface AuthorizerResource {
  authorizerId: string;
  name: string;
  authorizerType: 'JWT' | 'REQUEST';
  identitySource: string[];
  jwtConfiguration?: { issuer?: string; audience?: string[] };
  authorizerUri?: string;
  authorizerPayloadFormatVersion?: string;
  enableSimpleResponses?: boolean;
  authorizerResultTtlInSeconds?: number;
  authorizerCredentialsArn?: string;
  identityValidationExpression?: string;
}

export interface StageResource {
  stageName: string;
  autoDeploy: boolean;
  createdDate: string;
  lastUpdatedDate: string;
  defaultRouteSettings: RouteSettings;
  routeSettings: Record<string, RouteSettings>;
  stageVariables: Record<string, string>;
  tags: Record<string, string>;
  deploymentId?: string;
  description?: string;
  lastDeploymentStatusMessage?: string;
  accessLogSettings?: { destinationArn?: string; format?: string };
  clientCertificateId?: string;
  apiGatewayManaged?: boolean;
}

export interface DeploymentResource {
  deploymentId: string;
  createdDate: string;
  deploymentStatus: 'PENDING' | 'FAILED' | 'DEPLOYED';
  autoDeployed: boolean;
  description?: string;
  deploymentStatusMessage?: string;
}

/** What a deployment freezes (aws-behavior.md §1.2): everything but the stages, CORS included. */
export interface ApiSnapshot {
  corsConfiguration?: CorsConfiguration;
  disableExecuteApiEndpoint?: boolean;
  routes: RouteResource[];
  integrations: IntegrationResource[];
  authorizers: AuthorizerResource[];
}

export interface StoredDeployment extends DeploymentResource {
  snapshot: ApiSnapshot;
}

/** One API and everything in it, as the management API sees it. */
export interface ManagedApi {
  api: ApiResource;
  routes: RouteResource[];
  integrations: IntegrationResource[];
  authorizers: AuthorizerResource[];
  stages: StageResource[];
  deployments: StoredDeployment[];
  /**
   * `config`: read from the config file (or template), which a later edit of the file replaces;
   * `management`: created through the management API.
   */
  origin: 'config' | 'management';
  /** The management calls that changed an API read from the config file, for the reload's log. */
  changes: string[];
  /** Fingerprint of what the config file said about this API, to tell an edit of the file from a reload of handlers. */
  baseline?: string;
}

/** Everything the management API holds: what `--state FILE` persists. */
export interface ManagementState {
  version: 1;
  apis: ManagedApi[];
}

export function emptyState(): ManagementState {
  return { version: 1, apis: [] };
}

/** The defaults AWS echoes for an HTTP API (config-formats.md §5.3). */
export const ROUTE_SELECTION_EXPRESSION = '$request.method $request.path';
export const API_KEY_SELECTION_EXPRESSION = '$request.header.x-api-key';
