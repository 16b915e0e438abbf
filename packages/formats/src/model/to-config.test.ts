import { resolveConfig } from '@localgw/core';
import { describe, expect, it } from 'vitest';
import { readProject } from '../test-support/memory-host.js';
import { toLocalgwConfig, type ToConfigOptions } from './to-config.js';

const sam = (body: string) => `Transform: AWS::Serverless-2016-10-31\n${body}`;

function convert(template: string, options: ToConfigOptions = {}, index = 0) {
  const model = readProject({ 'template.yaml': template });
  return toLocalgwConfig(model.apis[index]!, model.functions, options);
}

const BASE = sam(`Parameters:
  Stage: { Type: String, Default: $default }
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: !Ref Stage
      StageVariables: { fn: Other }
      DefaultRouteSettings: { ThrottlingBurstLimit: 20 }
      CorsConfiguration: { AllowOrigins: [ "https://app.example.com" ], MaxAge: 60 }
      Auth:
        Authorizers:
          Jwt: { IdentitySource: $request.header.Authorization, JwtConfiguration: { issuer: "https://issuer.example.com", audience: [ api ] } }
          Keys:
            FunctionArn: !GetAtt KeyAuth.Arn
            AuthorizerPayloadFormatVersion: "2.0"
            EnableSimpleResponses: true
            Identity: { Headers: [ x-api-key ] }
  Items:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: items.list
      Runtime: nodejs22.x
      Timeout: 10
      FunctionName: items-fn
      Environment: { Variables: { TABLE: items } }
      Events:
        List: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /items, Method: GET, Auth: { Authorizer: Jwt, AuthorizationScopes: [ items/read ] } } }
        Slow: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /slow, Method: GET, TimeoutInMillis: 20000, RouteSettings: { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 1 } } }
        Fast: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /fast, Method: GET, TimeoutInMillis: 2000, PayloadFormatVersion: "1.0" } }
        Admin: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /admin, Method: POST, Auth: { Authorizer: Keys } } }
  KeyAuth:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: auth, Handler: keys.handler, Runtime: nodejs22.x }
  Report:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: reports
      Handler: app.lambda_handler
      Runtime: python3.12
      Events:
        Report: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /report, Method: GET } }
`);

describe('§2.11, §4.6 the model as a localgw config', () => {
  const imported = convert(BASE);

  it('is a valid config for the same validation as localgw.config.*', () => {
    const result = resolveConfig(imported.config);
    expect(result.ok ? result.config.routes.map((r) => r.key.routeKey) : result.issues).toEqual(['GET /items', 'GET /slow', 'GET /fast', 'POST /admin', 'GET /report']);
  });

  it('stage, stage variables, CORS, API-wide throttling (a missing limit takes the account default)', () => {
    expect(imported.config).toMatchObject({
      stage: '$default',
      stageVariables: { fn: 'Other' },
      cors: { allowOrigins: ['https://app.example.com'], maxAge: 60 },
      throttle: { burstLimit: 20, rateLimit: 10_000 },
    });
  });

  it('handler = CodeUri + Handler; the function name, environment; the deadline is the shorter of the function\'s Timeout and the integration\'s', () => {
    const routes = imported.config.routes as Record<string, Record<string, unknown>>;
    expect(routes['GET /items']).toEqual({ handler: 'src/items.list', payloadFormatVersion: '2.0', timeout: 10, environment: { TABLE: 'items' }, functionName: 'items-fn', authorizer: 'Jwt', authorizationScopes: ['items/read'] });
    expect(routes['GET /slow']).toMatchObject({ timeout: 10, throttle: { rateLimit: 1, burstLimit: 1 } });
    expect(routes['GET /fast']).toMatchObject({ timeout: 2, payloadFormatVersion: '1.0' });
  });

  it('JWT and Lambda REQUEST authorizers by the names in the file, the authorizer\'s function followed through its ARN', () => {
    expect(imported.config.authorizers).toEqual({
      Jwt: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['api'], identitySource: '$request.header.Authorization' },
      Keys: { type: 'request', handler: 'auth/keys.handler', payloadFormatVersion: '2.0', identitySource: ['$request.header.x-api-key'], enableSimpleResponses: true, functionName: 'KeyAuth' },
    });
  });

  it('issue 19: a Python function runs, its Runtime kept; the handler is CodeUri + Handler', () => {
    expect(imported.unavailable.get('routes["GET /report"]')).toBeUndefined();
    expect((imported.config.routes as Record<string, Record<string, unknown>>)['GET /report']).toMatchObject({ handler: 'reports/app.lambda_handler', runtime: 'python3.12', functionName: 'Report' });
    // Node.js is the default: its identifier is not carried.
    expect((imported.config.routes as Record<string, Record<string, unknown>>)['GET /items']).not.toHaveProperty('runtime');
  });

  it('a runtime that does not run here yet (Java) loads, and answers 500 saying so (a warning, not an error)', () => {
    const java = convert(
      sam(`Resources:
  Api: { Type: AWS::Serverless::HttpApi }
  Report:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: reports
      Handler: example.App::handleRequest
      Runtime: java21
      Events:
        Report: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /report, Method: GET } }
`),
    );
    expect(java.unavailable.get('routes["GET /report"]')).toMatchObject({ message: 'runtime java21 is not supported yet (function Report)', severity: 'warning' });
  });

  it('a function mapped to a local handler runs with the override\'s runtime, Node.js unless it names one', () => {
    const routes = (functions: ToConfigOptions['functions']) => convert(BASE, { functions }).config.routes as Record<string, Record<string, unknown>>;
    expect(routes({ Report: { handler: 'local/report.handler' } })['GET /report']).not.toHaveProperty('runtime');
    expect(routes({ Report: { handler: 'local/report.handler', runtime: 'python3.13' } })['GET /report']).toMatchObject({ handler: 'local/report.handler', runtime: 'python3.13' });
  });

  it('custom runtimes (provided.al2023) and Python REQUEST authorizers keep their Runtime', () => {
    const custom = convert(
      sam(`Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Keys
        Authorizers:
          Keys:
            FunctionArn: !GetAtt KeyAuth.Arn
            AuthorizerPayloadFormatVersion: '2.0'
            EnableSimpleResponses: true
            Identity: { Headers: [x-api-key] }
  KeyAuth: { Type: AWS::Serverless::Function, Properties: { CodeUri: auth, Handler: keys.handler, Runtime: python3.13 } }
  Go:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: go-fn/
      Handler: bootstrap
      Runtime: provided.al2023
      Events:
        Go: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /go, Method: GET } }
`),
    );
    expect((custom.config.routes as Record<string, Record<string, unknown>>)['GET /go']).toMatchObject({ handler: 'go-fn/bootstrap', runtime: 'provided.al2023' });
    expect(custom.config.authorizers?.Keys).toMatchObject({ handler: 'auth/keys.handler', runtime: 'python3.13' });
    expect(resolveConfig(custom.config).ok).toBe(true);
  });

  it('every field knows where it is written', () => {
    expect(imported.sources.get('routes["GET /items"]')).toMatchObject({ file: 'template.yaml', line: 30 });
    expect(imported.sources.get('routes["GET /items"].handler')).toMatchObject({ pointer: '/Resources/Items/Properties/Handler', line: 24 });
    expect(imported.sources.get('routes["GET /items"].timeout')).toMatchObject({ pointer: '/Resources/Items/Properties/Timeout' });
    expect(imported.sources.get('authorizers.Jwt.issuer')).toMatchObject({ line: 14 });
  });
});

describe('§6.7 finding the function of a Lambda URI', () => {
  const template = (uri: string) => `Resources:
  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: HTTP, Target: ${uri} } }
  Fn: { Type: AWS::Lambda::Function, Properties: { Handler: index.handler, Timeout: 29, Code: { ZipFile: x } } }
`;
  const handlerOf = (uri: string, options: ToConfigOptions = { codeDir: () => '.localgw/inline/Fn' }) => {
    const imported = convert(template(uri), options);
    return { route: (imported.config.routes as Record<string, Record<string, unknown>>)['$default'], problem: imported.unavailable.get('routes.$default') };
  };

  it('a plain ARN, the invocations form, a qualifier, a stage variable', () => {
    expect(handlerOf('arn:aws:lambda:us-east-1:123456789012:function:Fn').route).toMatchObject({ handler: '.localgw/inline/Fn/index.handler', timeout: 29 });
    expect(handlerOf('arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Fn:live/invocations').problem).toBeUndefined();
    expect(handlerOf('"arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}"').problem).toMatchObject({ message: expect.stringContaining('${stageVariables.fn}') });
  });

  it('a Lambda the template does not define is named, with how to map it to a local file; the beside config\'s functions map it', () => {
    const { problem } = handlerOf('arn:aws:lambda:eu-west-1:999999999999:function:elsewhere');
    expect(problem).toEqual({
      message: 'Lambda function "elsewhere" is not defined in the template (arn:aws:lambda:eu-west-1:999999999999:function:elsewhere)',
      hint: 'map it to a local file: add "functions": { "elsewhere": "path/to/file.handler" } to a localgw.config.json beside the template',
      severity: 'error',
      source: expect.objectContaining({ file: 'template.yaml', line: 2 }),
    });
    const mapped = handlerOf('arn:aws:lambda:eu-west-1:999999999999:function:elsewhere', { functions: { elsewhere: { handler: 'local/elsewhere.handler', environment: { MODE: 'local' } } } });
    expect(mapped.problem).toBeUndefined();
    // Its timeout is the integration's: the template does not say the function's.
    expect(mapped.route).toMatchObject({ handler: 'local/elsewhere.handler', environment: { MODE: 'local' }, timeout: 30, functionName: 'elsewhere' });
  });
});

describe('what is never served open', () => {
  const imported = convert(`Resources:
  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: HTTP } }
  Iam: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: GET /iam, AuthorizationType: AWS_IAM, Target: !Sub "integrations/\${Int}" } }
  NoTarget: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: GET /none } }
  Sqs: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: POST /q, Target: !Sub "integrations/\${SqsInt}" } }
  Lost: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: GET /lost, AuthorizationType: JWT, AuthorizerId: nope, Target: !Sub "integrations/\${Int}" } }
  Int: { Type: AWS::ApiGatewayV2::Integration, Properties: { ApiId: !Ref Api, IntegrationType: HTTP_PROXY, IntegrationUri: "https://x.example.com" } }
  SqsInt: { Type: AWS::ApiGatewayV2::Integration, Properties: { ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationSubtype: SQS-SendMessage } }
`);

  it('IAM routes, routes without a target and AWS service integrations are left out (404), each with a warning; a missing authorizer is an error', () => {
    expect(Object.keys(imported.config.routes)).toEqual([]);
    expect(imported.issues.map((i) => `${i.severity} ${i.source?.line}: ${i.message}`)).toEqual([
      'warning 2: API Api has no stage; it is served as the $default stage',
      'warning 3: GET /iam uses IAM authorization, which localgw does not emulate: it is not served (404), rather than served open',
      'warning 4: GET /none has no integration (Target), so it answers 404, as in API Gateway',
      'warning 8: POST /q: an AWS service integration (SQS-SendMessage) is not emulated; the route is not served',
      'error 6: GET /lost: AuthorizerId "nope" names no authorizer of API Api',
    ]);
  });

  it('an issuer only AWS knows is an error naming the field, silenced by the beside config that sets it', () => {
    const result = convert(`Resources:
  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: HTTP } }
  Jwt: { Type: AWS::ApiGatewayV2::Authorizer, Properties: { ApiId: !Ref Api, AuthorizerType: JWT, IdentitySource: [ $request.header.Authorization ], JwtConfiguration: { Issuer: !ImportValue shared-issuer, Audience: [ a ] } } }
`);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: 'authorizer Jwt: its issuer cannot be resolved locally: Fn::ImportValue "shared-issuer" reads an export of another deployed stack, which only exists in AWS',
        hint: 'set authorizers.Jwt.issuer (and authorizers.Jwt.jwks) in a localgw.config file beside the template',
        configPath: ['authorizers', 'Jwt', 'issuer'],
      }),
    ]);
  });

  it('a Lambda integration without PayloadFormatVersion is an error, as API Gateway requires it', () => {
    const result = convert(`Resources:
  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: HTTP } }
  R: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: GET /x, Target: !Sub "integrations/\${I}" } }
  I: { Type: AWS::ApiGatewayV2::Integration, Properties: { ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt F.Arn } }
  F: { Type: AWS::Lambda::Function, Properties: { Handler: a.b, Code: { ZipFile: x } } }
`, { codeDir: () => 'inline' });
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.message)).toEqual(['GET /x: a Lambda integration needs a PayloadFormatVersion']);
  });

  it('--stage picks one of several stages, with its variables', () => {
    const template = `Resources:
  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: HTTP } }
  Dev: { Type: AWS::ApiGatewayV2::Stage, Properties: { ApiId: !Ref Api, StageName: dev, StageVariables: { v: dev } } }
  Prod: { Type: AWS::ApiGatewayV2::Stage, Properties: { ApiId: !Ref Api, StageName: prod, StageVariables: { v: prod } } }
`;
    expect(convert(template).config).toMatchObject({ stage: 'dev', stageVariables: { v: 'dev' } });
    expect(convert(template, { stage: 'prod' }).config).toMatchObject({ stage: 'prod', stageVariables: { v: 'prod' } });
  });
});
