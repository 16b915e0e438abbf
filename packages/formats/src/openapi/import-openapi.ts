import type { FormatHost } from '../cloudformation/read-template.js';
import { Fields } from '../cloudformation/fields.js';
import { PSEUDO_PARAMETERS, Stack, type StackLinks } from '../cloudformation/stack.js';
import { traced, type Api, type ApiModel, type FormatIssue } from '../model/model.js';
import { parseText, type SourceText } from '../source/parse-text.js';
import { readOpenApi } from './read-openapi.js';

export interface ImportOpenApiOptions {
  /** The API's id (`requestContext.apiId`, the admin API's `ApiId`). Default `api`. */
  apiId?: string;
  /** The document as named in messages; default `openapi`. */
  file?: string;
  /** Lines of fields, when the document was parsed from text (see `parseText`). */
  source?: SourceText;
  /** `${AWS::Region}` and the other AWS variables (§1.1); default SAM CLI's pseudo parameters. */
  awsVariables?: Readonly<Record<string, string>>;
}

export interface OpenApiImport {
  api: Api;
  issues: FormatIssue[];
}

/**
 * An OpenAPI 3.0 document object with the `x-amazon-apigateway-*` extensions (config-formats.md
 * §1) → one Api of the model, as `aws apigatewayv2 import-api` creates it: routes, integrations,
 * authorizers and CORS, and no stage (a document has none, §1.6). Pure, for the admin API's
 * `ImportApi` as for `localgw start` on an `openapi.yaml`. The `${AWS::…}` variables are
 * substituted first, as API Gateway does at import.
 */
export function importOpenApi(document: unknown, options: ImportOpenApiOptions = {}): OpenApiImport {
  const issues: FormatIssue[] = [];
  const file = options.source?.file ?? options.file ?? 'openapi';
  const variables = { ...PSEUDO_PARAMETERS, ...options.awsVariables };
  const value = substituteAwsVariables(document, variables);
  const source: SourceText = { file, value, lineOf: (pointer) => options.source?.lineOf(pointer) };
  const stack = new Stack(source, '', undefined, variables, NO_LINKS, issues);
  const apiId = options.apiId ?? 'api';
  const api: Api = { ...traced(stack.sourceOf('')), apiId, name: apiId, protocolType: 'HTTP', logicalId: undefined, routes: [], integrations: [], authorizers: [], stages: [] };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    stack.issue('error', '', `${file} is not an OpenAPI document (an object with "openapi" and "paths")`);
    return { api, issues };
  }
  const doc = value as Record<string, unknown>;
  if (!('swagger' in doc) && (typeof doc.openapi !== 'string' || !/^3\.0(\.\d+)?$/.test(doc.openapi))) {
    const shown = doc.openapi === undefined ? 'has no "openapi" version' : `is OpenAPI ${String(doc.openapi)}`;
    stack.issue('error', doc.openapi === undefined ? '' : '/openapi', `${file} ${shown}: HTTP APIs import OpenAPI 3.0 documents`, 'start it with openapi: "3.0.1"');
    if (doc.openapi === undefined) return { api, issues };
  }
  readOpenApi(new Fields(stack, '', doc, api), api, { fromTemplate: false });
  return { api, issues };
}

/**
 * `openapi.yaml` (or `.json`) as a project: its one API, served at the `$default` stage unless a
 * localgw config beside it says otherwise. Its Lambda integrations name functions it cannot
 * define, so each is mapped to a local file by that config's `functions` (§1.9).
 */
export function readOpenApiFile(file: string, host: FormatHost, options: Omit<ImportOpenApiOptions, 'file' | 'source'> = {}): ApiModel {
  const text = host.readFile(file);
  const model: ApiModel = { apis: [], functions: [], issues: [], files: [file] };
  if (text === undefined) {
    model.issues.push({ severity: 'error', message: `cannot read ${file}`, source: undefined });
    return model;
  }
  const parsed = parseText(file, text);
  if (!parsed.ok) {
    model.issues.push({ severity: 'error', message: `${file}${parsed.line ? `:${parsed.line}${parsed.column ? `:${parsed.column}` : ''}` : ''}: ${parsed.message}`, source: undefined });
    return model;
  }
  const { api, issues } = importOpenApi(parsed.source.value, { ...options, source: parsed.source });
  model.issues.push(...issues);
  // No stage in the document; localgw serves it as the $default stage (the beside config's `stage` wins).
  api.stages.push({ ...traced(api.source), stageName: '$default', autoDeploy: true });
  model.apis.push(api);
  return model;
}

/** A bare document has no resources: nothing to reference. */
const NO_LINKS: StackLinks = {
  ref: (_stack, logicalId) => ({ value: logicalId }),
  getAtt: (_stack, logicalId, _type, attribute) => ({ value: `${logicalId}.${attribute}` }),
  importValue: () => undefined,
};

const AWS_VARIABLE = /\$\{(AWS::(?:AccountId|Partition|Region|URLSuffix))\}/g;

/** §1.1: `${AWS::AccountId}`, `${AWS::Partition}`, `${AWS::Region}` in any string, substituted at import. */
function substituteAwsVariables(value: unknown, variables: Readonly<Record<string, string>>, depth = 0): unknown {
  if (typeof value === 'string') return value.includes('${AWS::') ? value.replace(AWS_VARIABLE, (whole, name: string) => variables[name] ?? whole) : value;
  if (depth > 100 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => substituteAwsVariables(v, variables, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = substituteAwsVariables(inner, variables, depth + 1);
  return out;
}
