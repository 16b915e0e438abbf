import { describe, expect, it } from 'vitest';
import { EXAMPLE_API, makeRequest, utf8 } from '../payload/test-support/event-input.js';
import type { RequestValueFacts } from './expression.js';
import { applyRequestMapping, applyResponseMapping, compileRequestMapping, compileResponseMapping } from './parameter-mapping.js';

function facts(overrides: Partial<RequestValueFacts> = {}): RequestValueFacts {
  return {
    request: makeRequest({
      method: 'POST',
      rawPath: '/dev/pets/7',
      rawQueryString: 'a=1&a=2&keep=x',
      rawHeaders: ['Host', 'h', 'X-Trace', 't1', 'x-trace', 't2', 'X-Drop', 'gone'],
      body: utf8('{"owner":{"name":"Ada","tags":["a","b"]},"n":5}'),
    }),
    routeKey: 'POST /pets/{id}',
    stage: 'dev',
    decodedPath: '/dev/pets/7',
    api: EXAMPLE_API,
    pathParameters: { id: '7' },
    pathWithoutStage: '/pets/7',
    stageVariables: { backend: 'v2' },
    authorizer: { claims: { sub: 'alice' } },
    ...overrides,
  };
}

function request(parameters: Record<string, string>) {
  const compiled = compileRequestMapping(parameters);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return applyRequestMapping(compiled.mapping, facts());
}

describe('§6.2 request parameter mapping', () => {
  it('append, overwrite and remove headers, with values from the request, context and stage variables', () => {
    const mapped = request({
      'append:header.x-trace': 'added',
      'overwrite:header.x-user': '$context.authorizer.claims.sub',
      'overwrite:header.x-path': '${request.path.id} of ${request.path}',
      'append:header.x-stage': '$stageVariables.backend',
      'remove:header.x-drop': "''",
      'overwrite:header.x-copy': '$request.header.X-Trace',
    });
    expect(mapped.rawHeaders).toEqual([
      'Host', 'h', 'X-Trace', 't1', 'x-trace', 't2', 'x-trace', 'added', 'x-stage', 'v2', 'x-user', 'alice', 'x-path', '7 of /pets/7', 'x-copy', 't1,t2',
    ]);
  });

  it('query strings: append, overwrite (every value replaced) and remove; values encoded', () => {
    expect(request({ 'append:querystring.a': '3' }).rawQueryString).toBe('a=1&a=2&keep=x&a=3');
    expect(request({ 'overwrite:querystring.a': 'x y' }).rawQueryString).toBe('keep=x&a=x%20y');
    expect(request({ 'remove:querystring.a': "''" }).rawQueryString).toBe('keep=x');
    expect(request({ 'overwrite:querystring.q': '$request.querystring.a' }).rawQueryString).toBe('a=1&a=2&keep=x&q=1%2C2');
  });

  it('overwrite:path and body JSONPath values', () => {
    expect(request({ 'overwrite:path': '/v2/owners/$request.body.owner.name' }).path).toBe('/v2/owners/$request.body.owner.name');
    expect(request({ 'overwrite:path': '/v2/owners/${request.body.owner.name}' }).path).toBe('/v2/owners/Ada');
    const mapped = request({ 'overwrite:header.x-tag': '$request.body.owner.tags[1]', 'overwrite:header.x-tags': '$request.body.owner.tags', 'overwrite:header.x-none': '$request.body.nope' });
    expect(mapped.rawHeaders.slice(-6)).toEqual(['x-tag', 'b', 'x-tags', '["a","b"]', 'x-none', '']);
  });

  it('an overwrite or remove wins over an append to the same name', () => {
    const mapped = request({ 'remove:header.x-new': "''", 'append:header.x-new': 'a' });
    expect(mapped.rawHeaders).not.toContain('x-new');
  });

  it('refuses reserved headers and malformed keys and values the way API Gateway does', () => {
    const compiled = compileRequestMapping({
      'overwrite:header.Authorization': 'x',
      'append:header.apigw-requestid': 'x',
      'overwrite:header.X-Amz-Date': 'x',
      'append:header.Access-Control-Allow-Origin': '*',
      'overwrite:body': 'x',
      'append:header.x': '$request.body..name',
      'append:header.y': '${request.cookie.a}',
      'overwrite:header.Host': 'backend.local',
    });
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.issues.map((i) => i.key[0])).toEqual([
      'overwrite:header.Authorization',
      'append:header.apigw-requestid',
      'overwrite:header.X-Amz-Date',
      'append:header.Access-Control-Allow-Origin',
      'overwrite:body',
      'append:header.x',
      'append:header.y',
    ]);
    expect(compiled.issues[0]!.message).toBe('Invalid mapping expression specified: Validation Result: warnings : [], errors : [Operations on header Authorization are restricted]');
  });
});

describe('§6.3 response parameter mapping, per backend status', () => {
  const headers: Array<[string, string]> = [['content-type', 'application/json'], ['x-backend', 'b1']];

  it('maps the status and headers for the matching status only', () => {
    const compiled = compileResponseMapping({ '500': { 'overwrite:statuscode': '403', 'append:header.header1': '$context.requestId', 'remove:header.x-backend': "''" } });
    if (!compiled.ok) throw new Error('compile');
    const context = facts();
    const mapped = applyResponseMapping(compiled.mapping, 500, { context, stageVariables: context.stageVariables, headers, body: '{}' });
    expect(mapped).toEqual({ statusCode: 403, headers: [['content-type', 'application/json'], ['header1', 'JCJJxhz4PHcEJgQ=']] });
    expect(applyResponseMapping(compiled.mapping, 200, { context, stageVariables: undefined, headers, body: '{}' })).toBeUndefined();
  });

  it('values from the response headers and body', () => {
    const compiled = compileResponseMapping({ '200': { 'overwrite:header.x-id': '$response.body.id', 'append:header.x-copy': '$response.header.X-Backend' } });
    if (!compiled.ok) throw new Error('compile');
    const context = facts();
    const mapped = applyResponseMapping(compiled.mapping, 200, { context, stageVariables: undefined, headers, body: '{"id":42}' });
    expect(mapped?.headers).toEqual([['content-type', 'application/json'], ['x-backend', 'b1'], ['x-copy', 'b1'], ['x-id', '42']]);
  });

  it('a mapped status that is not a status code is reported', () => {
    const compiled = compileResponseMapping({ '200': { 'overwrite:statuscode': '$response.header.x-status' } });
    if (!compiled.ok) throw new Error('compile');
    const context = facts();
    expect(applyResponseMapping(compiled.mapping, 200, { context, stageVariables: undefined, headers, body: '' })).toMatchObject({ invalidStatus: '' });
  });

  it('refuses bad status keys, static non-status codes and request values', () => {
    const compiled = compileResponseMapping({ abc: {}, '200': { 'overwrite:statuscode': 'twenty', 'append:header.x': '$request.header.y', 'overwrite:header.connection': 'close' } });
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.issues.map((i) => i.key.join(' '))).toEqual(['200 overwrite:statuscode', '200 append:header.x', '200 overwrite:header.connection', 'abc']);
  });
});
