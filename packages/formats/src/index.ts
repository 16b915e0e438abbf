// @localgw/formats: the API Gateway v2 resource model (config-formats.md §0.2) and its readers.
// Pure: files are read by the caller through a FormatHost. Values first, then types.

// What serving takes (also its own entry, @localgw/formats/serving), then the readers and writers.
export * from './serving.js';

export { readTemplates } from './cloudformation/read-template.js';
export { readAssemblyManifest, readAssetsManifest } from './cdk/cloud-assembly.js';
export { parseText } from './source/parse-text.js';
export { parseLambdaUri } from './cloudformation/lambda-arn.js';
export { describeSource } from './source/format-source.js';
export { toPointer, pointerSegments, readablePointer } from './source/pointer.js';
export { PSEUDO_PARAMETERS } from './cloudformation/stack.js';
export { importOpenApi, readOpenApiFile } from './openapi/import-openapi.js';
export { exportOpenApi, HTTP_API_EXTENSIONS } from './openapi/export-openapi.js';
export { exportCloudFormation } from './cloudformation/export-template.js';
export { fromLocalgwConfig, lambdaInvocationUri, localFunctionsOf } from './model/from-config.js';
export { readServerless, readServerlessConfig, SERVERLESS_API_ID } from './serverless/read-serverless.js';
export { authorizerFunctionName } from './model/config-as-model.js';
export { ManagementError } from './management/errors.js';
export { readCors } from './management/apis.js';
export { fingerprint, shortId } from './management/from-model.js';

export type { FormatHost, TemplateEntry, ReadTemplateOptions } from './cloudformation/read-template.js';
export type { ImportedApi, ImportIssue, ToConfigOptions, FunctionOverride, UnavailableHandler } from './model/to-config.js';
export type { ImportOpenApiOptions, OpenApiImport } from './openapi/import-openapi.js';
export type { ExportOpenApiOptions } from './openapi/export-openapi.js';
export type { FromConfigOptions, ConfigModel } from './model/from-config.js';
export type { ReadServerlessOptions } from './serverless/read-serverless.js';
export type { AssemblyManifest, AssemblyStack } from './cdk/cloud-assembly.js';
export type { ConfigAsModel, ConfigExtras } from './model/config-as-model.js';
export type { PageQuery, Page, Documents } from './management/store.js';
export type { StoreDeps } from './management/context.js';
export type { ManagementErrorType } from './management/errors.js';
export type { ModelAsManaged, FromModelOptions } from './management/from-model.js';
export type {
  ManagementState,
  ManagedApi,
  ApiResource,
  RouteResource,
  IntegrationResource,
  AuthorizerResource,
  StageResource,
  DeploymentResource,
  StoredDeployment,
  ApiSnapshot,
} from './management/resources.js';
export type { SourceText, ParseTextResult } from './source/parse-text.js';
export type { LambdaTarget } from './cloudformation/lambda-arn.js';
export type {
  ApiModel,
  Api,
  Route,
  Integration,
  Authorizer,
  Stage,
  RouteSettings,
  CorsConfiguration,
  LambdaFunction,
  FunctionCode,
  FormatIssue,
  SourceRef,
  Traced,
  UnresolvedField,
  AuthorizationType,
} from './model/model.js';
