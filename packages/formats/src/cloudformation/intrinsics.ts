import { encodeBase64 } from '@localgw/core';
import { childPointer } from '../source/pointer.js';

/** `AWS::NoValue`: the property (or list item) it stands for is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/**
 * A value that only exists in a deployed AWS account (an export of another stack, an SSM
 * parameter, an attribute of a resource localgw does not emulate). It travels up through
 * `Fn::Join`, `Fn::Sub`… so the reader of the field can name it.
 */
export class Unresolved {
  constructor(
    readonly reason: string,
    /** Where the intrinsic that could not be resolved is written. */
    readonly pointer: string,
  ) {}
}

/**
 * A value made up locally for something that exists only in AWS, as SAM CLI does: `Ref` to a
 * Cognito user pool is its logical id. Good enough for an environment variable; worth a warning
 * where it decides behaviour (a JWT issuer).
 */
export interface Placeholder {
  readonly pointer: string;
  readonly text: string;
}

/** What the resolver asks of the template around it. */
export interface IntrinsicScope {
  /** A parameter's or pseudo parameter's value; undefined when `name` is not one. */
  parameter(name: string): unknown;
  /** A resource's `Ref` value, or undefined when no such (active) resource exists. */
  ref(logicalId: string): { value: string; placeholder?: string } | undefined;
  /** `Fn::GetAtt`; undefined when no such resource exists. */
  getAtt(logicalId: string, attribute: string, pointer: string): { value: unknown; placeholder?: string } | Unresolved | undefined;
  condition(name: string, pointer: string): boolean | Unresolved;
  mapping(name: string): Record<string, unknown> | undefined;
  /** An export of a stack read in the same project (CDK's cross-stack references); undefined: none. */
  importValue?(name: string, pointer: string): unknown;
  readonly region: string;
}

export interface ResolveNotes {
  placeholders: Placeholder[];
}

const MAX_DEPTH = 100;

/**
 * Resolves the intrinsic functions in `value` (the subset SAM CLI resolves, plus `Fn::Length` and
 * `Fn::ToJsonString`). Returns plain JSON values, `NO_VALUE`, or an `Unresolved` for what only AWS
 * knows. Only the fields a reader asks for are resolved, so an IAM policy that uses exports of
 * other stacks never stands in the way.
 */
export function resolveValue(scope: IntrinsicScope, value: unknown, pointer: string, notes: ResolveNotes, depth = 0): unknown {
  if (depth > MAX_DEPTH) return new Unresolved('intrinsic functions nest too deeply', pointer);
  if (typeof value === 'string') {
    return value.includes('{{resolve:') ? new Unresolved(`"${value}" is a dynamic reference, resolved by CloudFormation at deploy time`, pointer) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const resolved = resolveValue(scope, item, childPointer(pointer, i), notes, depth + 1);
      if (resolved instanceof Unresolved) return resolved;
      if (resolved !== NO_VALUE) out.push(resolved);
    }
    return out;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [name, arg] = entries[0]!;
    const fn = FUNCTIONS[name];
    if (fn && (name !== 'Condition' || typeof arg === 'string')) return fn(arg, { scope, pointer, notes, depth, at: childPointer(pointer, name) });
    if (name.startsWith('Fn::')) return new Unresolved(`${name} is not an intrinsic function localgw knows`, pointer);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolveValue(scope, item, childPointer(pointer, key), notes, depth + 1);
    if (resolved instanceof Unresolved) return resolved;
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

interface Call {
  scope: IntrinsicScope;
  pointer: string;
  /** The pointer of the function's argument (`…/Fn::Sub`). */
  at: string;
  notes: ResolveNotes;
  depth: number;
}

type Intrinsic = (arg: unknown, call: Call) => unknown;

const sub = (call: Call, value: unknown, pointer: string) => resolveValue(call.scope, value, pointer, call.notes, call.depth + 1);

function bad(call: Call, name: string, expected: string): Unresolved {
  return new Unresolved(`${name} expects ${expected}`, call.at);
}

function ref(name: string, call: Call, pointer: string): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const parameter = call.scope.parameter(name);
  if (parameter !== undefined) return parameter;
  const resource = call.scope.ref(name);
  if (resource) {
    if (resource.placeholder) call.notes.placeholders.push({ pointer, text: resource.placeholder });
    return resource.value;
  }
  return new Unresolved(`Ref ${name}: no parameter or resource of that name`, pointer);
}

function getAtt(logicalId: string, attribute: string, call: Call): unknown {
  const result = call.scope.getAtt(logicalId, attribute, call.at);
  if (result === undefined) return new Unresolved(`Fn::GetAtt ${logicalId}.${attribute}: no resource named ${logicalId}`, call.at);
  if (result instanceof Unresolved) return result;
  if (result.placeholder) call.notes.placeholders.push({ pointer: call.at, text: result.placeholder });
  return result.value;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function condition(value: unknown, call: Call, pointer: string): boolean | Unresolved {
  const resolved = sub(call, value, pointer);
  if (resolved instanceof Unresolved) return resolved;
  if (typeof resolved === 'boolean') return resolved;
  if (resolved === 'true' || resolved === 'false') return resolved === 'true';
  return new Unresolved('a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or {Condition: NAME}', pointer);
}

const FUNCTIONS: Record<string, Intrinsic> = {
  Ref(arg, call) {
    const name = sub(call, arg, call.at);
    if (name instanceof Unresolved) return name;
    return typeof name === 'string' ? ref(name, call, call.pointer) : bad(call, 'Ref', 'a name');
  },
  Condition(arg, call) {
    return call.scope.condition(arg as string, call.at);
  },
  'Fn::GetAtt'(arg, call) {
    const parts = typeof arg === 'string' ? splitAtFirstDot(arg) : sub(call, arg, call.at);
    if (parts instanceof Unresolved) return parts;
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || text(parts[1]) === undefined) {
      return bad(call, 'Fn::GetAtt', '[LogicalId, Attribute] or "LogicalId.Attribute"');
    }
    return getAtt(parts[0], text(parts[1])!, call);
  },
  'Fn::Sub'(arg, call) {
    let template: unknown = arg;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2) return bad(call, 'Fn::Sub', 'a string or [string, {variables}]');
      template = arg[0];
      const vars = sub(call, arg[1], childPointer(call.at, 1));
      if (vars instanceof Unresolved) return vars;
      if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) return bad(call, 'Fn::Sub', 'a map of variables');
      variables = vars as Record<string, unknown>;
    }
    if (typeof template !== 'string') return bad(call, 'Fn::Sub', 'a string');
    return substitute(template, variables, call);
  },
  'Fn::Join'(arg, call) {
    const args = pair(arg, call, 'Fn::Join', '[delimiter, [values]]');
    if (args instanceof Unresolved) return args;
    const [delimiter, list] = args;
    if (typeof delimiter !== 'string' || !Array.isArray(list)) return bad(call, 'Fn::Join', '[delimiter, [values]]');
    const parts = list.map(text);
    if (parts.some((p) => p === undefined)) return bad(call, 'Fn::Join', 'a list of strings');
    return parts.join(delimiter);
  },
  'Fn::Select'(arg, call) {
    const args = pair(arg, call, 'Fn::Select', '[index, [values]]');
    if (args instanceof Unresolved) return args;
    const [index, list] = args;
    const n = Number(index);
    if (!Array.isArray(list) || !Number.isInteger(n)) return bad(call, 'Fn::Select', '[index, [values]]');
    if (n < 0 || n >= list.length) return new Unresolved(`Fn::Select index ${n} is out of range for a list of ${list.length}`, call.at);
    return list[n];
  },
  'Fn::Split'(arg, call) {
    const args = pair(arg, call, 'Fn::Split', '[delimiter, string]');
    if (args instanceof Unresolved) return args;
    const [delimiter, source] = args;
    if (typeof delimiter !== 'string' || typeof source !== 'string') return bad(call, 'Fn::Split', '[delimiter, string]');
    return source.split(delimiter);
  },
  'Fn::If'(arg, call) {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return bad(call, 'Fn::If', '[ConditionName, valueIfTrue, valueIfFalse]');
    const chosen = call.scope.condition(arg[0], childPointer(call.at, 0));
    if (chosen instanceof Unresolved) return chosen;
    return sub(call, arg[chosen ? 1 : 2], childPointer(call.at, chosen ? 1 : 2));
  },
  'Fn::Equals'(arg, call) {
    const args = pair(arg, call, 'Fn::Equals', '[value, value]');
    if (args instanceof Unresolved) return args;
    const [a, b] = args;
    // CloudFormation compares the values as strings ("1" equals 1).
    return JSON.stringify(typeof a === 'number' || typeof a === 'boolean' ? String(a) : a) === JSON.stringify(typeof b === 'number' || typeof b === 'boolean' ? String(b) : b);
  },
  'Fn::Not'(arg, call) {
    if (!Array.isArray(arg) || arg.length !== 1) return bad(call, 'Fn::Not', '[condition]');
    const value = condition(arg[0], call, childPointer(call.at, 0));
    return value instanceof Unresolved ? value : !value;
  },
  'Fn::And'(arg, call) {
    return combine(arg, call, 'Fn::And', (values) => values.every(Boolean));
  },
  'Fn::Or'(arg, call) {
    return combine(arg, call, 'Fn::Or', (values) => values.some(Boolean));
  },
  'Fn::FindInMap'(arg, call) {
    if (!Array.isArray(arg) || (arg.length !== 3 && arg.length !== 4)) return bad(call, 'Fn::FindInMap', '[MapName, TopLevelKey, SecondLevelKey]');
    const keys = arg.slice(0, 3).map((k, i) => sub(call, k, childPointer(call.at, i)));
    const failed = keys.find((k) => k instanceof Unresolved);
    if (failed) return failed;
    const [name, top, second] = keys.map(text);
    const found = name === undefined ? undefined : (call.scope.mapping(name)?.[top!] as Record<string, unknown> | undefined)?.[second!];
    if (found !== undefined) return found;
    // AWS::LanguageExtensions: an optional { DefaultValue: … } as the fourth element.
    const fallback = arg[3] as { DefaultValue?: unknown } | undefined;
    if (fallback && typeof fallback === 'object' && 'DefaultValue' in fallback) return sub(call, fallback.DefaultValue, childPointer(childPointer(call.at, 3), 'DefaultValue'));
    return new Unresolved(`Fn::FindInMap: no ${name}.${top}.${second} in Mappings`, call.at);
  },
  'Fn::Base64'(arg, call) {
    const value = sub(call, arg, call.at);
    if (value instanceof Unresolved) return value;
    return typeof value === 'string' ? encodeBase64(new TextEncoder().encode(value)) : bad(call, 'Fn::Base64', 'a string');
  },
  'Fn::GetAZs'(arg, call) {
    const region = sub(call, arg, call.at);
    const name = typeof region === 'string' && region !== '' ? region : call.scope.region;
    return ['a', 'b', 'c'].map((zone) => name + zone);
  },
  'Fn::Length'(arg, call) {
    const value = sub(call, arg, call.at);
    if (value instanceof Unresolved) return value;
    return Array.isArray(value) ? value.length : bad(call, 'Fn::Length', 'a list');
  },
  'Fn::ToJsonString'(arg, call) {
    const value = sub(call, arg, call.at);
    return value instanceof Unresolved ? value : JSON.stringify(value);
  },
  'Fn::ImportValue'(arg, call) {
    const name = sub(call, arg, call.at);
    if (name instanceof Unresolved) return name;
    const local = typeof name === 'string' ? call.scope.importValue?.(name, call.at) : undefined;
    if (local !== undefined) return local;
    const shown = typeof name === 'string' ? ` "${name}"` : '';
    return new Unresolved(`Fn::ImportValue${shown} reads an export of another deployed stack, which only exists in AWS`, call.pointer);
  },
  'Fn::Transform'(_arg, call) {
    return new Unresolved('Fn::Transform (macros, AWS::Include) runs in CloudFormation, not locally', call.pointer);
  },
  'Fn::Cidr'(_arg, call) {
    return new Unresolved('Fn::Cidr is not resolved locally', call.pointer);
  },
};

/** The two resolved arguments of `[a, b]`, or the first that cannot be resolved. */
function pair(arg: unknown, call: Call, name: string, expected: string): [unknown, unknown] | Unresolved {
  if (!Array.isArray(arg) || arg.length !== 2) return bad(call, name, expected);
  const a = sub(call, arg[0], childPointer(call.at, 0));
  if (a instanceof Unresolved) return a;
  const b = sub(call, arg[1], childPointer(call.at, 1));
  return b instanceof Unresolved ? b : [a, b];
}

function combine(arg: unknown, call: Call, name: string, reduce: (values: boolean[]) => boolean): unknown {
  if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10) return bad(call, name, 'a list of 2 to 10 conditions');
  const values: boolean[] = [];
  for (const [i, item] of arg.entries()) {
    const value = condition(item, call, childPointer(call.at, i));
    if (value instanceof Unresolved) return value;
    values.push(value);
  }
  return reduce(values);
}

function splitAtFirstDot(text: string): string[] {
  const dot = text.indexOf('.');
  return dot === -1 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** `Fn::Sub`: `${Name}` (variable, parameter, resource), `${Res.Attr}`, and `${!Literal}` for a literal `${Literal}`. */
function substitute(template: string, variables: Record<string, unknown>, call: Call): unknown {
  let out = '';
  let last = 0;
  for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
    out += template.slice(last, match.index);
    last = match.index + match[0].length;
    const name = match[1]!.trim();
    if (name.startsWith('!')) {
      out += '${' + name.slice(1) + '}';
      continue;
    }
    let value: unknown;
    if (Object.hasOwn(variables, name)) value = variables[name];
    else if (name.startsWith('stageVariables.')) {
      // Left for API Gateway: a stage variable in an integration URI (§1.3.1).
      out += match[0];
      continue;
    } else if (name.includes('.') && call.scope.parameter(name) === undefined) {
      const [logicalId, attribute] = splitAtFirstDot(name) as [string, string];
      value = getAtt(logicalId, attribute, call);
    } else value = ref(name, call, call.pointer);
    if (value instanceof Unresolved) return value;
    const piece = text(value);
    if (piece === undefined) return new Unresolved(`Fn::Sub: \${${name}} is not a string`, call.at);
    out += piece;
  }
  return out + template.slice(last);
}
