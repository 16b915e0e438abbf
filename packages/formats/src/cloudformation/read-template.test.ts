import { describe, expect, it } from 'vitest';
import { integrationOf, issueLines, readProject, routeOf } from '../test-support/memory-host.js';


describe('§4.1 AWS::ApiGatewayV2::* resources', () => {
  // Modelled on AWS's http-with-jwt-auth sample: quick create, an override, a Cognito issuer.
  const quickCreate = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: quick-api
      ProtocolType: HTTP
      Target: !GetAtt Hello.Arn
      CorsConfiguration:
        AllowCredentials: true
        AllowOrigins: [ https://www.example.com ]
        ExposeHeaders: [ Date ]
        MaxAge: 300
  Overrides:
    Type: AWS::ApiGatewayV2::ApiGatewayManagedOverrides
    Properties:
      ApiId: !Ref Api
      Route: { AuthorizationType: JWT, AuthorizerId: !Ref Jwt }
  Jwt:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref Api
      AuthorizerType: JWT
      IdentitySource: [ '$request.querystring.access_token' ]
      JwtConfiguration:
        Audience: [ !Ref Client ]
        Issuer: !Sub https://cognito-idp.\${AWS::Region}.amazonaws.com/\${Pool}
      Name: jwt-authorizer
  Hello:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code:
        ZipFile: |
          exports.handler = async (event) => ({ statusCode: 200, body: event.routeKey });
  Pool: { Type: AWS::Cognito::UserPool }
  Client: { Type: AWS::Cognito::UserPoolClient, Properties: { UserPoolId: !Ref Pool } }
`;

  it('quick create (Target) makes a $default route, its integration and an auto-deployed $default stage', () => {
    const model = readProject({ 'template.yaml': quickCreate });
    const api = model.apis[0]!;
    expect(api).toMatchObject({ apiId: 'api', name: 'quick-api', corsConfiguration: { allowCredentials: true, allowOrigins: ['https://www.example.com'], exposeHeaders: ['Date'], maxAge: 300 } });
    const route = routeOf(api, '$default');
    expect(integrationOf(api, route)).toMatchObject({ integrationType: 'AWS_PROXY', integrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:Hello', payloadFormatVersion: '2.0' });
    expect(api.stages).toEqual([expect.objectContaining({ stageName: '$default', autoDeploy: true })]);
  });

  it('ApiGatewayManagedOverrides attaches the JWT authorizer to the quick-create route; authorizer names are the file\'s', () => {
    const api = readProject({ 'template.yaml': quickCreate }).apis[0]!;
    const route = routeOf(api, '$default');
    expect(route).toMatchObject({ authorizationType: 'JWT', authorizerId: 'Jwt' });
    expect(api.authorizers[0]).toMatchObject({ name: 'jwt-authorizer', aliases: ['Jwt'], identitySource: ['$request.querystring.access_token'] });
  });

  it('a Cognito issuer and audience are placeholders, recorded with the reason and where', () => {
    const authorizer = readProject({ 'template.yaml': quickCreate }).apis[0]!.authorizers[0]!;
    expect(authorizer.jwtConfiguration).toEqual({ issuer: 'https://cognito-idp.us-east-1.amazonaws.com/Pool', audience: ['Client'] });
    expect(authorizer.unresolved['jwtConfiguration.issuer']).toMatchObject({ placeholder: true, reason: expect.stringContaining('Ref Pool (a AWS::Cognito::UserPool)'), source: expect.objectContaining({ line: 27 }) });
  });

  it('inline code (Code.ZipFile) is kept for the caller to save as index.js', () => {
    expect(readProject({ 'template.yaml': quickCreate }).functions[0]!.code).toEqual({ kind: 'inline', code: 'exports.handler = async (event) => ({ statusCode: 200, body: event.routeKey });\n' });
  });

  // Modelled on AWS's http-api-parameter-mapping sample.
  const mapping = `Resources:
  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { Name: mapping, ProtocolType: HTTP } }
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: HTTP_PROXY
      IntegrationMethod: ANY
      IntegrationUri: https://backend.example.com/pets
      PayloadFormatVersion: 1.0
      TimeoutInMillis: 5000
      RequestParameters:
        "append:header.header1": "$context.requestId"
      ResponseParameters:
        "200":
          ResponseParameters:
            - Source: "value2"
              Destination: "append:header.header2"
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: '$default'
      Target: !Join [ /, [ integrations, !Ref Integration ] ]
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: v1
      AutoDeploy: true
      StageVariables: { backend: backend.example.com }
      DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 }
      RouteSettings: { "$default": { ThrottlingBurstLimit: 2 } }
`;

  it('an HTTP proxy integration: unquoted 1.0, the route\'s Target through Fn::Join, CloudFormation\'s ResponseParameters shape', () => {
    const model = readProject({ 'template.yaml': mapping });
    expect(issueLines(model)).toEqual([]);
    const api = model.apis[0]!;
    expect(integrationOf(api, routeOf(api, '$default'))).toMatchObject({
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      integrationUri: 'https://backend.example.com/pets',
      payloadFormatVersion: '1.0',
      timeoutInMillis: 5000,
      requestParameters: { 'append:header.header1': '$context.requestId' },
      responseParameters: { '200': { 'append:header.header2': 'value2' } },
    });
  });

  it('a stage: StageVariables (not the REST name Variables), route settings', () => {
    const stage = readProject({ 'template.yaml': mapping }).apis[0]!.stages[0]!;
    expect(stage).toMatchObject({ stageName: 'v1', autoDeploy: true, stageVariables: { backend: 'backend.example.com' }, defaultRouteSettings: { throttlingBurstLimit: 10, throttlingRateLimit: 5 }, routeSettings: { $default: { throttlingBurstLimit: 2 } } });
  });

  it('Lambda integrations and REQUEST authorizers as CDK writes them, routes with CUSTOM authorization and scopes', () => {
    const model = readProject({
      'template.json': JSON.stringify({
        Resources: {
          Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'Api', ProtocolType: 'HTTP' } },
          Int: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] }, PayloadFormatVersion: '2.0' } },
          Auth: {
            Type: 'AWS::ApiGatewayV2::Authorizer',
            Properties: {
              ApiId: { Ref: 'Api' },
              AuthorizerType: 'REQUEST',
              Name: 'KeyAuth',
              IdentitySource: ['$request.header.x-api-key'],
              AuthorizerPayloadFormatVersion: '2.0',
              EnableSimpleResponses: true,
              AuthorizerResultTtlInSeconds: 300,
              AuthorizerUri: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': ['AuthFn', 'Arn'] }, '/invocations']] },
            },
          },
          Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'POST /admin', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'Auth' }, Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Int' }]] } } },
          Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Code: { S3Bucket: 'b', S3Key: 'k.zip' } } },
          AuthFn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'auth.handler', FunctionName: 'key-auth', Code: { S3Bucket: 'b', S3Key: 'k.zip' } } },
        },
      }),
    }, {}, [{ file: 'template.json' }]);
    const api = model.apis[0]!;
    expect(routeOf(api, 'POST /admin')).toMatchObject({ authorizationType: 'CUSTOM', authorizerId: 'Auth' });
    expect(api.authorizers[0]).toMatchObject({ name: 'KeyAuth', authorizerType: 'REQUEST', authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:key-auth/invocations', enableSimpleResponses: true, authorizerResultTtlInSeconds: 300 });
    expect(routeOf(api, 'POST /admin').fieldSources.routeKey).toMatchObject({ file: 'template.json', line: 1 });
    // Code in S3 without CDK's metadata cannot be found.
    expect(model.functions[0]!.code).toMatchObject({ kind: 'unavailable', reason: 'its code is in S3 (k.zip)' });
  });

  it('a WebSocket API is skipped with a warning; BodyS3Location cannot be read; an orphan route is reported', () => {
    const model = readProject({
      'template.yaml': `Resources:
  Ws: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action } }
  S3: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: HTTP, BodyS3Location: { Bucket: b, Key: k } } }
  Lost: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Ws, RouteKey: $connect } }
`,
    });
    expect(issueLines(model)).toEqual([
      'warning template.yaml:2: API Ws is a WEBSOCKET API: localgw emulates HTTP APIs, so it is not served',
      'error template.yaml:3: API S3 takes its OpenAPI definition from S3 (BodyS3Location), which localgw cannot read',
      'warning template.yaml:4: route Lost belongs to an API that is not in the project ("ws"), so it is not served',
    ]);
  });

  it('Body: an OpenAPI definition inside the template, with intrinsics in it', () => {
    const model = readProject({
      'template.yaml': `Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Body:
        openapi: 3.0.1
        info: { title: body-api }
        paths:
          /items/{id}:
            get:
              security: [ { jwt: [ items/read ] } ]
              x-amazon-apigateway-integration:
                type: AWS_PROXY
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
                payloadFormatVersion: "2.0"
          $default:
            x-amazon-apigateway-any-method:
              isDefaultRoute: true
              x-amazon-apigateway-integration: { $ref: "#/components/x-amazon-apigateway-integrations/fallback" }
        components:
          securitySchemes:
            jwt:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: $request.header.Authorization
                jwtConfiguration: { issuer: "https://issuer.example.com", audience: [ a ] }
          x-amazon-apigateway-integrations:
            fallback: { type: http_proxy, httpMethod: ANY, uri: "https://fallback.example.com", payloadFormatVersion: "1.0" }
  Fn: { Type: AWS::Lambda::Function, Properties: { Handler: a.b, Code: { ZipFile: "x" } } }
`,
    });
    expect(issueLines(model)).toEqual([]);
    const api = model.apis[0]!;
    expect(api.name).toBe('body-api');
    const get = routeOf(api, 'GET /items/{id}');
    expect(get).toMatchObject({ authorizationType: 'JWT', authorizationScopes: ['items/read'] });
    expect(integrationOf(api, get)!.integrationUri).toBe('arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Fn/invocations');
    expect(integrationOf(api, routeOf(api, '$default'))).toMatchObject({ integrationType: 'HTTP_PROXY', integrationUri: 'https://fallback.example.com' });
  });
});

describe('§6 several APIs in one template, served separately', () => {
  it('each API keeps its own routes, in declaration order, with an id from its logical id', () => {
    const model = readProject({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  PublicApi: { Type: AWS::Serverless::HttpApi }
  AdminApi: { Type: AWS::Serverless::HttpApi, Properties: { StageName: admin } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Public: { Type: HttpApi, Properties: { ApiId: !Ref PublicApi, Path: /items, Method: GET } }
        Admin: { Type: HttpApi, Properties: { ApiId: !Ref AdminApi, Path: /items, Method: GET } }
        Implicit: { Type: HttpApi, Properties: { Path: /ping, Method: GET } }
`,
    });
    expect(model.apis.map((a) => [a.logicalId, a.apiId, a.routes.map((r) => r.routeKey)])).toEqual([
      ['PublicApi', 'publicapi', ['GET /items']],
      ['AdminApi', 'adminapi', ['GET /items']],
      ['ServerlessHttpApi', 'serverlesshttpapi', ['GET /ping']],
    ]);
  });
});

describe('§4.4 nested stacks', () => {
  const root = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: dev }
Resources:
  Functions:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./functions/template.yaml
      Parameters: { Greeting: !Sub "hello from \${Stage}" }
  Api:
    Type: AWS::Serverless::Application
    Properties:
      Location: api/template.yaml
      Parameters: { FunctionArn: !GetAtt Functions.Outputs.HelloArn }
  FromRepo:
    Type: AWS::Serverless::Application
    Properties:
      Location: { ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/x, SemanticVersion: 1.0.0 }
  FromS3:
    Type: AWS::CloudFormation::Stack
    Properties: { TemplateURL: https://bucket.s3.amazonaws.com/t.yaml }
`;
  const functions = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Greeting: { Type: String }
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: hello.handler
      Environment: { Variables: { GREETING: !Ref Greeting } }
Outputs:
  HelloArn: { Value: !GetAtt Hello.Arn }
`;
  const api = `Parameters:
  FunctionArn: { Type: String }
Resources:
  Http: { Type: AWS::ApiGatewayV2::Api, Properties: { Name: nested, ProtocolType: HTTP, Target: !Ref FunctionArn } }
`;
  const model = readProject({ 'template.yaml': root, 'functions/template.yaml': functions, 'api/template.yaml': api });

  it('local TemplateURL and Location are read, with parameters passed down; S3 and the Serverless Application Repository are reported', () => {
    expect(model.files).toEqual(['template.yaml', 'functions/template.yaml', 'api/template.yaml']);
    expect(issueLines(model)).toEqual([
      'warning template.yaml:18: nested stack FromRepo comes from the Serverless Application Repository, which localgw cannot read; its APIs and functions are not served',
      'warning template.yaml:21: nested stack FromS3 is at https://bucket.s3.amazonaws.com/t.yaml, which localgw cannot read; its APIs and functions are not served',
    ]);
    expect(model.functions[0]).toMatchObject({ logicalId: 'Hello', code: { kind: 'dir', dir: 'functions/src' }, environment: { GREETING: 'hello from dev' } });
  });

  it('an output of one nested stack reaches another through the parent (Fn::GetAtt Child.Outputs.X)', () => {
    const nested = model.apis[0]!;
    expect(nested).toMatchObject({ logicalId: 'Http', name: 'nested' });
    expect(integrationOf(nested, routeOf(nested, '$default'))!.integrationUri).toBe('arn:aws:lambda:us-east-1:123456789012:function:Hello');
    expect(nested.source).toMatchObject({ file: 'api/template.yaml', line: 4 });
  });
});

describe('§4.4 what CDK synthesizes', () => {
  const stack = (resources: Record<string, unknown>, outputs?: Record<string, unknown>) => JSON.stringify({ Resources: resources, ...(outputs && { Outputs: outputs }) }, null, 1);
  const fn = (metadata: Record<string, unknown> | undefined, code: unknown = { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: 'abc123.zip' }) => ({
    Type: 'AWS::Lambda::Function',
    Properties: { Code: code, Handler: 'items.list', Runtime: { 'Fn::FindInMap': ['LatestNodeRuntimeMap', { Ref: 'AWS::Region' }, 'value'] } },
    ...(metadata && { Metadata: metadata }),
  });

  it('code from aws:asset:path metadata (relative to cdk.out, or absolute with --no-staging)', () => {
    const model = readProject(
      {
        'cdk.out/App.template.json': stack({
          Staged: fn({ 'aws:cdk:path': 'App/Staged/Resource', 'aws:asset:path': 'asset.abc123', 'aws:asset:is-bundled': false, 'aws:asset:property': 'Code' }),
          Source: fn({ 'aws:asset:path': '/home/me/app/lambda', 'aws:asset:property': 'Code' }),
          Zipped: fn({ 'aws:asset:path': 'asset.def.zip', 'aws:asset:property': 'Code' }),
        }),
      },
      {},
      [{ file: 'cdk.out/App.template.json', stackName: 'App' }],
    );
    expect(model.functions.map((f) => f.code)).toEqual([
      { kind: 'dir', dir: 'cdk.out/asset.abc123' },
      { kind: 'dir', dir: '/home/me/app/lambda' },
      expect.objectContaining({ kind: 'unavailable', reason: 'its code is an archive (cdk.out/asset.def.zip)' }),
    ]);
    // A runtime from CDK's own mapping stays unknown (read as Node.js), not an error.
    expect(model.functions[0]!.runtime).toBeUndefined();
  });

  it('without metadata (test snapshots): the S3 key\'s hash through <Stack>.assets.json', () => {
    const model = readProject({ 'cdk.out/App.template.json': stack({ Fn: fn(undefined) }) }, {}, [{ file: 'cdk.out/App.template.json', assetPaths: { abc123: 'asset.abc123.handler' } }]);
    expect(model.functions[0]!.code).toEqual({ kind: 'dir', dir: 'cdk.out/asset.abc123.handler' });
  });

  it('cross-stack references (Fn::ImportValue of another stack\'s export) resolve; the stack name is AWS::StackName', () => {
    const model = readProject(
      {
        'cdk.out/Fns.template.json': stack(
          { Fn: fn({ 'aws:asset:path': 'asset.abc123' }) },
          { Arn: { Value: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}:FnArn' } } } },
        ),
        'cdk.out/Api.template.json': stack({
          Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'Api', ProtocolType: 'HTTP', Target: { 'Fn::ImportValue': 'Fns:FnArn' } } },
        }),
      },
      {},
      [
        { file: 'cdk.out/Fns.template.json', stackName: 'Fns' },
        { file: 'cdk.out/Api.template.json', stackName: 'Api' },
      ],
    );
    const api = model.apis[0]!;
    expect(integrationOf(api, routeOf(api, '$default'))!.integrationUri).toBe('arn:aws:lambda:us-east-1:123456789012:function:Fn');
  });

  it('CDK nested stacks: the child template from aws:asset:path, outputs read by the parent', () => {
    const model = readProject(
      {
        'cdk.out/App.template.json': stack({
          ChildNestedStack: {
            Type: 'AWS::CloudFormation::Stack',
            Properties: { TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, '.amazonaws.com/x.json']] } },
            Metadata: { 'aws:asset:path': 'AppChild1234.nested.template.json', 'aws:asset:property': 'TemplateURL' },
          },
          Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'Api', ProtocolType: 'HTTP', Target: { 'Fn::GetAtt': ['ChildNestedStack', 'Outputs.AppChildFnArn'] } } },
        }),
        'cdk.out/AppChild1234.nested.template.json': stack({ Fn: fn({ 'aws:asset:path': 'asset.abc123' }) }, { AppChildFnArn: { Value: { 'Fn::GetAtt': ['Fn', 'Arn'] } } }),
      },
      {},
      [{ file: 'cdk.out/App.template.json', stackName: 'App' }],
    );
    expect(issueLines(model)).toEqual([]);
    expect(model.functions[0]).toMatchObject({ logicalId: 'Fn', code: { kind: 'dir', dir: 'cdk.out/asset.abc123' } });
    expect(integrationOf(model.apis[0]!, routeOf(model.apis[0]!, '$default'))!.integrationUri).toContain(':function:Fn');
  });
});
