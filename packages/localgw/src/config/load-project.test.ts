import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue } from '@localgw/core';
import { findProjectConfig } from './find-config.js';
import { loadProject } from './load-project.js';

const root = mkdtempSync(join(tmpdir(), 'localgw-project-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string | object>): string {
  const dir = join(root, name);
  for (const [file, content] of Object.entries(files)) {
    const path = join(dir, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 1));
  }
  return dir;
}

const SAM = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Table: { Type: String }
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          Main:
            IdentitySource: $request.header.Authorization
            JwtConfiguration: { issuer: !ImportValue shared-issuer, audience: [ app ] }
  Items:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: items.list
      Environment: { Variables: { TABLE: !Ref Table, MODE: template } }
      Events:
        List: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /items, Method: GET, Auth: { Authorizer: Main } } }
`;

describe('detection (DESIGN.md CLI): localgw.config.*, else template.{yaml,yml}, else cdk.out/', () => {
  it('finds each in turn', () => {
    const dir = project('detect', { 'cdk.out/manifest.json': '{"artifacts":{}}' });
    expect(findProjectConfig(dir)).toBe(join(dir, 'cdk.out'));
    writeFileSync(join(dir, 'template.yml'), SAM);
    expect(findProjectConfig(dir)).toBe(join(dir, 'template.yml'));
    writeFileSync(join(dir, 'localgw.config.json'), '{}');
    expect(findProjectConfig(dir)).toBe(join(dir, 'localgw.config.json'));
  });
});

describe('a template, with a localgw config beside it', () => {
  const dir = project('beside', { 'template.yaml': SAM, 'src/items.mjs': 'export const list = async () => ({})\n' });

  it('an unresolvable issuer stops the load, naming the field, its line and the fix', async () => {
    const error = await loadProject(join(dir, 'template.yaml')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CONFIG_INVALID', message: 'Invalid SAM template template.yaml' });
    expect((error as { details: { issues: Parameters<typeof formatIssue>[0][] } }).details.issues.map(formatIssue)).toEqual([
      'template.yaml:12 Resources.Api.Properties.Auth.Authorizers.Main.JwtConfiguration.issuer: authorizer Main: its issuer cannot be resolved locally: Fn::ImportValue "shared-issuer" reads an export of another deployed stack, which only exists in AWS (set authorizers.Main.issuer (and authorizers.Main.jwks) in a localgw config file beside the template)'.replace('localgw config', 'localgw.config'),
    ]);
  });

  it('a localgw.config.* without routes adds to it: issuer and JWKS, devTokens, function handlers and environment', async () => {
    writeFileSync(join(dir, 'localgw.config.json'), JSON.stringify({ devTokens: false, authorizers: { Main: { issuer: 'https://issuer.example.com', jwks: './jwks.json' } }, functions: { Items: { environment: { MODE: 'local' } } } }));
    for (const start of [join(dir, 'template.yaml'), join(dir, 'localgw.config.json'), dir]) {
      const { main } = await loadProject(start, root, { parameterOverrides: { Table: 'items-dev' } });
      expect(main).toMatchObject({ file: join(dir, 'template.yaml'), baseDir: dir, format: 'sam', apiId: 'api' });
      expect(main.config.devTokens).toBe(false);
      expect(main.config.authorizers.Main).toMatchObject({ issuer: 'https://issuer.example.com', audience: ['app'], jwks: './jwks.json' });
      const route = main.config.routes[0]!;
      expect(route.integration).toMatchObject({ handler: 'src/items.list', environment: { TABLE: 'items-dev', MODE: 'local' }, functionName: 'Items', timeoutMs: 3000 });
      expect(main.dependencies).toEqual(expect.arrayContaining([join(dir, 'template.yaml'), join(dir, 'localgw.config.json')]));
    }
  });

  it('an error in a field the beside config sets names the beside config', async () => {
    writeFileSync(join(dir, 'localgw.config.json'), JSON.stringify({ authorizers: { Main: { issuer: 'not a url' } } }));
    const error = await loadProject(dir).catch((e: unknown) => e);
    expect((error as { details: { issues: Parameters<typeof formatIssue>[0][] } }).details.issues.map(formatIssue)).toEqual(['localgw.config.json authorizers.Main.issuer: "not a url" is not a URL (the issuer is the token\'s "iss", e.g. "https://issuer.example.com")']);
  });

  it('a parameter without a default is a warning (and empty); a localgw.config with routes is its own config, not an addition', async () => {
    writeFileSync(join(dir, 'localgw.config.json'), JSON.stringify({ authorizers: { Main: { issuer: 'https://issuer.example.com' } } }));
    const { main } = await loadProject(join(dir, 'template.yaml'));
    expect(main.warnings.map(formatIssue)).toEqual(['template.yaml:3 Parameters.Table: parameter Table has no Default and no value was given, so it is empty (pass one with --parameter-overrides Table=VALUE)']);
    writeFileSync(join(dir, 'localgw.config.json'), JSON.stringify({ routes: { 'GET /own': 'src/items.list' } }));
    const own = await loadProject(dir);
    expect(own.main.format).toBe('localgw');
    const viaTemplate = await loadProject(join(dir, 'template.yaml')).catch((e: { message: string }) => e.message);
    expect(viaTemplate).toBe('Invalid SAM template template.yaml');
  });

  it('--env-vars: SAM CLI\'s file, Parameters for every function, a logical id for one', async () => {
    writeFileSync(join(dir, 'localgw.config.json'), JSON.stringify({ authorizers: { Main: { issuer: 'https://issuer.example.com' } } }));
    writeFileSync(join(dir, 'env.json'), JSON.stringify({ Parameters: { SHARED: 'all', MODE: 'p' }, Items: { MODE: 'env-vars' } }));
    const { main } = await loadProject(dir, root, { envVars: join(dir, 'env.json') });
    expect(main.config.routes[0]!.integration).toMatchObject({ environment: { TABLE: '', MODE: 'env-vars', SHARED: 'all' } });
    expect(main.dependencies).toContain(join(dir, 'env.json'));
  });
});

describe('a template with nothing to serve', () => {
  it('a sam init REST API template: the error says why (Type: Api events)', async () => {
    const dir = project('rest', { 'template.yaml': 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Events:\n        Hello: { Type: Api, Properties: { Path: /hello, Method: get } }\n' });
    const error = (await loadProject(dir).catch((e: unknown) => e)) as { message: string; details: { issues: Parameters<typeof formatIssue>[0][] } };
    expect(error.message).toBe('template.yaml: no HTTP API to serve (no AWS::Serverless::HttpApi, HttpApi event or AWS::ApiGatewayV2::Api with ProtocolType HTTP)');
    expect(error.details.issues.map((i) => [i.severity, i.message])).toEqual([['warning', 'Fn.Events.Hello is a REST API event (Type: Api): localgw emulates HTTP APIs, so it is not served']]);
  });

  it('a beside config that does not exist yet is watched, so creating one takes effect', async () => {
    const dir = project('watch-beside', { 'template.yaml': 'Resources:\n  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: HTTP } }\n' });
    const { main } = await loadProject(dir);
    expect(main.dependencies).toEqual(expect.arrayContaining([join(dir, 'localgw.config.ts'), join(dir, 'localgw.config.json'), join(dir, 'localgw.config.yml')]));
  });
});

describe('what runs where', () => {
  it('after sam build, a function whose source folder lacks the handler runs from .aws-sam/build', async () => {
    const dir = project('built', {
      'template.yaml': 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: fn/, Handler: app.handler, Events: { E: { Type: HttpApi } } }\n',
      'fn/app.go': 'package main\n',
      '.aws-sam/build/Fn/app.js': 'exports.handler = async () => ({})\n',
    });
    const { main } = await loadProject(dir);
    expect(main.config.routes[0]!.integration).toMatchObject({ handler: '.aws-sam/build/Fn/app.handler' });
  });

  it('inline code (AWS\'s own samples) is saved under .localgw/inline as CommonJS index.js', async () => {
    const code = 'exports.handler = async (event) => ({ statusCode: 200, body: event.routeKey });\n';
    const dir = project('inline', {
      'template.yaml': `Resources:\n  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: HTTP, Target: !GetAtt Fn.Arn } }\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: index.handler\n      Code:\n        ZipFile: |\n          ${code}`,
    });
    const { main } = await loadProject(dir);
    expect(main.config.routes[0]!.integration).toMatchObject({ handler: '.localgw/inline/Fn/index.handler' });
    expect(readFileSync(join(dir, '.localgw/inline/Fn/index.js'), 'utf8')).toBe(code);
    expect(JSON.parse(readFileSync(join(dir, '.localgw/inline/Fn/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(statSync(join(dir, '.localgw')).mode & 0o077).toBe(0);
  });

  it('several APIs: each its own config, the first declared is main unless --api names another', async () => {
    const dir = project('multi', {
      'template.yaml': 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Public: { Type: AWS::Serverless::HttpApi }\n  Admin: { Type: AWS::Serverless::HttpApi }\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Events:\n        A: { Type: HttpApi, Properties: { ApiId: !Ref Public, Path: /a, Method: GET } }\n        B: { Type: HttpApi, Properties: { ApiId: !Ref Admin, Path: /b, Method: GET } }\n',
    });
    const first = await loadProject(dir);
    expect(first.apis.map((a) => [a.apiId, a.imported?.logicalId, a.config.routes.map((r) => r.key.routeKey)])).toEqual([
      ['public', 'Public', ['GET /a']],
      ['admin', 'Admin', ['GET /b']],
    ]);
    const admin = await loadProject(dir, root, { api: 'Admin' });
    expect(admin.main.apiId).toBe('admin');
    expect(admin.apis.map((a) => a.apiId)).toEqual(['admin', 'public']);
    await expect(loadProject(dir, root, { api: 'Nope' })).rejects.toMatchObject({ code: 'ERR_USAGE', message: '--api Nope: no such API; the template has Public, Admin' });
  });
});

describe('a CDK cloud assembly', () => {
  const template = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Code: { S3Bucket: 'b', S3Key: 'h1.zip' } }, Metadata: { 'aws:asset:path': 'asset.h1', 'aws:asset:property': 'Code' } },
      Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'Api', ProtocolType: 'HTTP', Target: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
    },
  };
  const manifest = { version: '40.0.0', artifacts: { 'App.assets': { type: 'cdk:asset-manifest', properties: { file: 'App.assets.json' } }, App: { type: 'aws:cloudformation:stack', properties: { templateFile: 'App.template.json' }, dependencies: ['App.assets'], displayName: 'App' } } };
  const dir = project('cdk', { 'cdk.json': '{"app":"x"}', 'cdk.out/manifest.json': manifest, 'cdk.out/App.template.json': template, 'cdk.out/App.assets.json': { files: {} }, 'cdk.out/asset.h1/index.js': 'exports.handler = async () => ({})\n' });

  it('the folder, its manifest.json or a template inside it; code from the asset folder; the project folder is the base', async () => {
    for (const config of ['cdk.out', 'cdk.out/manifest.json', 'cdk.out/App.template.json', '.']) {
      const { main } = await loadProject(join(dir, config));
      expect(main).toMatchObject({ format: 'cdk', baseDir: dir, file: join(dir, 'cdk.out/manifest.json'), apiId: 'api' });
      expect(main.config.routes[0]!.integration).toMatchObject({ handler: 'cdk.out/asset.h1/index.handler', functionName: 'Fn' });
      expect(main.dependencies).toEqual(expect.arrayContaining([join(dir, 'cdk.out/App.template.json'), join(dir, 'cdk.out/manifest.json')]));
    }
  });

  it('warns when an app source file is newer than cdk.out', async () => {
    writeFileSync(join(dir, 'stack.ts'), 'export {}\n');
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'stack.ts'), future, future);
    const { main } = await loadProject(dir);
    expect(main.warnings.map(formatIssue)).toContain('cdk.out: is older than stack.ts, so it may not have your latest changes (run npx cdk synth (or start with --synth))');
  });
});

describe('serverless.yml and OpenAPI documents (issue 16)', () => {
  const SLS = "service: s\nprovider: { name: aws }\nfunctions:\n  f: { handler: f.main, events: [ { httpApi: 'GET /f' } ] }\n";
  const OPENAPI = { openapi: '3.0.1', info: { title: 'doc', version: '1' }, paths: { '/o': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'arn:aws:lambda:us-east-1:1:function:o', payloadFormatVersion: '2.0' } } } } };

  it('detection: after localgw.config.*, template.yaml and cdk.out/ come serverless.{yml,yaml,ts,json}, then openapi.{yaml,yml,json}', () => {
    const dir = project('detect-order', { 'openapi.json': OPENAPI, 'serverless.yml': SLS });
    expect(findProjectConfig(dir)).toBe(join(dir, 'serverless.yml'));
    writeFileSync(join(dir, 'template.yaml'), SAM);
    expect(findProjectConfig(dir)).toBe(join(dir, 'template.yaml'));
    rmSync(join(dir, 'template.yaml'));
    rmSync(join(dir, 'serverless.yml'));
    expect(findProjectConfig(dir)).toBe(join(dir, 'openapi.json'));
  });

  it('--config takes either by name or by content (an OpenAPI document named api.yaml); the format is recorded', async () => {
    const dir = project('by-content', { 'api.json': OPENAPI, 'serverless.yml': SLS, 'localgw.config.json': { functions: { o: 'o.handler' } } });
    const doc = await loadProject('api.json', dir);
    expect(doc.main.format).toBe('openapi');
    expect(doc.main.config.routes.map((r) => r.key.routeKey)).toEqual(['GET /o']);
    const sls = await loadProject('serverless.yml', dir);
    expect(sls.main.format).toBe('serverless');
    expect(sls.main.apiId).toBe('httpapi');
  });

  it('a localgw config by another name, JSON or YAML, is read as one; a byte order mark before JSON, or YAML in a .json file, is refused as in localgw.config.json', async () => {
    const config = { routes: { 'GET /own': 'src/items.list' } };
    const yaml = 'routes:\n  GET /own: src/items.list\n';
    const dir = project('other-names', { 'api.config.json': config, 'api.config.yaml': yaml, 'bom.json': `\uFEFF${JSON.stringify(config)}`, 'yaml.json': yaml });
    for (const file of ['api.config.json', 'api.config.yaml']) {
      const { main } = await loadProject(file, dir);
      expect(main).toMatchObject({ file: join(dir, file), format: 'localgw' });
      expect(main.config.routes.map((r) => r.key.routeKey)).toEqual(['GET /own']);
    }
    await expect(loadProject('bom.json', dir)).rejects.toThrow(/bom\.json.*invalid JSON/);
    await expect(loadProject('yaml.json', dir)).rejects.toThrow(/yaml\.json.*invalid JSON/);
  });

  it('serverless.ts: the configuration its module exports', async () => {
    const dir = project('sls-ts', { 'serverless.ts': "const service = { service: 'ts', provider: { name: 'aws' }, functions: { t: { handler: 't.main', events: [{ httpApi: 'GET /t' }] } } };\nexport default service;\n" });
    const loaded = await loadProject('serverless.ts', dir);
    expect(loaded.main.config.routes.map((r) => r.key.routeKey)).toEqual(['GET /t']);
    expect(loaded.main.config.routes[0]!.integration).toMatchObject({ functionName: 'ts-dev-t' });
  });

  it('${env:…} sees a .env beside serverless.yml, under the process environment', async () => {
    const dir = project('sls-env', { 'serverless.yml': "service: e\nprovider:\n  name: aws\n  environment:\n    FROM_FILE: ${env:LOCALGW_TEST_FROM_FILE}\nfunctions:\n  f: { handler: f.main, events: [ { httpApi: 'GET /f' } ] }\n", '.env': 'LOCALGW_TEST_FROM_FILE=dotenv\n' });
    const loaded = await loadProject('serverless.yml', dir);
    expect(loaded.main.config.routes[0]!.integration).toMatchObject({ environment: { FROM_FILE: 'dotenv' } });
  });
});
