import { describe, expect, it } from 'vitest';
import { integrationOf, issueLines, readProject, routeOf } from '../test-support/memory-host.js';
import type { Api, ApiModel, Route } from '../model/model.js';
import { parseText } from '../source/parse-text.js';
import { Stack } from '../cloudformation/stack.js';
import { Unresolved } from '../cloudformation/intrinsics.js';
import { applyGlobals } from './globals.js';

const sam = (body: string) => `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n${body}`;

function authorizerOf(api: Api, route: Route) {
  return api.authorizers.find((a) => a.authorizerId === route.authorizerId);
}

/** The SAM template of config-formats.md §2.9, with the issuer as a parameter. */
const EXAMPLE = sam(`Parameters:
  Stage: { Type: String, Default: dev }
  UserPoolId: { Type: String, Default: us-east-1_EXAMPLE }
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: .
    Timeout: 10
    Environment:
      Variables: { TABLE_NAME: items }
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: !Ref Stage
      StageVariables: { legacyHost: legacy.example.com }
      CorsConfiguration:
        AllowOrigins: [ "https://app.example.com" ]
        AllowMethods: [ GET, POST ]
        AllowHeaders: [ authorization, content-type ]
        MaxAge: 300
      Auth:
        DefaultAuthorizer: JwtAuth
        Authorizers:
          JwtAuth:
            IdentitySource: "$request.header.Authorization"
            JwtConfiguration:
              issuer: !Sub "https://cognito-idp.\${AWS::Region}.amazonaws.com/\${UserPoolId}"
              audience: [ my-client-id ]
            AuthorizationScopes: [ items/read ]
          AdminAuth:
            FunctionArn: !GetAtt AdminAuthorizer.Arn
            AuthorizerPayloadFormatVersion: 2.0
            EnableSimpleResponses: true
            Identity: { Headers: [ Authorization ], QueryStrings: [ key ], ReauthorizeEvery: 300 }
  ListItems:
    Type: AWS::Serverless::Function
    Properties:
      Handler: src/items.list
      Events:
        List:
          Type: HttpApi
          Properties: { ApiId: !Ref Api, Method: GET, Path: /items }
  GetItem:
    Type: AWS::Serverless::Function
    Properties:
      Handler: src/items.get
      Timeout: 5
      Events:
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Method: get
            Path: /items/{id}
            PayloadFormatVersion: "1.0"
            TimeoutInMillis: 4000
            Auth: { AuthorizationScopes: [ items/read, items/admin ] }
  Health:
    Type: AWS::Serverless::Function
    Properties:
      Handler: src/health.handler
      Events:
        Health:
          Type: HttpApi
          Properties: { ApiId: !Ref Api, Method: GET, Path: /health, Auth: { Authorizer: NONE } }
  Options:
    Type: AWS::Serverless::Function
    Properties:
      Handler: src/options.handler
      Events:
        Preflight:
          Type: HttpApi
          Properties: { ApiId: !Ref Api, Method: OPTIONS, Path: "/{proxy+}" }
  Admin:
    Type: AWS::Serverless::Function
    Properties:
      Handler: src/admin.handler
      Environment: { Variables: { ADMIN: "true" } }
      Events:
        Admin:
          Type: HttpApi
          Properties: { ApiId: !Ref Api, Method: POST, Path: /admin, Auth: { Authorizer: AdminAuth } }
  Fallback:
    Type: AWS::Serverless::Function
    Properties:
      Handler: src/fallback.handler
      Events:
        CatchAll: { Type: HttpApi, Properties: { ApiId: !Ref Api } }
  AdminAuthorizer:
    Type: AWS::Serverless::Function
    Properties: { Handler: src/authorizer.handler }
`);

describe('§2 SAM: the AWS::Serverless-2016-10-31 transform, done locally', () => {
  const model: ApiModel = readProject({ 'template.yaml': EXAMPLE });
  const api = model.apis[0]!;

  it('reads the §2.9 example without issues', () => {
    expect(issueLines(model)).toEqual([]);
    expect(model.apis.map((a) => [a.logicalId, a.apiId])).toEqual([['Api', 'api']]);
  });

  it('§2.2 StageName (a parameter) and StageVariables become the stage, auto-deployed', () => {
    expect(api.stages).toEqual([expect.objectContaining({ stageName: 'dev', stageVariables: { legacyHost: 'legacy.example.com' }, autoDeploy: true })]);
  });

  it('§2.4 CorsConfiguration (map form) in camelCase, each field with its line', () => {
    expect(api.corsConfiguration).toEqual({ allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'], maxAge: 300 });
    expect(api.fieldSources['corsConfiguration.maxAge']).toMatchObject({ file: 'template.yaml', pointer: '/Resources/Api/Properties/CorsConfiguration/MaxAge', line: 23 });
  });

  it('§2.3 a JWT authorizer (issuer resolved through Sub), a Lambda authorizer with Identity in the translator\'s order', () => {
    expect(api.authorizers.map((a) => a.name)).toEqual(['JwtAuth', 'AdminAuth']);
    expect(api.authorizers[0]).toMatchObject({
      authorizerType: 'JWT',
      identitySource: ['$request.header.Authorization'],
      jwtConfiguration: { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE', audience: ['my-client-id'] },
    });
    expect(api.authorizers[1]).toMatchObject({
      authorizerType: 'REQUEST',
      authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:AdminAuthorizer/invocations',
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySource: ['$request.header.Authorization', '$request.querystring.key'],
      authorizerResultTtlInSeconds: 300,
    });
  });

  it('§2.5 events: Method upper-cased, PayloadFormatVersion default 2.0, TimeoutInMillis only when set', () => {
    const list = routeOf(api, 'GET /items');
    expect(integrationOf(api, list)).toMatchObject({ integrationType: 'AWS_PROXY', payloadFormatVersion: '2.0', integrationUri: expect.stringContaining(':function:ListItems/invocations') });
    expect(integrationOf(api, list)!.timeoutInMillis).toBeUndefined();
    const get = routeOf(api, 'GET /items/{id}');
    expect(integrationOf(api, get)).toMatchObject({ payloadFormatVersion: '1.0', timeoutInMillis: 4000 });
    expect(list.fieldSources.routeKey).toMatchObject({ line: 45 });
  });

  it('§2.3 DefaultAuthorizer with its scopes; an event\'s scopes replace them; NONE opts out; OPTIONS is left open', () => {
    const list = routeOf(api, 'GET /items');
    expect([list.authorizationType, authorizerOf(api, list)?.name, list.authorizationScopes]).toEqual(['JWT', 'JwtAuth', ['items/read']]);
    expect(routeOf(api, 'GET /items/{id}').authorizationScopes).toEqual(['items/read', 'items/admin']);
    expect(routeOf(api, 'GET /health')).toMatchObject({ authorizationType: 'NONE' });
    expect(routeOf(api, 'GET /health').authorizerId).toBeUndefined();
    expect(routeOf(api, 'OPTIONS /{proxy+}')).toMatchObject({ authorizationType: 'NONE' });
    const admin = routeOf(api, 'POST /admin');
    expect([admin.authorizationType, authorizerOf(api, admin)?.name, admin.authorizationScopes]).toEqual(['CUSTOM', 'AdminAuth', undefined]);
  });

  it('§2.5 an event without Path and Method is the $default route (with the DefaultAuthorizer)', () => {
    expect(routeOf(api, '$default')).toMatchObject({ authorizationType: 'JWT' });
  });

  it('§2.7 functions: Globals merged (primitives replaced, maps merged), Handler under CodeUri', () => {
    const byId = Object.fromEntries(model.functions.map((f) => [f.logicalId, f]));
    expect(byId.GetItem).toMatchObject({ functionName: 'GetItem', handler: 'src/items.get', runtime: 'nodejs20.x', timeout: 5, code: { kind: 'dir', dir: '.' }, environment: { TABLE_NAME: 'items' } });
    expect(byId.ListItems!.timeout).toBe(10);
    expect(byId.Admin!.environment).toEqual({ TABLE_NAME: 'items', ADMIN: 'true' });
    // A value merged in from Globals points at Globals.
    expect(byId.ListItems!.fieldSources.timeout).toMatchObject({ pointer: '/Globals/Function/Timeout', line: 10 });
    expect(byId.GetItem!.fieldSources.timeout).toMatchObject({ pointer: '/Resources/GetItem/Properties/Timeout' });
  });
});

describe('§2.6 the implicit API and Globals.HttpApi', () => {
  const template = sam(`Globals:
  Function:
    Runtime: nodejs22.x
    Handler: app.handler
    Environment: { Variables: { A: global } }
    Layers: [ arn:aws:lambda:us-east-1:123456789012:layer:shared:1 ]
  HttpApi:
    CorsConfiguration: true
    StageVariables: { fromGlobals: "1" }
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello-world/
      FunctionName: hello-fn
      Layers: [ arn:aws:lambda:us-east-1:123456789012:layer:own:1 ]
      Environment: { Variables: { B: own } }
      Events:
        Get: { Type: HttpApi, Properties: { Path: /hello, Method: get } }
        Any: { Type: HttpApi }
        Rest: { Type: Api, Properties: { Path: /rest, Method: get } }
        Queue: { Type: SQS, Properties: { Queue: arn:aws:sqs:us-east-1:123456789012:q } }
`);
  const model = readProject({ 'template.yaml': template });
  const api = model.apis[0]!;

  it('HttpApi events without ApiId make ServerlessHttpApi, with a $default stage and Globals.HttpApi applied', () => {
    expect(api).toMatchObject({ logicalId: 'ServerlessHttpApi', apiId: 'serverlesshttpapi', corsConfiguration: { allowOrigins: ['*'] } });
    expect(api.stages).toEqual([expect.objectContaining({ stageName: '$default', stageVariables: { fromGlobals: '1' } })]);
    expect(api.routes.map((r) => r.routeKey)).toEqual(['GET /hello', '$default']);
    // Generated, so it points at the event that made it.
    expect(api.source).toMatchObject({ pointer: '/Resources/Hello/Properties/Events/Get' });
  });

  it('FunctionName names the function (and its ARN in the integration URI); maps merge, the function winning', () => {
    const fn = model.functions[0]!;
    expect(fn).toMatchObject({ functionName: 'hello-fn', logicalId: 'Hello', handler: 'app.handler', code: { kind: 'dir', dir: 'hello-world' }, environment: { A: 'global', B: 'own' } });
    expect(api.integrations[0]!.integrationUri).toContain(':function:hello-fn/invocations');
  });

  it('a REST API event (Type: Api) is reported, other event types are ignored', () => {
    expect(issueLines(model)).toEqual(['warning template.yaml:23: Hello.Events.Rest is a REST API event (Type: Api): localgw emulates HTTP APIs, so it is not served']);
  });
});

describe('§2 what SAM refuses, and what cannot run locally', () => {
  it('CorsConfiguration: a plain string is invalid; AllowCredentials with "*" is refused; an unknown key is an error', () => {
    const model = readProject({
      'template.yaml': sam(`Resources:
  A: { Type: AWS::Serverless::HttpApi, Properties: { CorsConfiguration: "https://a.example.com" } }
  B: { Type: AWS::Serverless::HttpApi, Properties: { CorsConfiguration: { AllowCredentials: true, AllowOrigins: ["*"] } } }
  C: { Type: AWS::Serverless::HttpApi, Properties: { CorsConfiguration: { AllowOrigin: ["x"] } } }
  D: { Type: AWS::Serverless::HttpApi, Properties: { CorsConfiguration: !Ref Origin } }
Parameters:
  Origin: { Type: String, Default: "https://d.example.com" }
`),
    });
    expect(issueLines(model)).toEqual([
      'error template.yaml:4: A: invalid value for CorsConfiguration',
      'error template.yaml:5: B: AllowCredentials cannot be true with AllowOrigins "*"',
      'error template.yaml:6: unknown CORS setting AllowOrigin',
    ]);
    expect(model.apis[3]!.corsConfiguration).toEqual({ allowOrigins: ['https://d.example.com'] });
  });

  it('Auth: JWT needs IdentitySource, Lambda needs FunctionArn and AuthorizerPayloadFormatVersion, IdentitySource on Lambda is refused; unknown names and NONE without a default', () => {
    const model = readProject({
      'template.yaml': sam(`Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          Jwt: { JwtConfiguration: { Issuer: "https://i.example.com", Audience: [a] } }
          Lam: { IdentitySource: $request.header.x }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        A: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /a, Method: GET, Auth: { Authorizer: Nope } } }
        B: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /b, Method: GET, Auth: { Authorizer: NONE } } }
        C: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /c } }
        D: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /d, Method: GET } }
        E: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /d, Method: get } }
`),
    });
    expect(issueLines(model)).toEqual([
      'error template.yaml:9: authorizer Jwt: a JWT authorizer needs an IdentitySource',
      "error template.yaml:10: authorizer Lam: IdentitySource is only supported for OAuth2 Authorizer. For Lambda Authorizer, use the 'Identity' property instead",
      'error template.yaml:10: authorizer Lam: a Lambda authorizer needs a FunctionArn',
      'error template.yaml:10: authorizer Lam: AuthorizerPayloadFormatVersion is required',
      'error template.yaml:16: Fn.Events.A: no authorizer named "Nope" in the HttpApi\'s Auth.Authorizers',
      'error template.yaml:17: Fn.Events.B: Authorizer NONE is only valid when the HttpApi has a DefaultAuthorizer',
      'error template.yaml:18: Fn.Events.C: the event is missing Method',
      'error template.yaml:20: Fn.Events.E: GET /d is defined more than once on API Api',
    ]);
    // JwtConfiguration keys in either case (SAM lower-cases them).
    expect(model.apis[0]!.authorizers[0]!.jwtConfiguration).toEqual({ issuer: 'https://i.example.com', audience: ['a'] });
  });

  it('code in S3 and container images are not runnable, with the reason; inline code is kept to be saved', () => {
    const model = readProject({
      'template.yaml': sam(`Resources:
  S3: { Type: AWS::Serverless::Function, Properties: { CodeUri: s3://bucket/code.zip, Handler: a.b } }
  S3Map: { Type: AWS::Serverless::Function, Properties: { CodeUri: { Bucket: b, Key: k }, Handler: a.b } }
  Inline: { Type: AWS::Serverless::Function, Properties: { InlineCode: "exports.handler = 1", Handler: index.handler } }
  Image: { Type: AWS::Serverless::Function, Properties: { PackageType: Image, ImageUri: repo:tag } }
`),
    });
    expect(model.functions.map((f) => (f.code.kind === 'unavailable' ? f.code.reason : f.code))).toEqual([
      'its CodeUri is in S3 (s3://bucket/code.zip)',
      'its CodeUri is in S3',
      { kind: 'inline', code: 'exports.handler = 1' },
      'it is a container image (PackageType: Image)',
    ]);
  });

  it('sam build output: each root SAM function knows its .aws-sam/build folder', () => {
    const model = readProject({ 'app/template.yaml': sam('Resources:\n  Fn: { Type: AWS::Serverless::Function, Properties: { CodeUri: src, Handler: app.handler } }\n') }, { samBuildDir: '.aws-sam/build' }, [{ file: 'app/template.yaml' }]);
    expect(model.functions[0]).toMatchObject({ code: { kind: 'dir', dir: 'app/src' }, buildDir: 'app/.aws-sam/build/Fn' });
  });
});

describe('§2.2 DefinitionBody: SAM adds events to the definition, never over its integrations', () => {
  const template = sam(`Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration: { AllowMethods: [GET] }
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt: { IdentitySource: $request.header.Authorization, JwtConfiguration: { issuer: "https://i.example.com", audience: [a] } }
      DefinitionBody:
        openapi: "3.0.1"
        info: { title: from-body }
        x-amazon-apigateway-cors: { allowOrigins: [ "https://body.example.com" ], allowMethods: [POST] }
        paths:
          /proxied:
            get:
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: GET
                uri: https://backend.example.com/x
                payloadFormatVersion: 1.0
          /bare:
            get:
              security: [ { NONE: [] } ]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Bare: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /bare, Method: GET } }
        Proxied: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /proxied, Method: GET } }
`);
  const model = readProject({ 'template.yaml': template });
  const api = model.apis[0]!;

  it('the definition\'s integration stays; a path without one gets the event\'s; its own security is kept', () => {
    expect(issueLines(model)).toEqual([]);
    expect(api.name).toBe('from-body');
    expect(integrationOf(api, routeOf(api, 'GET /proxied'))).toMatchObject({ integrationType: 'HTTP_PROXY', integrationUri: 'https://backend.example.com/x', payloadFormatVersion: '1.0' });
    expect(integrationOf(api, routeOf(api, 'GET /bare'))).toMatchObject({ integrationType: 'AWS_PROXY', integrationUri: expect.stringContaining(':function:Fn/') });
    expect(routeOf(api, 'GET /bare').authorizationType).toBe('NONE');
    expect(routeOf(api, 'GET /proxied').authorizationType).toBe('JWT');
  });

  it('CorsConfiguration is merged over x-amazon-apigateway-cors, the property winning', () => {
    expect(api.corsConfiguration).toEqual({ allowOrigins: ['https://body.example.com'], allowMethods: ['GET'] });
  });
});

describe('§2.7 Globals merge rules', () => {
  it('primitives replaced, maps merged (resource wins), lists concatenated with Globals first, intrinsics kept whole', () => {
    const parsed = parseText(
      'template.yaml',
      sam(`Globals:
  Function:
    Timeout: 3
    Layers: [ global-layer ]
    Environment: { Variables: { A: global, B: global } }
    Tags: !Ref TagsParam
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 9
      Layers: [ own-layer ]
      Environment: { Variables: { B: own } }
      Tags: { team: own }
`),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const stack = new Stack(parsed.source, '', undefined, {}, { ref: (_s, id) => ({ value: id }), getAtt: () => new Unresolved('x', ''), importValue: () => undefined }, []);
    applyGlobals(stack);
    expect(stack.resources.Fn!.Properties).toEqual({
      Timeout: 9,
      Layers: ['global-layer', 'own-layer'],
      Environment: { Variables: { A: 'global', B: 'own' } },
      Tags: { team: 'own' },
    });
    expect(stack.sourceOf('/Resources/Fn/Properties/Environment/Variables/A')).toMatchObject({ pointer: '/Globals/Function/Environment/Variables/A' });
  });
});
