import { describe, expect, it } from 'vitest';
import { toLocalgwConfig } from '../model/to-config.js';
import type { ApiModel } from '../model/model.js';
import { integrationOf, issueLines, memoryHost, routeOf } from '../test-support/memory-host.js';
import { readServerless, type ReadServerlessOptions } from './read-serverless.js';

function read(yaml: string, options: ReadServerlessOptions = {}, files: Record<string, string> = {}): ApiModel {
  return readServerless('serverless.yml', memoryHost({ 'serverless.yml': yaml, ...files }), options);
}

function configOf(model: ApiModel) {
  const imported = toLocalgwConfig(model.apis[0]!, model.functions, { definition: 'serverless.yml' });
  return { ...imported, lines: imported.issues.map((i) => `${i.severity}: ${i.message}`) };
}

/** config-formats.md §3.7. */
const EXAMPLE = `service: items
provider:
  name: aws
  runtime: nodejs20.x
  stage: \${opt:stage, 'dev'}
  timeout: 10
  environment:
    TABLE_NAME: items-\${sls:stage}
  httpApi:
    name: items-api-\${sls:stage}
    payload: '2.0'
    cors:
      allowedOrigins: [ https://app.example.com ]
      allowedHeaders: [ Content-Type, Authorization ]
      allowCredentials: true
      exposedResponseHeaders: [ x-request-id ]
      maxAge: 300
    authorizers:
      jwtAuth:
        type: jwt
        identitySource: $request.header.Authorization
        issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE
        audience: [ my-client-id ]
      adminAuth:
        type: request
        functionName: authorizer
        payloadVersion: '2.0'
        enableSimpleResponses: true
        resultTtlInSeconds: 300
        identitySource: [ $request.header.Authorization ]
functions:
  listItems:
    handler: src/items.list
    events:
      - httpApi:
          method: GET
          path: /items
          authorizer: { name: jwtAuth, scopes: [ items/read ] }
  getItem:
    handler: src/items.get
    timeout: 5
    httpApi: { payload: '1.0' }          # per-function payload override
    events:
      - httpApi: 'GET /items/{id}'
  admin:
    handler: src/admin.handler
    environment: { ADMIN: 'true' }
    events:
      - httpApi: { method: POST, path: /admin, authorizer: { name: adminAuth } }
  fallback:
    handler: src/fallback.handler
    events:
      - httpApi: '*'                       # → $default
  authorizer:
    handler: src/authorizer.handler
`;

describe('serverless.yml (config-formats.md §3)', () => {
  it('§3.7 the example: routes, one integration per function, authorizers by their keys, $default stage', () => {
    const model = read(EXAMPLE);
    expect(issueLines(model)).toEqual([]);
    const api = model.apis[0]!;
    expect(api.name).toBe('items-api-dev');
    expect(api.apiId).toBe('httpapi');
    expect(api.routes.map((r) => r.routeKey)).toEqual(['GET /items', 'GET /items/{id}', 'POST /admin', '$default']);
    expect(api.stages.map((s) => s.stageName)).toEqual(['$default']);
    const list = routeOf(api, 'GET /items');
    expect(list).toMatchObject({ authorizationType: 'JWT', authorizationScopes: ['items/read'] });
    expect(integrationOf(api, list)).toMatchObject({ integrationType: 'AWS_PROXY', payloadFormatVersion: '2.0', timeoutInMillis: 30000, integrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:items-dev-listItems' });
    expect(integrationOf(api, routeOf(api, 'GET /items/{id}'))!.payloadFormatVersion).toBe('1.0');
    expect(routeOf(api, 'POST /admin').authorizationType).toBe('CUSTOM');
    expect(api.authorizers.map((a) => [a.name, a.authorizerType])).toEqual([
      ['jwtAuth', 'JWT'],
      ['adminAuth', 'REQUEST'],
    ]);
    expect(list.source?.line).toBe(35);
  });

  it('§3.5 functions: handler, timeout (default 6, provider then function), provider.environment under the function\'s, the deployed name', () => {
    const model = read(EXAMPLE);
    const byKey = Object.fromEntries(model.functions.map((f) => [f.logicalId, f]));
    expect(byKey.listItems).toMatchObject({ handler: 'src/items.list', timeout: 10, functionName: 'items-dev-listItems', environment: { TABLE_NAME: 'items-dev' }, runtime: 'nodejs20.x' });
    expect(byKey.getItem!.timeout).toBe(5);
    expect(byKey.admin!.environment).toEqual({ TABLE_NAME: 'items-dev', ADMIN: 'true' });
    const bare = read(`service: s\nprovider: { name: aws }\nfunctions:\n  f: { handler: h.main, events: [ { httpApi: 'GET /' } ] }\n`);
    expect(bare.functions[0]!.timeout).toBe(6);
  });

  it('§3.8 as a localgw config: CORS with the Framework names translated (the $default route fills in every method), the function timeout under the 30 s integration', () => {
    const { config, lines } = configOf(read(EXAMPLE));
    expect(lines).toEqual([]);
    expect(config.cors).toEqual({ allowOrigins: ['https://app.example.com'], allowHeaders: ['Content-Type', 'Authorization'], allowMethods: ['OPTIONS', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], allowCredentials: true, exposeHeaders: ['x-request-id'], maxAge: 300 });
    expect(config.stage).toBe('$default');
    expect(config.routes['GET /items']).toMatchObject({ handler: 'src/items.list', authorizer: 'jwtAuth', authorizationScopes: ['items/read'], timeout: 10, functionName: 'items-dev-listItems', environment: { TABLE_NAME: 'items-dev' } });
    expect(config.routes['GET /items/{id}']).toMatchObject({ payloadFormatVersion: '1.0', timeout: 5 });
    expect(config.authorizers).toEqual({
      jwtAuth: { type: 'jwt', issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE', audience: ['my-client-id'], identitySource: '$request.header.Authorization' },
      adminAuth: expect.objectContaining({ type: 'request', handler: 'src/authorizer.handler', payloadFormatVersion: '2.0', enableSimpleResponses: true, resultTtlInSeconds: 300, identitySource: ['$request.header.Authorization'], functionName: 'items-dev-authorizer' }),
    });
  });

  it('§3.3 cors: true gives the Framework defaults, with OPTIONS and every method an event uses (all seven for ANY)', () => {
    const cors = (events: string) => read(`service: s\nprovider:\n  name: aws\n  httpApi: { cors: true }\nfunctions:\n  f:\n    handler: h.main\n    events: ${events}\n`).apis[0]!.corsConfiguration;
    expect(cors(`[ { httpApi: 'POST /a' }, { httpApi: 'GET /b' } ]`)).toEqual({
      allowOrigins: ['*'],
      allowHeaders: ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent', 'X-Amzn-Trace-Id'],
      allowMethods: ['OPTIONS', 'GET', 'POST'],
    });
    expect(cors(`[ { httpApi: '*' } ]`)!.allowMethods).toEqual(['OPTIONS', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
    const unknown = read(`service: s\nprovider:\n  name: aws\n  httpApi: { cors: { allowOrigins: [x] } }\nfunctions: {}\n`);
    expect(issueLines(unknown)).toContain('error serverless.yml:4: unknown CORS setting allowOrigins');
  });

  it('§3.1 the event forms: "*" and path "*" are $default, method "*" is ANY, the method case-insensitive', () => {
    const model = read(`service: s
provider: { name: aws }
functions:
  a:
    handler: a.main
    events:
      - httpApi: 'get /a/{id}'
      - httpApi: { method: '*', path: '/any/{proxy+}' }
      - httpApi: { path: '*' }
`);
    expect(issueLines(model)).toEqual([]);
    expect(model.apis[0]!.routes.map((r) => r.routeKey)).toEqual(['GET /a/{id}', 'ANY /any/{proxy+}', '$default']);
  });

  it('§3.1 errors: a duplicate route, a path "*" with a method, a missing method, an unknown authorizer', () => {
    const model = read(`service: s
provider: { name: aws }
functions:
  a:
    handler: a.main
    events:
      - httpApi: 'GET /x'
      - httpApi: { method: GET, path: '*' }
      - httpApi: { path: /y }
      - httpApi: { method: GET, path: /z, authorizer: nope }
  b:
    handler: b.main
    events:
      - httpApi: 'GET /x'
`);
    expect(issueLines(model)).toEqual([
      'error serverless.yml:8: functions.a: Invalid path: "*" only goes with method "*" (it is the $default route)',
      'error serverless.yml:9: functions.a: httpApi /y needs a method (GET, POST, … or "*")',
      'error serverless.yml:10: GET /z: no authorizer named "nope" under provider.httpApi.authorizers',
      'error serverless.yml:14: functions.b: duplicate route GET /x (DUPLICATE_HTTP_API_ROUTE): another httpApi event already has it',
    ]);
  });

  it('§3.4 authorizer: { type: aws_iam } is IAM (not served, never open); a custom name is an alias', () => {
    const model = read(`service: s
provider:
  name: aws
  httpApi:
    authorizers:
      main: { name: cognito-main, identitySource: $request.header.Authorization, issuerUrl: https://issuer.example.com, audience: client }
functions:
  a:
    handler: a.main
    events:
      - httpApi: { method: GET, path: /iam, authorizer: { type: aws_iam } }
      - httpApi: { method: GET, path: /alias, authorizer: cognito-main }
`);
    const api = model.apis[0]!;
    expect(routeOf(api, 'GET /iam').authorizationType).toBe('AWS_IAM');
    expect(routeOf(api, 'GET /alias').authorizationType).toBe('JWT');
    const { config, lines } = configOf(model);
    expect(Object.keys(config.routes)).toEqual(['GET /alias']);
    expect(lines[0]).toContain('GET /iam uses IAM authorization');
    expect(config.authorizers!.main).toMatchObject({ audience: ['client'] });
  });

  it('§3.2 payload at provider level, overridden per function; disableDefaultEndpoint; provider.stage is not a path prefix', () => {
    const model = read(`service: s
provider:
  name: aws
  stage: prod
  httpApi: { payload: '1.0', disableDefaultEndpoint: true }
functions:
  a: { handler: a.main, events: [ { httpApi: 'GET /a' } ] }
  b: { handler: b.main, httpApi: { payload: 2.0 }, events: [ { httpApi: 'GET /b' } ] }
`);
    const api = model.apis[0]!;
    expect(integrationOf(api, routeOf(api, 'GET /a'))!.payloadFormatVersion).toBe('1.0');
    expect(integrationOf(api, routeOf(api, 'GET /b'))!.payloadFormatVersion).toBe('2.0');
    expect(api.disableExecuteApiEndpoint).toBe(true);
    expect(api.name).toBe('prod-s');
    expect(configOf(model).config.stage).toBe('$default');
  });

  it('http events (REST APIs) are reported, not served; plugins are not run; package is ignored, with a note each', () => {
    const model = read(`service: s
plugins: [ serverless-offline, serverless-esbuild, serverless-domain-manager ]
package: { individually: true }
provider: { name: aws }
functions:
  a: { handler: a.main, events: [ { http: { method: get, path: a } }, { httpApi: 'GET /b' } ] }
`);
    expect(issueLines(model)).toEqual([
      'warning serverless.yml:2: plugins are not run (serverless-domain-manager): what they would add to the service is not served',
      'warning serverless.yml:3: package settings (package, individually) are ignored: localgw runs each handler from the service folder, with its node_modules',
      'warning serverless.yml:5: `http` events make a REST API (API Gateway v1), which localgw does not emulate: only `httpApi` events are served',
    ]);
  });

  it('custom.serverless-offline options with a localgw counterpart are reported with it; those localgw already matches are quiet', () => {
    const model = read(`service: s
provider: { name: aws }
custom:
  serverless-offline:
    httpPort: 4000
    host: 0.0.0.0
    noAuth: true
    reloadHandler: true
    noPrependStageInUrl: true
    lambdaPort: 3002
functions:
  a: { handler: a.main, events: [ { httpApi: 'GET /a' } ] }
`);
    expect(issueLines(model)).toEqual([
      'warning serverless.yml:5: this serverless-offline option is not applied: localgw listens on port 3000 by default: start it with --port 4000',
      'warning serverless.yml:6: this serverless-offline option is not applied: localgw binds 127.0.0.1 by default: start it with --host 0.0.0.0',
      'warning serverless.yml:7: this serverless-offline option is not applied: localgw always enforces authorizers, as API Gateway does: get a token with `npx localgw token`, or point a JWT authorizer at local keys in a localgw.config file beside serverless.yml',
      'warning serverless.yml:10: this serverless-offline option is not applied: localgw does not serve the Lambda Invoke API; call the HTTP routes',
    ]);
  });
});

describe('serverless.yml variables (§3.6)', () => {
  const SERVICE = `service: shop
params:
  default: { domain: shop.local }
  prod: { domain: shop.example.com }
custom:
  tables: { dev: items-dev-table, prod: items-prod-table }
  table: \${self:custom.tables.\${sls:stage}}
  origin: \${env:SHOP_ORIGIN, 'http://localhost:5173'}
  file: \${file(./config.\${sls:stage}.json):audience}
provider:
  name: aws
  stage: \${opt:stage, 'dev'}
  region: \${opt:region, 'eu-west-1'}
  environment:
    TABLE: \${self:custom.table}
    REGION: \${aws:region}
    DOMAIN: \${param:domain}
    HOME_URL: https://\${param:domain}/\${sls:stage}
    SECRET: \${ssm:/shop/\${sls:stage}/secret}
    WITH_DEFAULT: \${ssm:/shop/key, 'local-key'}
    QUEUE: !Ref Queue
    NUMBER: \${self:custom.count, 3}
  httpApi:
    cors:
      allowedOrigins:
        - \${self:custom.origin}
    authorizers:
      jwt:
        identitySource: $request.header.Authorization
        issuerUrl: \${cf:auth-stack.IssuerUrl}
        audience: \${self:custom.file}
functions:
  list: { handler: src/list.handler, events: [ { httpApi: { method: GET, path: /items, authorizer: jwt } } ] }
`;
  const files = { 'config.dev.json': '{ "audience": ["dev-client"] }', 'config.prod.json': '{ "audience": ["prod-client"] }' };

  it('self, nested variables, opt with a default, sls:stage, env with a default, file(), aws:region, param, a number default', () => {
    const model = read(SERVICE, {}, files);
    const fn = model.functions[0]!;
    expect(fn.functionName).toBe('shop-dev-list');
    expect(fn.environment).toEqual({ TABLE: 'items-dev-table', REGION: 'eu-west-1', DOMAIN: 'shop.local', HOME_URL: 'https://shop.local/dev', WITH_DEFAULT: 'local-key', NUMBER: '3' });
    const api = model.apis[0]!;
    expect(api.corsConfiguration!.allowOrigins).toEqual(['http://localhost:5173']);
    expect(api.authorizers[0]!.jwtConfiguration!.audience).toEqual(['dev-client']);
  });

  it('--stage, --parameter-overrides and the environment feed opt, param and env', () => {
    const model = read(SERVICE, { stage: 'prod', options: { region: 'us-west-2' }, env: { SHOP_ORIGIN: 'https://shop.example.com' } }, files);
    expect(model.functions[0]!.environment).toMatchObject({ TABLE: 'items-prod-table', REGION: 'us-west-2', DOMAIN: 'shop.example.com', HOME_URL: 'https://shop.example.com/prod' });
    expect(model.apis[0]!.corsConfiguration!.allowOrigins).toEqual(['https://shop.example.com']);
    expect(model.apis[0]!.authorizers[0]!.jwtConfiguration!.audience).toEqual(['prod-client']);
    expect(model.files).toContain('config.prod.json');
  });

  it('an unresolvable ${ssm:…} or ${cf:…} names the variable and how to give it a local value; an intrinsic is left out too', () => {
    const model = read(SERVICE, {}, files);
    expect(issueLines(model)).toEqual([
      "warning serverless.yml:19: environment variable SECRET is left out: ${ssm:/shop/dev/secret} is read from AWS (ssm) when you deploy, so it has no value locally; give it a fallback (${ssm:/shop/dev/secret, 'local-value'}) or a local value in a localgw.config file beside serverless.yml",
      'warning serverless.yml:21: environment variable QUEUE is left out: Fn::Ref is a CloudFormation intrinsic function, resolved when the stack is deployed'.replace('Fn::Ref', 'Ref'),
    ]);
    const { lines } = configOf(model);
    expect(lines).toEqual([
      "error: authorizer jwt: its issuer cannot be resolved locally: ${cf:auth-stack.IssuerUrl} is read from AWS (cf) when you deploy, so it has no value locally; give it a fallback (${cf:auth-stack.IssuerUrl, 'local-value'}) or a local value in a localgw.config file beside serverless.yml",
    ]);
  });

  it('a missing environment variable without a default, and a variable that refers to itself, are unresolved', () => {
    const model = read(`service: s
custom:
  loop: \${self:custom.loop}
provider:
  name: aws
  environment:
    A: \${env:NOT_SET_ANYWHERE}
    B: \${self:custom.loop}
functions:
  f: { handler: f.main, events: [ { httpApi: 'GET /' } ] }
`);
    expect(issueLines(model)).toEqual([
      'warning serverless.yml:7: environment variable A is left out: ${env:NOT_SET_ANYWHERE}: the environment variable NOT_SET_ANYWHERE is not set',
      'warning serverless.yml:8: environment variable B is left out: ${self:custom.loop} refers to itself',
    ]);
  });
});
