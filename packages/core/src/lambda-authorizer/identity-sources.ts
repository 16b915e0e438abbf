import { compileContextVariable, type ContextFacts, type ContextVariable } from '../context/context-variables.js';
import { getHeader } from '../http/gateway-request.js';
import { queryParameterValue } from '../payload/headers.js';

/**
 * One identity source of a Lambda REQUEST authorizer (§5.2): a header (case-insensitive name),
 * a query parameter (case-sensitive), a `$context` variable or a stage variable. Compiled once
 * per config; read per request.
 */
export type IdentitySource =
  | { readonly kind: 'header'; readonly expression: string; readonly name: string }
  | { readonly kind: 'querystring'; readonly expression: string; readonly name: string }
  | { readonly kind: 'context'; readonly expression: string; readonly read: ContextVariable }
  | { readonly kind: 'stageVariable'; readonly expression: string; readonly name: string };

export type ParsedIdentitySource = { ok: true; source: IdentitySource } | { ok: false; message: string; hint: string };

// RFC 9110 token characters, the set a header name may use.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORMS = '"$request.header.NAME", "$request.querystring.NAME", "$context.NAME" or "$stageVariables.NAME"';

/** Parses one identity source expression (§5.2). */
export function parseIdentitySource(expression: string): ParsedIdentitySource {
  const fail = (message: string, hint = `an identity source is ${FORMS}`): ParsedIdentitySource => ({ ok: false, message, hint });
  const [prefix, rest] = splitPrefix(expression);
  switch (prefix) {
    case '$request.header.':
      if (!HEADER_NAME.test(rest)) return fail(`"${rest}" is not a valid HTTP header name`, 'header names are letters, digits and !#$%&\'*+.^_`|~-');
      return { ok: true, source: { kind: 'header', expression, name: rest.toLowerCase() } };
    case '$request.querystring.':
      if (rest === '') return fail(`"${expression}" names no query parameter`);
      return { ok: true, source: { kind: 'querystring', expression, name: rest } };
    case '$stageVariables.':
      if (!/^[A-Za-z0-9_]+$/.test(rest)) return fail(`"${rest}" is not a stage variable name (letters, digits and "_")`);
      return { ok: true, source: { kind: 'stageVariable', expression, name: rest } };
    case '$context.': {
      const read = compileContextVariable(rest);
      if (typeof read === 'string') return fail(read, 'e.g. "$context.routeKey" (to cache per route) or "$context.identity.sourceIp"');
      return { ok: true, source: { kind: 'context', expression, read } };
    }
    default:
      return fail(`"${expression}" is not an identity source`);
  }
}

function splitPrefix(expression: string): [string | undefined, string] {
  for (const prefix of ['$request.header.', '$request.querystring.', '$stageVariables.', '$context.']) {
    if (expression.startsWith(prefix)) return [prefix, expression.slice(prefix.length)];
  }
  return [undefined, expression];
}

export interface IdentityFacts extends ContextFacts {
  readonly stageVariables: Readonly<Record<string, string>> | undefined;
}

export type IdentityValues = { ok: true; values: string[] } | { ok: false; missing: string };

/**
 * The values of every identity source, in order (they become the event's `identitySource` and
 * the cache key, §5.1, §5.4). "If any is missing, null or empty", the authorizer is not invoked
 * and the answer is 401 (§5.2): `missing` names the first such source. Repeated headers and
 * query parameters are comma-joined, as API Gateway presents them (§4.1).
 */
export function readIdentityValues(sources: readonly IdentitySource[], facts: IdentityFacts): IdentityValues {
  const values: string[] = [];
  for (const source of sources) {
    const value = readOne(source, facts);
    if (value === undefined || value === '') return { ok: false, missing: source.expression };
    values.push(value);
  }
  return { ok: true, values };
}

function readOne(source: IdentitySource, facts: IdentityFacts): string | undefined {
  switch (source.kind) {
    case 'header':
      return getHeader(facts.request.rawHeaders, source.name);
    case 'querystring':
      return queryParameterValue(facts.request.rawQueryString, source.name);
    case 'stageVariable': {
      const variables = facts.stageVariables;
      return variables !== undefined && Object.hasOwn(variables, source.name) ? variables[source.name] : undefined;
    }
    case 'context':
      return source.read(facts);
  }
}
