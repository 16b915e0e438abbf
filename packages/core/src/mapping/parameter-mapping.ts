import {
  compileValue,
  evaluateRequestValue,
  evaluateResponseValue,
  type RequestValueFacts,
  type ResponseValueFacts,
  type ValuePart,
} from './expression.js';
import { decodeQueryComponent } from '../payload/headers.js';

/**
 * Parameter mapping (§6.2, §6.3): `requestParameters` change the request before the integration
 * sees it; `responseParameters`, per backend status code, change the response. Compiled once
 * per config (keys parsed, values compiled, reserved headers refused the way API Gateway
 * refuses them at configuration time), applied per request.
 */
export type MappingAction = 'append' | 'overwrite' | 'remove';

export interface HeaderOperation {
  readonly action: MappingAction;
  readonly target: 'header' | 'querystring';
  /** Header names lower-cased (they match case-insensitively); query names as written. */
  readonly name: string;
  readonly value: readonly ValuePart[];
}

export interface RequestMapping {
  readonly operations: readonly HeaderOperation[];
  /** `overwrite:path`. */
  readonly path: readonly ValuePart[] | undefined;
}

export interface ResponseMapping {
  /** By backend status code (`"500"`). */
  readonly byStatus: ReadonlyMap<number, { readonly operations: readonly HeaderOperation[]; readonly statusCode: readonly ValuePart[] | undefined }>;
}

export interface MappingIssue {
  /** The key at fault, relative to the mapping object (`["append:header.x"]`). */
  readonly key: readonly string[];
  readonly message: string;
  readonly hint?: string;
}

/**
 * §6.2: headers that cannot be mapped in either direction. `apigw-requestid` too: a mapping
 * that targets it is refused at configuration time (§10).
 */
const RESERVED_EXACT = new Set([
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
]);
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-'];

export function isReservedHeader(lowerName: string): boolean {
  return RESERVED_EXACT.has(lowerName) || RESERVED_PREFIXES.some((prefix) => lowerName.startsWith(prefix));
}

// API Gateway's own wording for a refused mapping, which `aws` and the SDKs print.
const invalid = (detail: string) => `Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`;

const KEY = /^(append|overwrite|remove):(header|querystring)\.(.+)$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function compileRequestMapping(parameters: Readonly<Record<string, string>>): { ok: true; mapping: RequestMapping } | { ok: false; issues: MappingIssue[] } {
  const issues: MappingIssue[] = [];
  const operations: HeaderOperation[] = [];
  let path: ValuePart[] | undefined;
  for (const [key, value] of Object.entries(parameters)) {
    const compiled = compileValue(value, 'request');
    if (typeof compiled === 'string') {
      issues.push({ key: [key], message: invalid(compiled) });
      continue;
    }
    if (key === 'overwrite:path') {
      path = compiled;
      continue;
    }
    const operation = parseKey(key, compiled, ['header', 'querystring']);
    if ('problem' in operation) {
      issues.push({ key: [key], message: invalid(operation.problem), hint: operation.hint ?? 'keys are append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path' });
    } else operations.push(operation);
  }
  return issues.length ? { ok: false, issues } : { ok: true, mapping: { operations: ordered(operations), path } };
}

export function compileResponseMapping(
  parameters: Readonly<Record<string, Readonly<Record<string, string>>>>,
): { ok: true; mapping: ResponseMapping } | { ok: false; issues: MappingIssue[] } {
  const issues: MappingIssue[] = [];
  const byStatus = new Map<number, { operations: HeaderOperation[]; statusCode: ValuePart[] | undefined }>();
  for (const [status, mappings] of Object.entries(parameters)) {
    if (!/^[1-5]\d\d$/.test(status)) {
      issues.push({ key: [status], message: `"${status}" is not a status code`, hint: 'response parameters are keyed by the backend status code, "200" to "599"' });
      continue;
    }
    const entry = { operations: [] as HeaderOperation[], statusCode: undefined as ValuePart[] | undefined };
    for (const [key, value] of Object.entries(mappings)) {
      const compiled = compileValue(value, 'response');
      if (typeof compiled === 'string') {
        issues.push({ key: [status, key], message: invalid(compiled) });
        continue;
      }
      if (key === 'overwrite:statuscode') {
        if (compiled.length === 1 && compiled[0]!.kind === 'text' && !/^[1-5]\d\d$/.test(compiled[0]!.text)) {
          issues.push({ key: [status, key], message: invalid(`"${value}" is not a status code`) });
        }
        entry.statusCode = compiled;
        continue;
      }
      const operation = parseKey(key, compiled, ['header']);
      if ('problem' in operation) {
        issues.push({ key: [status, key], message: invalid(operation.problem), hint: operation.hint ?? 'keys are append|overwrite|remove:header.NAME or overwrite:statuscode' });
      } else entry.operations.push(operation);
    }
    byStatus.set(Number(status), { operations: ordered(entry.operations), statusCode: entry.statusCode });
  }
  return issues.length ? { ok: false, issues } : { ok: true, mapping: { byStatus } };
}

function parseKey(key: string, value: ValuePart[], targets: ReadonlyArray<'header' | 'querystring'>): HeaderOperation | { problem: string; hint?: string } {
  const match = KEY.exec(key);
  if (!match || !targets.includes(match[2] as 'header')) return { problem: `"${key}" is not a supported mapping key` };
  const action = match[1] as MappingAction;
  const target = match[2] as 'header' | 'querystring';
  const name = match[3]!;
  if (target === 'header') {
    if (!HEADER_NAME.test(name)) return { problem: `"${name}" is not a valid header name` };
    if (isReservedHeader(name.toLowerCase())) {
      return { problem: `Operations on header ${name} are restricted`, hint: 'API Gateway reserves this header: access-control-*, apigw-*, x-amz-*, x-amzn-*, Authorization, Connection, Content-Length, Origin, X-Forwarded-*, Via and the other hop-by-hop headers cannot be mapped' };
    }
    return { action, target, name: name.toLowerCase(), value };
  }
  return { action, target, name, value };
}

/**
 * The order operations apply in: appends, then overwrites, then removes, so that an overwrite
 * or a remove of a name wins over an append to it (AWS leaves this undocumented; LocalStack
 * applies them the same way, §6.2).
 */
function ordered(operations: HeaderOperation[]): HeaderOperation[] {
  const rank = { append: 0, overwrite: 1, remove: 2 } as const;
  return [...operations].sort((a, b) => rank[a.action] - rank[b.action]);
}

/** The request after mapping: header pairs, the raw query string, and a new path when overwritten. */
export interface MappedRequest {
  readonly rawHeaders: string[];
  readonly rawQueryString: string;
  readonly path: string | undefined;
}

/** Applies `mapping`; every value reads the request as the client sent it. */
export function applyRequestMapping(mapping: RequestMapping, facts: RequestValueFacts): MappedRequest {
  let headers: string[] = [...facts.request.rawHeaders];
  let query = facts.request.rawQueryString === '' ? [] : facts.request.rawQueryString.split('&').filter((p) => p !== '');
  for (const operation of mapping.operations) {
    const value = operation.action === 'remove' ? '' : evaluateRequestValue(operation.value, facts);
    if (operation.target === 'header') {
      if (operation.action !== 'append') headers = withoutHeader(headers, operation.name);
      if (operation.action !== 'remove') headers.push(operation.name, value);
    } else {
      if (operation.action !== 'append') query = query.filter((pair) => queryKey(pair) !== operation.name);
      if (operation.action !== 'remove') query.push(`${encodeURIComponent(operation.name)}=${encodeURIComponent(value)}`);
    }
  }
  return {
    rawHeaders: headers,
    rawQueryString: query.join('&'),
    path: mapping.path === undefined ? undefined : evaluateRequestValue(mapping.path, facts),
  };
}

/** The response after the mapping for its status code, if there is one (§6.3). */
export interface MappedResponse {
  readonly statusCode: number;
  readonly headers: Array<[string, string]>;
  /** Set when `overwrite:statuscode` produced something that is not a status code. */
  readonly invalidStatus?: string;
}

export function applyResponseMapping(mapping: ResponseMapping, statusCode: number, facts: ResponseValueFacts): MappedResponse | undefined {
  const entry = mapping.byStatus.get(statusCode);
  if (entry === undefined) return undefined;
  let headers: Array<[string, string]> = facts.headers.map(([name, value]) => [name, value]);
  for (const operation of entry.operations) {
    const value = operation.action === 'remove' ? '' : evaluateResponseValue(operation.value, facts);
    if (operation.action !== 'append') headers = headers.filter(([name]) => name.toLowerCase() !== operation.name);
    if (operation.action !== 'remove') headers.push([operation.name, value]);
  }
  if (entry.statusCode === undefined) return { statusCode, headers };
  const text = evaluateResponseValue(entry.statusCode, facts).trim();
  if (!/^[1-5]\d\d$/.test(text)) return { statusCode, headers, invalidStatus: text };
  return { statusCode: Number(text), headers };
}

function withoutHeader(pairs: readonly string[], lowerName: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i]!.toLowerCase() !== lowerName) out.push(pairs[i]!, pairs[i + 1]!);
  return out;
}

function queryKey(pair: string): string {
  const equals = pair.indexOf('=');
  return decodeQueryComponent(equals < 0 ? pair : pair.slice(0, equals));
}
