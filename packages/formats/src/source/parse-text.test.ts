import { describe, expect, it } from 'vitest';
import { parseText, scanJsonLines } from './parse-text.js';

function value(text: string, file = 'template.yaml'): unknown {
  const parsed = parseText(file, text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.source.value;
}

describe('config-formats.md §2.1 YAML short-form intrinsic tags', () => {
  it('!Ref and !Condition have no Fn:: prefix', () => {
    expect(value('a: !Ref Stage\nb: !Condition IsProd\n')).toEqual({ a: { Ref: 'Stage' }, b: { Condition: 'IsProd' } });
  });

  it('!GetAtt A.B.C splits at the first dot, as SAM CLI does; the list form is kept', () => {
    expect(value('a: !GetAtt Fn.Arn\nb: !GetAtt Child.Outputs.Url\nc: !GetAtt [Fn, Arn]\n')).toEqual({
      a: { 'Fn::GetAtt': ['Fn', 'Arn'] },
      b: { 'Fn::GetAtt': ['Child', 'Outputs.Url'] },
      c: { 'Fn::GetAtt': ['Fn', 'Arn'] },
    });
  });

  it('every other tag becomes Fn::NAME, on scalars, sequences and maps, nested', () => {
    const text = [
      'sub: !Sub "arn:${AWS::Region}"',
      'subList: !Sub [ "x${y}", { y: !Ref Y } ]',
      'join: !Join [ "/", [ a, !Ref B ] ]',
      'if: !If [ IsProd, !Ref A, !Ref AWS::NoValue ]',
      'select: !Select [ 0, !Split [ ",", "a,b" ] ]',
      'map: !FindInMap [ M, k1, k2 ]',
      'imp: !ImportValue shared-arn',
      'b64: !Base64 hi',
      'azs: !GetAZs ""',
      'eq: !Equals [ !Ref S, prod ]',
      'not: !Not [ !Condition C ]',
      'and: !And [ !Condition A, !Condition B ]',
      'or: !Or [ !Condition A, !Condition B ]',
      'cidr: !Cidr [ "10.0.0.0/16", 2, 8 ]',
      'tr: !Transform { Name: AWS::Include }',
    ].join('\n');
    expect(value(text)).toEqual({
      sub: { 'Fn::Sub': 'arn:${AWS::Region}' },
      subList: { 'Fn::Sub': ['x${y}', { y: { Ref: 'Y' } }] },
      join: { 'Fn::Join': ['/', ['a', { Ref: 'B' }]] },
      if: { 'Fn::If': ['IsProd', { Ref: 'A' }, { Ref: 'AWS::NoValue' }] },
      select: { 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] },
      map: { 'Fn::FindInMap': ['M', 'k1', 'k2'] },
      imp: { 'Fn::ImportValue': 'shared-arn' },
      b64: { 'Fn::Base64': 'hi' },
      azs: { 'Fn::GetAZs': '' },
      eq: { 'Fn::Equals': [{ Ref: 'S' }, 'prod'] },
      not: { 'Fn::Not': [{ Condition: 'C' }] },
      and: { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] },
      or: { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] },
      cidr: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
      tr: { 'Fn::Transform': { Name: 'AWS::Include' } },
    });
  });

  it('YAML 1.2: yes stays a string, 2.0 is a number (readers normalise versions)', () => {
    expect(value('a: yes\nb: 2.0\nc: "2.0"\n')).toEqual({ a: 'yes', b: 2, c: '2.0' });
  });

  it('anchors, aliases and merge keys', () => {
    expect(value('base: &b { x: 1, y: 2 }\nuse: *b\nmerged:\n  <<: *b\n  y: 3\n')).toEqual({ base: { x: 1, y: 2 }, use: { x: 1, y: 2 }, merged: { x: 1, y: 3 } });
  });
});

describe('lines of fields', () => {
  it('YAML: the line of each key, and of each list item', () => {
    const parsed = parseText('template.yaml', 'Resources:\n  Api:\n    Type: X\n    Properties:\n      List:\n        - a\n        - b\n');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.source.lineOf('/Resources/Api')).toBe(2);
    expect(parsed.source.lineOf('/Resources/Api/Properties')).toBe(4);
    expect(parsed.source.lineOf('/Resources/Api/Properties/List/1')).toBe(7);
    // A field a reader defaulted (not in the file): its closest parent's line.
    expect(parsed.source.lineOf('/Resources/Api/Properties/Missing/Deeper')).toBe(4);
  });

  it('JSON: parsed with JSON.parse, lines found by one scan on demand (keys with / and ~ escaped)', () => {
    const text = '{\n "Resources": {\n  "A/B~C": {\n   "Type": "X",\n   "List": [\n    1,\n    {"k": "v\\"q"}\n   ]\n  }\n }\n}\n';
    const parsed = parseText('stack.template.json', text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.source.value).toEqual({ Resources: { 'A/B~C': { Type: 'X', List: [1, { k: 'v"q' }] } } });
    expect(parsed.source.lineOf('/Resources/A~1B~0C')).toBe(3);
    expect(parsed.source.lineOf('/Resources/A~1B~0C/List/1/k')).toBe(7);
    expect(scanJsonLines('[]').get('')).toBe(1);
  });

  it('a broken .json file is an error with its line; a broken YAML file too', () => {
    const json = parseText('t.json', '{\n "a": 1\n "b": 2\n}\n');
    expect(json).toMatchObject({ ok: false, line: 3, message: expect.stringContaining('invalid JSON') });
    const yaml = parseText('t.yaml', 'a: [1, 2\nb: 3\n');
    expect(yaml).toMatchObject({ ok: false, message: expect.stringContaining('invalid YAML') });
  });

  it('duplicate keys are an error, as CloudFormation refuses them', () => {
    expect(parseText('t.yaml', 'a: 1\na: 2\n')).toMatchObject({ ok: false });
  });
});
