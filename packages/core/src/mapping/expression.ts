import { compileContextVariable, type ContextFacts, type ContextVariable } from '../context/context-variables.js';
import { getHeader } from '../http/gateway-request.js';
import { queryParameterValue } from '../payload/headers.js';

/**
 * A parameter-mapping value (§6.2, §6.3): static text, one variable (`$request.header.name`),
 * or text with braced variables (`${request.path.name} ${request.path.id}`). Compiled once per
 * config into parts; read per request.
 */
export type ValuePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'header' | 'querystring' | 'pathParameter' | 'stageVariable' | 'responseHeader'; readonly name: string }
  | { readonly kind: 'path' }
  | { readonly kind: 'body' | 'responseBody'; readonly jsonPath: readonly (string | number)[] | undefined }
  | { readonly kind: 'context'; readonly read: ContextVariable };

export type MappingSide = 'request' | 'response';

/** §6.2: the body is truncated at 100 KB before a JSONPath is applied. */
export const MAPPING_BODY_LIMIT = 100 * 1024;

const WHOLE_VARIABLE = /^\$((?:request|response|context|stageVariables)\.[^\s{}$]+)$/;
const BRACED = /\$\{([^{}]*)\}/g;

/** Compiles a mapping value, or says why API Gateway would refuse it. */
export function compileValue(value: string, side: MappingSide): ValuePart[] | string {
  const whole = WHOLE_VARIABLE.exec(value);
  if (whole) {
    const part = compileVariable(whole[1]!, side);
    return typeof part === 'string' ? part : [part];
  }
  const parts: ValuePart[] = [];
  let from = 0;
  for (const match of value.matchAll(BRACED)) {
    if (match.index > from) parts.push({ kind: 'text', text: value.slice(from, match.index) });
    const part = compileVariable(match[1]!, side);
    if (typeof part === 'string') return part;
    parts.push(part);
    from = match.index + match[0].length;
  }
  if (from < value.length) parts.push({ kind: 'text', text: value.slice(from) });
  return parts;
}

function compileVariable(variable: string, side: MappingSide): ValuePart | string {
  const dot = variable.indexOf('.');
  const scope = dot < 0 ? variable : variable.slice(0, dot);
  const rest = dot < 0 ? '' : variable.slice(dot + 1);
  switch (scope) {
    case 'context': {
      const read = compileContextVariable(rest);
      return typeof read === 'string' ? read : { kind: 'context', read };
    }
    case 'stageVariables':
      return /^[A-Za-z0-9_]+$/.test(rest) ? { kind: 'stageVariable', name: rest } : `"$${variable}" is not a stage variable reference`;
    case 'request':
      if (side === 'response') return `"$${variable}": response mappings read "$response.…", "$context.…" and "$stageVariables.…"`;
      return compileRequestVariable(variable, rest);
    case 'response':
      if (side === 'request') return `"$${variable}": request mappings cannot read the response`;
      return compileResponseVariable(variable, rest);
    default:
      return `"$${variable}" is not a mapping expression ($request.…, $response.…, $context.… or $stageVariables.…)`;
  }
}

function compileRequestVariable(variable: string, rest: string): ValuePart | string {
  if (rest === 'path') return { kind: 'path' };
  if (rest === 'body') return { kind: 'body', jsonPath: undefined };
  const [source, name] = splitOnce(rest);
  if (name === '') return `"$${variable}" names no ${source}`;
  switch (source) {
    case 'header':
      return { kind: 'header', name: name.toLowerCase() };
    case 'querystring':
      return { kind: 'querystring', name };
    case 'path':
      return { kind: 'pathParameter', name };
    case 'body': {
      const jsonPath = parseJsonPath(name);
      return typeof jsonPath === 'string' ? `"$${variable}": ${jsonPath}` : { kind: 'body', jsonPath };
    }
    default:
      return `"$${variable}" is not a request value ($request.header.NAME, $request.querystring.NAME, $request.path, $request.path.NAME, $request.body…)`;
  }
}

function compileResponseVariable(variable: string, rest: string): ValuePart | string {
  if (rest === 'body') return { kind: 'responseBody', jsonPath: undefined };
  const [source, name] = splitOnce(rest);
  if (source === 'header' && name !== '') return { kind: 'responseHeader', name: name.toLowerCase() };
  if (source === 'body' && name !== '') {
    const jsonPath = parseJsonPath(name);
    return typeof jsonPath === 'string' ? `"$${variable}": ${jsonPath}` : { kind: 'responseBody', jsonPath };
  }
  return `"$${variable}" is not a response value ($response.header.NAME, $response.body…)`;
}

function splitOnce(text: string): [string, string] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
}

/**
 * A JSONPath after `$request.body.`: names and `[index]`es (`items[0].id`). Recursive
 * descent (`..`) and filters are not supported by API Gateway (§6.2).
 */
function parseJsonPath(path: string): Array<string | number> | string {
  if (path.startsWith('.') || path.includes('..')) return 'recursive descent is not supported';
  if (/[?()@*]/.test(path)) return 'filters and wildcards are not supported';
  const steps: Array<string | number> = [];
  for (const piece of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(piece);
    if (!match || piece === '') return `"${piece}" is not a JSONPath step`;
    if (match[1]) steps.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

/** What request-side values read. */
export interface RequestValueFacts extends ContextFacts {
  readonly pathParameters: Readonly<Record<string, string>> | undefined;
  /** The path without the stage (`$request.path`, §6.2). */
  readonly pathWithoutStage: string;
  readonly stageVariables: Readonly<Record<string, string>> | undefined;
}

/** What response-side values read, besides `$context` and stage variables. */
export interface ResponseValueFacts {
  readonly context: ContextFacts;
  readonly stageVariables: Readonly<Record<string, string>> | undefined;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The response body, or the first part of one still arriving (enough: §6.3 reads 100 KB at most). */
  readonly body: string | Uint8Array | { readonly head: Uint8Array };
}

/** The value for this request; a variable without a value contributes nothing. */
export function evaluateRequestValue(parts: readonly ValuePart[], facts: RequestValueFacts): string {
  let out = '';
  for (const part of parts) out += requestPart(part, facts) ?? '';
  return out;
}

function requestPart(part: ValuePart, facts: RequestValueFacts): string | undefined {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'header':
      return getHeader(facts.request.rawHeaders, part.name);
    case 'querystring':
      return queryParameterValue(facts.request.rawQueryString, part.name);
    case 'pathParameter':
      return own(facts.pathParameters, part.name);
    case 'path':
      return facts.pathWithoutStage;
    case 'stageVariable':
      return own(facts.stageVariables, part.name);
    case 'context':
      return part.read(facts);
    case 'body':
      return bodyValue(facts.request.body, part.jsonPath);
    default:
      return undefined;
  }
}

export function evaluateResponseValue(parts: readonly ValuePart[], facts: ResponseValueFacts): string {
  let out = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        out += part.text;
        break;
      case 'responseHeader': {
        let joined: string | undefined;
        for (const [name, value] of facts.headers) if (name.toLowerCase() === part.name) joined = joined === undefined ? value : `${joined},${value}`;
        out += joined ?? '';
        break;
      }
      case 'responseBody':
        out += bodyValue(responseBytes(facts.body), part.jsonPath) ?? '';
        break;
      case 'stageVariable':
        out += own(facts.stageVariables, part.name) ?? '';
        break;
      case 'context':
        out += part.read(facts.context) ?? '';
        break;
      default:
        break;
    }
  }
  return out;
}

function responseBytes(body: ResponseValueFacts['body']): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return body instanceof Uint8Array ? body : body.head;
}

function own(map: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  return map !== undefined && Object.hasOwn(map, name) ? map[name] : undefined;
}

const utf8 = new TextDecoder();

/** The body (first 100 KB, §6.2) as text, or the value at `jsonPath` of it as JSON. */
function bodyValue(body: Uint8Array | undefined, jsonPath: readonly (string | number)[] | undefined): string | undefined {
  if (body === undefined || body.byteLength === 0) return undefined;
  const text = utf8.decode(body.byteLength > MAPPING_BODY_LIMIT ? body.subarray(0, MAPPING_BODY_LIMIT) : body);
  if (jsonPath === undefined) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const step of jsonPath) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
