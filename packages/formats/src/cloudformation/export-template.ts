import { cloneData } from '../model/clone.js';
import type { Api, CorsConfiguration, Integration, RouteSettings } from '../model/model.js';
import { parseLambdaUri } from './lambda-arn.js';
import { PSEUDO_PARAMETERS } from './stack.js';

type Json = Record<string, unknown>;

/**
 * One Api of the model → a CloudFormation template of `AWS::ApiGatewayV2::*` resources (Api,
 * Stage, Authorizer, Integration, Route; config-formats.md §4.1) that `aws cloudformation deploy`
 * takes. The functions stay where they are: each Lambda the API invokes is a parameter, its
 * name (default the name localgw runs it under), from which the ARN is built in the account and
 * region deployed to, with the permission for API Gateway to invoke it.
 */
export function exportCloudFormation(api: Api): Json {
  const parameters: Record<string, Json> = {};
  const resources: Record<string, Json> = {};
  const logicalIds = new Set<string>(['Api', 'Stage']);
  const unique = (base: string) => {
    const clean = (base.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^[^A-Za-z]+/, '') || 'Resource').slice(0, 200);
    let id = clean.charAt(0).toUpperCase() + clean.slice(1);
    for (let n = 2; logicalIds.has(id); n++) id = `${clean.charAt(0).toUpperCase() + clean.slice(1)}${n}`;
    logicalIds.add(id);
    return id;
  };
  const functionParameters = new Map<string, string>();
  /** A Lambda URI → the ARN built from its function's name parameter (one per function). */
  const lambdaArn = (uri: string | undefined, what: string): unknown => {
    const name = uri === undefined ? undefined : parseLambdaUri(uri.replace(/\$\{(AWS::[A-Za-z]+)\}/g, (whole, name: string) => PSEUDO_PARAMETERS[name] ?? whole))?.functionName;
    if (name === undefined) return uri;
    let parameter = functionParameters.get(name);
    if (parameter === undefined) {
      parameter = unique(`${name}FunctionName`);
      functionParameters.set(name, parameter);
      parameters[parameter] = { Type: 'String', Default: name, Description: `Name of the deployed Lambda function for ${what} (localgw runs it as ${name})` };
      resources[unique(`${name}Permission`)] = {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { Ref: parameter },
          Principal: 'apigateway.amazonaws.com',
          SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*' },
        },
      };
    }
    return { 'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:\${${parameter}}` };
  };

  const apiProperties: Json = { Name: api.name, ProtocolType: 'HTTP' };
  if (api.description !== undefined) apiProperties.Description = api.description;
  if (api.disableExecuteApiEndpoint !== undefined) apiProperties.DisableExecuteApiEndpoint = api.disableExecuteApiEndpoint;
  if (api.corsConfiguration && Object.keys(api.corsConfiguration).length > 0) apiProperties.CorsConfiguration = cfnCors(api.corsConfiguration);
  resources.Api = { Type: 'AWS::ApiGatewayV2::Api', Properties: apiProperties };

  const authorizerIds = new Map<string, string>();
  for (const authorizer of api.authorizers) {
    const id = unique(`${authorizer.name}Authorizer`);
    authorizerIds.set(authorizer.authorizerId, id);
    const properties: Json = { ApiId: { Ref: 'Api' }, Name: authorizer.name, AuthorizerType: authorizer.authorizerType, IdentitySource: [...authorizer.identitySource] };
    if (authorizer.authorizerType === 'JWT') {
      properties.JwtConfiguration = { Issuer: authorizer.jwtConfiguration?.issuer, Audience: [...(authorizer.jwtConfiguration?.audience ?? [])] };
    } else {
      const arn = lambdaArn(authorizer.authorizerUri, `authorizer ${authorizer.name}`);
      properties.AuthorizerUri = typeof arn === 'object' ? { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/', arn, '/invocations']] } : arn;
      if (authorizer.authorizerPayloadFormatVersion !== undefined) properties.AuthorizerPayloadFormatVersion = authorizer.authorizerPayloadFormatVersion;
      if (authorizer.enableSimpleResponses !== undefined) properties.EnableSimpleResponses = authorizer.enableSimpleResponses;
      if (authorizer.authorizerResultTtlInSeconds !== undefined) properties.AuthorizerResultTtlInSeconds = authorizer.authorizerResultTtlInSeconds;
    }
    resources[id] = { Type: 'AWS::ApiGatewayV2::Authorizer', Properties: properties };
  }

  const integrationIds = new Map<string, string>();
  const integrationResource = (integration: Integration, routeKey: string): string => {
    const known = integrationIds.get(integration.integrationId);
    if (known !== undefined) return known;
    const id = unique(`${routeKey === '$default' ? 'Default' : routeKey}Integration`);
    integrationIds.set(integration.integrationId, id);
    const lambda = integration.integrationType === 'AWS_PROXY';
    const properties: Json = { ApiId: { Ref: 'Api' }, IntegrationType: integration.integrationType };
    properties.IntegrationUri = lambda ? lambdaArn(integration.integrationUri, routeKey) : integration.integrationUri;
    if (!lambda) properties.IntegrationMethod = integration.integrationMethod ?? 'ANY';
    properties.PayloadFormatVersion = integration.payloadFormatVersion ?? (lambda ? '2.0' : '1.0');
    if (integration.connectionType !== undefined) properties.ConnectionType = integration.connectionType;
    if (integration.timeoutInMillis !== undefined) properties.TimeoutInMillis = integration.timeoutInMillis;
    if (integration.integrationSubtype !== undefined) properties.IntegrationSubtype = integration.integrationSubtype;
    if (integration.requestParameters && Object.keys(integration.requestParameters).length > 0) properties.RequestParameters = { ...integration.requestParameters };
    if (integration.responseParameters && Object.keys(integration.responseParameters).length > 0) {
      // CloudFormation's shape (§4.1): {"404": {"ResponseParameters": [{"Destination", "Source"}]}}.
      properties.ResponseParameters = Object.fromEntries(
        Object.entries(integration.responseParameters).map(([status, map]) => [status, { ResponseParameters: Object.entries(map).map(([Destination, Source]) => ({ Destination, Source })) }]),
      );
    }
    resources[id] = { Type: 'AWS::ApiGatewayV2::Integration', Properties: properties };
    return id;
  };

  const routeIds: string[] = [];
  for (const route of api.routes) {
    const properties: Json = { ApiId: { Ref: 'Api' }, RouteKey: route.routeKey };
    const integration = route.target === undefined ? undefined : api.integrations.find((i) => route.target === `integrations/${i.integrationId}`);
    if (integration) properties.Target = { 'Fn::Join': ['/', ['integrations', { Ref: integrationResource(integration, route.routeKey) }]] };
    properties.AuthorizationType = route.authorizationType;
    const authorizer = route.authorizerId === undefined ? undefined : authorizerIds.get(route.authorizerId);
    if (authorizer !== undefined && (route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM')) properties.AuthorizerId = { Ref: authorizer };
    if (route.authorizationType === 'JWT' && route.authorizationScopes?.length) properties.AuthorizationScopes = [...route.authorizationScopes];
    if (route.operationName !== undefined) properties.OperationName = route.operationName;
    const id = unique(`${route.routeKey === '$default' ? 'Default' : route.routeKey}Route`);
    routeIds.push(id);
    resources[id] = { Type: 'AWS::ApiGatewayV2::Route', Properties: properties };
  }

  const stage = api.stages.find((s) => s.stageName === '$default') ?? api.stages[0];
  const stageProperties: Json = { ApiId: { Ref: 'Api' }, StageName: stage?.stageName ?? '$default', AutoDeploy: true };
  if (stage?.stageVariables && Object.keys(stage.stageVariables).length > 0) stageProperties.StageVariables = { ...stage.stageVariables };
  if (stage?.defaultRouteSettings) stageProperties.DefaultRouteSettings = cfnRouteSettings(stage.defaultRouteSettings);
  if (stage?.routeSettings && Object.keys(stage.routeSettings).length > 0) {
    stageProperties.RouteSettings = Object.fromEntries(Object.entries(stage.routeSettings).map(([key, settings]) => [key, cfnRouteSettings(settings)]));
  }
  // Route settings name routes that must exist first; auto-deploy does the rest.
  resources.Stage = { Type: 'AWS::ApiGatewayV2::Stage', ...(routeIds.length > 0 && stageProperties.RouteSettings !== undefined && { DependsOn: routeIds }), Properties: stageProperties };

  const template: Json = { AWSTemplateFormatVersion: '2010-09-09', Description: `${api.name} (HTTP API), exported by localgw` };
  if (Object.keys(parameters).length > 0) template.Parameters = parameters;
  template.Resources = resources;
  template.Outputs = { ApiEndpoint: { Value: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] } }, ApiId: { Value: { Ref: 'Api' } } };
  return template;
}

const CORS_KEYS: Array<[keyof CorsConfiguration, string]> = [
  ['allowCredentials', 'AllowCredentials'],
  ['allowHeaders', 'AllowHeaders'],
  ['allowMethods', 'AllowMethods'],
  ['allowOrigins', 'AllowOrigins'],
  ['exposeHeaders', 'ExposeHeaders'],
  ['maxAge', 'MaxAge'],
];

function cfnCors(cors: CorsConfiguration): Json {
  const out: Json = {};
  for (const [key, cfn] of CORS_KEYS) if (cors[key] !== undefined) out[cfn] = cloneData(cors[key]);
  return out;
}

function cfnRouteSettings(settings: RouteSettings): Json {
  const out: Json = {};
  if (settings.throttlingBurstLimit !== undefined) out.ThrottlingBurstLimit = settings.throttlingBurstLimit;
  if (settings.throttlingRateLimit !== undefined) out.ThrottlingRateLimit = settings.throttlingRateLimit;
  if (settings.detailedMetricsEnabled !== undefined) out.DetailedMetricsEnabled = settings.detailedMetricsEnabled;
  if (settings.loggingLevel !== undefined) out.LoggingLevel = settings.loggingLevel;
  if (settings.dataTraceEnabled !== undefined) out.DataTraceEnabled = settings.dataTraceEnabled;
  return out;
}
