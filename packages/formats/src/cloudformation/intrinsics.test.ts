import { describe, expect, it } from 'vitest';
import { issueLines, readProject } from '../test-support/memory-host.js';
import { parseText } from '../source/parse-text.js';
import { NO_VALUE, resolveValue, Unresolved, type IntrinsicScope } from './intrinsics.js';
import { Stack, type StackLinks } from './stack.js';
import type { FormatIssue } from '../model/model.js';

/** A scope with a few parameters, resources and conditions, as a template would give. */
const scope: IntrinsicScope = {
  region: 'us-east-1',
  parameter: (name) => ({ Stage: 'dev', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws', Zones: ['a', 'b'] })[name],
  ref: (id) => (id === 'Fn' ? { value: 'my-fn' } : id === 'Pool' ? { value: 'Pool', placeholder: 'Ref Pool stands in' } : undefined),
  getAtt: (id, attr, pointer) => (id === 'Fn' && attr === 'Arn' ? { value: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn' } : id === 'Fn' ? new Unresolved(`no ${attr}`, pointer) : undefined),
  condition: (name, pointer) => (name === 'IsDev' ? true : name === 'IsProd' ? false : new Unresolved(`no condition ${name}`, pointer)),
  mapping: (name) => (name === 'Env' ? { dev: { Url: 'https://dev.example.com' } } : undefined),
  importValue: (name) => (name === 'shared-url' ? 'https://shared.example.com' : undefined),
};

function resolve(value: unknown) {
  const notes = { placeholders: [] as Array<{ pointer: string; text: string }> };
  return { value: resolveValue(scope, value, '/X', notes), placeholders: notes.placeholders };
}

const r = (value: unknown) => resolve(value).value;

describe('§2.8 intrinsic functions', () => {
  it('Ref: parameters and pseudo parameters, resources (their physical id), AWS::NoValue', () => {
    expect(r({ Ref: 'Stage' })).toBe('dev');
    expect(r({ Ref: 'AWS::Region' })).toBe('us-east-1');
    expect(r({ Ref: 'Fn' })).toBe('my-fn');
    expect(r({ Ref: 'AWS::NoValue' })).toBe(NO_VALUE);
    expect(r({ Ref: 'Nope' })).toMatchObject({ reason: 'Ref Nope: no parameter or resource of that name' });
  });

  it('Ref to a resource only AWS knows is a placeholder, noted where it is used', () => {
    expect(resolve({ a: ['x', { Ref: 'Pool' }] })).toEqual({ value: { a: ['x', 'Pool'] }, placeholders: [{ pointer: '/X/a/1', text: 'Ref Pool stands in' }] });
  });

  it('Fn::GetAtt in list and dotted-string form; unknown attributes and resources are unresolved', () => {
    expect(r({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe('arn:aws:lambda:us-east-1:123456789012:function:my-fn');
    expect(r({ 'Fn::GetAtt': 'Fn.Arn' })).toBe('arn:aws:lambda:us-east-1:123456789012:function:my-fn');
    expect(r({ 'Fn::GetAtt': ['Fn', 'Version'] })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::GetAtt': ['Ghost', 'Arn'] })).toMatchObject({ reason: expect.stringContaining('no resource named Ghost') });
  });

  it('Fn::Sub: parameters, pseudo parameters, Res.Attr, a variable map, ${!Literal}, stage variables left alone', () => {
    expect(r({ 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/functions/${Fn.Arn}/invocations' })).toBe(
      'arn:aws:apigateway:us-east-1:lambda:path/functions/arn:aws:lambda:us-east-1:123456789012:function:my-fn/invocations',
    );
    expect(r({ 'Fn::Sub': ['${Host}/${Stage}', { Host: { 'Fn::FindInMap': ['Env', 'dev', 'Url'] } }] })).toBe('https://dev.example.com/dev');
    expect(r({ 'Fn::Sub': '${!Literal} ${ Stage }' })).toBe('${Literal} dev');
    expect(r({ 'Fn::Sub': 'function:${stageVariables.fn}' })).toBe('function:${stageVariables.fn}');
    expect(r({ 'Fn::Sub': '${Nope}' })).toBeInstanceOf(Unresolved);
  });

  it('Fn::Join, Fn::Select, Fn::Split (also on lists from parameters)', () => {
    expect(r({ 'Fn::Join': ['', ['integrations/', { Ref: 'Fn' }]] })).toBe('integrations/my-fn');
    expect(r({ 'Fn::Join': [',', { Ref: 'Zones' }] })).toBe('a,b');
    expect(r({ 'Fn::Select': ['1', { 'Fn::Split': [',', 'x,y,z'] }] })).toBe('y');
    expect(r({ 'Fn::Select': [5, ['a']] })).toMatchObject({ reason: expect.stringContaining('out of range') });
    expect(r({ 'Fn::Join': ['/', 'not a list'] })).toBeInstanceOf(Unresolved);
  });

  it('Fn::If with conditions; Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition; AWS::NoValue drops the entry', () => {
    expect(r({ 'Fn::If': ['IsDev', 'a', 'b'] })).toBe('a');
    expect(r({ 'Fn::If': ['IsProd', 'a', 'b'] })).toBe('b');
    expect(r({ a: { 'Fn::If': ['IsProd', 'x', { Ref: 'AWS::NoValue' }] }, b: 1 })).toEqual({ b: 1 });
    expect(r([1, { 'Fn::If': ['IsProd', 2, { Ref: 'AWS::NoValue' }] }, 3])).toEqual([1, 3]);
    expect(r({ 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] })).toBe(true);
    expect(r({ 'Fn::Equals': ['1', 1] })).toBe(true);
    expect(r({ 'Fn::Not': [{ Condition: 'IsDev' }] })).toBe(false);
    expect(r({ 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'a'] }] })).toBe(true);
    expect(r({ 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] })).toBe(true);
    expect(r({ 'Fn::If': ['Missing', 'a', 'b'] })).toBeInstanceOf(Unresolved);
  });

  it('Fn::FindInMap with the LanguageExtensions default, Fn::Base64, Fn::GetAZs, Fn::Length, Fn::ToJsonString', () => {
    expect(r({ 'Fn::FindInMap': ['Env', 'dev', 'Url'] })).toBe('https://dev.example.com');
    expect(r({ 'Fn::FindInMap': ['Env', 'prod', 'Url', { DefaultValue: 'none' }] })).toBe('none');
    expect(r({ 'Fn::FindInMap': ['Env', 'prod', 'Url'] })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::Base64': 'hello' })).toBe('aGVsbG8=');
    expect(r({ 'Fn::GetAZs': '' })).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(r({ 'Fn::Length': [1, 2, 3] })).toBe(3);
    expect(r({ 'Fn::ToJsonString': { a: { Ref: 'Stage' } } })).toBe('{"a":"dev"}');
  });

  it('Fn::ImportValue: an export of a stack read here resolves; any other only exists in AWS', () => {
    expect(r({ 'Fn::ImportValue': 'shared-url' })).toBe('https://shared.example.com');
    expect(r({ 'Fn::ImportValue': 'elsewhere' })).toMatchObject({ reason: expect.stringContaining('Fn::ImportValue "elsewhere" reads an export of another deployed stack') });
  });

  it('unresolvable: Fn::Transform, Fn::Cidr, dynamic references, unknown Fn:: names; they travel up through joins', () => {
    expect(r({ 'Fn::Transform': { Name: 'AWS::Include' } })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toBeInstanceOf(Unresolved);
    expect(r('{{resolve:ssm:/my/param}}')).toMatchObject({ reason: expect.stringContaining('dynamic reference') });
    expect(r({ 'Fn::Nope': 1 })).toMatchObject({ reason: 'Fn::Nope is not an intrinsic function localgw knows' });
    const joined = r({ 'Fn::Join': ['', ['x', { 'Fn::ImportValue': 'elsewhere' }]] });
    expect(joined).toBeInstanceOf(Unresolved);
    expect((joined as Unresolved).pointer).toBe('/X/Fn::Join/1/1');
  });

  it('an IAM policy "Condition" block is data, not the Condition function', () => {
    expect(r({ Condition: { StringEquals: { a: 'b' } } })).toEqual({ Condition: { StringEquals: { a: 'b' } } });
  });
});

describe('Parameters, pseudo parameters and Conditions of a template', () => {
  const links: StackLinks = {
    ref: (_stack, id) => ({ value: id }),
    getAtt: (_stack, id, _type, attr, pointer) => new Unresolved(`${id}.${attr}`, pointer),
    importValue: () => undefined,
  };
  function stack(text: string, values: Record<string, unknown> = {}) {
    const parsed = parseText('template.yaml', text);
    if (!parsed.ok) throw new Error(parsed.message);
    const issues: FormatIssue[] = [];
    return { stack: new Stack(parsed.source, '', undefined, values, links, issues), issues };
  }
  const template = [
    'Parameters:',
    '  Stage: { Type: String, Default: dev, AllowedValues: [dev, prod] }',
    '  Origins: { Type: CommaDelimitedList, Default: "https://a.example.com,https://b.example.com" }',
    '  Secret: { Type: String }',
    '  Version: { Type: "AWS::SSM::Parameter::Value<String>", Default: /my/version }',
    'Conditions:',
    '  IsProd: !Equals [ !Ref Stage, prod ]',
    '  NotProd: !Not [ !Condition IsProd ]',
    '  Loop: !Not [ !Condition Loop ]',
    'Resources:',
    '  Always: { Type: AWS::SNS::Topic }',
    '  ProdOnly: { Type: AWS::SNS::Topic, Condition: IsProd }',
  ].join('\n');

  it('defaults, --parameter-overrides, list types; no default warns and is empty', () => {
    const { stack: s, issues } = stack(template);
    expect(s.resolve({ Ref: 'Stage' }, '/x').value).toBe('dev');
    expect(s.resolve({ Ref: 'Origins' }, '/x').value).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(s.resolve({ Ref: 'Secret' }, '/x').value).toBe('');
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', message: 'parameter Secret has no Default and no value was given, so it is empty', hint: 'pass one with --parameter-overrides Secret=VALUE', source: expect.objectContaining({ line: 4 }) })]);
    const overridden = stack(template, { Stage: 'prod', Secret: 's3cret', 'AWS::Region': 'eu-west-1' });
    expect(overridden.stack.resolve({ 'Fn::Sub': '${Stage}/${Secret}/${AWS::Region}' }, '/x').value).toBe('prod/s3cret/eu-west-1');
    expect(overridden.issues).toEqual([]);
  });

  it('a value outside AllowedValues warns; an SSM parameter type is unresolved unless overridden', () => {
    const { stack: s, issues } = stack(template, { Stage: 'qa', Secret: 'x' });
    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining('parameter Stage is "qa", which is not one of its AllowedValues (dev, prod)')]);
    expect(s.resolve({ Ref: 'Version' }, '/x').value).toMatchObject({ reason: expect.stringContaining('SSM parameter "/my/version"') });
    expect(stack(template, { Version: '7', Secret: 'x' }).stack.resolve({ Ref: 'Version' }, '/x').value).toBe('7');
  });

  it('pseudo parameters have SAM CLI\'s values', () => {
    const { stack: s } = stack('Resources: {}');
    expect(s.resolve({ 'Fn::Sub': '${AWS::AccountId} ${AWS::Region} ${AWS::Partition} ${AWS::StackName} ${AWS::URLSuffix}' }, '/x').value).toBe('123456789012 us-east-1 aws local amazonaws.com');
    expect(s.resolve({ Ref: 'AWS::StackId' }, '/x').value).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/local\//);
  });

  it('conditions: evaluated on demand, a resource with a false Condition does not exist, a cycle is unresolved', () => {
    const { stack: dev } = stack(template, { Secret: 'x' });
    expect(dev.condition('NotProd', '/x')).toBe(true);
    expect(dev.activeResource('Always')).toBeDefined();
    expect(dev.activeResource('ProdOnly')).toBeUndefined();
    expect(dev.resourcesOf('AWS::SNS::Topic').map(([id]) => id)).toEqual(['Always']);
    expect(stack(template, { Stage: 'prod', Secret: 'x' }).stack.activeResource('ProdOnly')).toBeDefined();
    expect(dev.condition('Loop', '/x')).toMatchObject({ reason: expect.stringContaining('refers to itself') });
  });

  it('a template reads its parameters once per load: the warnings name the file and line', () => {
    const model = readProject({ 'template.yaml': template });
    expect(issueLines(model)).toEqual(['warning template.yaml:4: parameter Secret has no Default and no value was given, so it is empty']);
  });
});
