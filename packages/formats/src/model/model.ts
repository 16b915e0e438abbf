/**
 * The one model every format comes down to (config-formats.md §0.2): the API Gateway v2
 * management API's own resources — Api, Route, Integration, Authorizer, Stage — with the
 * management API's camelCase names and canonical values (§6.1), plus the Lambda functions the
 * integrations invoke. Readers (CloudFormation, SAM, CDK output; later OpenAPI, serverless.yml
 * and the management API) build it; `toLocalgwConfig` turns one Api into the config the gateway
 * runs. Every object remembers where each of its fields was written, so errors and
 * `localgw routes` can name the file and line.
 */

/** Where a field was written: the file, the JSON pointer inside it, and its line. */
export interface SourceRef {
  /** The file as localgw names it to the user (relative to the project when inside it). */
  readonly file: string;
  readonly pointer: string;
  readonly line: number | undefined;
}

/**
 * A field whose value only exists in AWS, or was made up locally. `placeholder`: the field has
 * a stand-in value (a warning where it matters); otherwise it has none (an error where needed).
 */
export interface UnresolvedField {
  readonly reason: string;
  readonly placeholder: boolean;
  readonly source: SourceRef | undefined;
}

/** Source tracking shared by every resource of the model. */
export interface Traced {
  /** The resource (or, for generated ones, what generated it: a SAM event, a quick create). */
  source: SourceRef | undefined;
  /** By field name, dotted for nested fields (`jwtConfiguration.issuer`). */
  fieldSources: Record<string, SourceRef>;
  /** Fields that could not be resolved locally, by field name. */
  unresolved: Record<string, UnresolvedField>;
}

export interface CorsConfiguration {
  allowCredentials?: boolean;
  allowHeaders?: string[];
  allowMethods?: string[];
  allowOrigins?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

export interface Api extends Traced {
  apiId: string;
  name: string;
  protocolType: 'HTTP';
  corsConfiguration?: CorsConfiguration;
  disableExecuteApiEndpoint?: boolean;
  description?: string;
  /** The template's logical id (what `--api` selects); undefined for APIs made another way. */
  logicalId: string | undefined;
  routes: Route[];
  integrations: Integration[];
  authorizers: Authorizer[];
  stages: Stage[];
}

export type AuthorizationType = 'NONE' | 'JWT' | 'CUSTOM' | 'AWS_IAM';

export interface Route extends Traced {
  routeId: string;
  /** `$default` or `METHOD /path`, method upper-case. */
  routeKey: string;
  /** `integrations/<integrationId>`; undefined: a route without a target. */
  target?: string;
  authorizationType: AuthorizationType;
  authorizerId?: string;
  authorizationScopes?: string[];
  operationName?: string;
}

export interface Integration extends Traced {
  integrationId: string;
  /** `AWS_PROXY` or `HTTP_PROXY` for HTTP APIs; anything else is reported and not served. */
  integrationType: string;
  integrationUri?: string;
  integrationMethod?: string;
  payloadFormatVersion?: '1.0' | '2.0';
  timeoutInMillis?: number;
  requestParameters?: Record<string, string>;
  responseParameters?: Record<string, Record<string, string>>;
  connectionType?: string;
  integrationSubtype?: string;
}

export interface Authorizer extends Traced {
  authorizerId: string;
  /** The name written in the file: localgw's authorizer name everywhere (logs, `token --authorizer`). */
  name: string;
  /** Other names it is known by (a CloudFormation logical id when `Name` is set). */
  aliases: string[];
  authorizerType: 'JWT' | 'REQUEST';
  identitySource: string[];
  jwtConfiguration?: { issuer?: string; audience?: string[] };
  authorizerUri?: string;
  authorizerPayloadFormatVersion?: '1.0' | '2.0';
  enableSimpleResponses?: boolean;
  authorizerResultTtlInSeconds?: number;
}

export interface RouteSettings {
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  detailedMetricsEnabled?: boolean;
  loggingLevel?: string;
  dataTraceEnabled?: boolean;
}

export interface Stage extends Traced {
  stageName: string;
  stageVariables?: Record<string, string>;
  autoDeploy?: boolean;
  defaultRouteSettings?: RouteSettings;
  routeSettings?: Record<string, RouteSettings>;
}

/** Where a function's code is, when it can run locally. */
export type FunctionCode =
  /** A folder, as a project path (`hello-world`, `cdk.out/asset.4e8a…`). */
  | { kind: 'dir'; dir: string }
  /** Code written in the template (`Code.ZipFile`, `InlineCode`): Lambda saves it as `index.js`. */
  | { kind: 'inline'; code: string }
  /** Code localgw cannot load (S3, a container image, a zip, inline code): why, and the fix. */
  | { kind: 'unavailable'; reason: string; hint: string };

export interface LambdaFunction extends Traced {
  /** The function's name: its `FunctionName` when the template sets one, else its logical id. */
  functionName: string;
  logicalId: string;
  /** `file.export` inside the code folder (Lambda's `Handler`). */
  handler?: string;
  code: FunctionCode;
  runtime?: string;
  /** Seconds; Lambda's default is 3. */
  timeout?: number;
  environment?: Record<string, string>;
  /** The folder `sam build` writes this function to, tried when `code` does not hold the handler. */
  buildDir?: string;
}

export interface FormatIssue {
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  source: SourceRef | undefined;
}

/** Everything read from a project: its APIs in the order they are declared, and its functions. */
export interface ApiModel {
  apis: Api[];
  functions: LambdaFunction[];
  issues: FormatIssue[];
  /** Every file read, for the watcher. */
  files: string[];
}

export function traced(source: SourceRef | undefined): Traced {
  return { source, fieldSources: {}, unresolved: {} };
}
