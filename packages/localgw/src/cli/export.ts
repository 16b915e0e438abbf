import { type LocalgwConfig } from '@localgw/core';
import { exportCloudFormation, exportOpenApi, fromLocalgwConfig, localFunctionsOf } from '@localgw/formats';
import { writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadProject } from '../config/load-project.js';
import { LocalgwError } from '../errors.js';
import { configPathFrom, parseParameterOverrides } from './config-path.js';

export interface ExportFlags {
  config?: string;
  format?: string;
  out?: string;
  api?: string;
  stage?: string;
  parameterOverrides?: string | string[];
}

const FORMATS = ['openapi', 'cloudformation', 'localgw'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `localgw export`: the definition localgw serves (from any input) in a form AWS imports — an
 * OpenAPI 3 document for `aws apigatewayv2 import-api`, a CloudFormation template — or as a
 * native `localgw.config.json`. JSON, or YAML when `--out` ends in `.yaml`/`.yml`.
 */
export async function runExport(flags: ExportFlags): Promise<void> {
  const format = (flags.format ?? 'openapi').toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new LocalgwError('ERR_USAGE', `--format ${flags.format}: expected one of ${FORMATS.join(', ')}`);
  }
  const file = configPathFrom(flags);
  const project = await loadProject(file, process.cwd(), { api: flags.api, stage: flags.stage, parameterOverrides: parseParameterOverrides(flags.parameterOverrides) });
  const loaded = project.main;
  const input = loaded.input as LocalgwConfig;
  const name = loaded.imported?.name ?? basename(loaded.baseDir);
  const { api, functions } = fromLocalgwConfig(input, { apiId: loaded.apiId, name });
  const document = exportDocument(format as Format, input, api);
  const yaml = flags.out !== undefined && /\.ya?ml$/i.test(extname(flags.out));
  const text = yaml ? stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }) : `${JSON.stringify(document, null, 2)}\n`;
  if (flags.out === undefined) process.stdout.write(text);
  else {
    writeFileSync(resolve(flags.out), text);
    process.stderr.write(`wrote ${flags.out}: ${api.routes.length} routes as ${format === 'localgw' ? 'a localgw config' : format === 'openapi' ? 'OpenAPI 3.0' : 'a CloudFormation template'}\n`);
  }
  if (format === 'localgw') return;
  // What AWS does not hold: where each function's code is here (and, for OpenAPI, the stage).
  const beside: Record<string, unknown> = {};
  if (format === 'openapi') {
    if (input.stage !== undefined && input.stage !== '$default') beside.stage = input.stage;
    if (input.stageVariables) beside.stageVariables = input.stageVariables;
    if (input.throttle) beside.throttle = input.throttle;
  }
  const local = localFunctionsOf(functions);
  if (Object.keys(local).length > 0) beside.functions = local;
  if (Object.keys(beside).length > 0) {
    process.stderr.write(`To serve the export with localgw, put beside it a localgw.config.json with:\n${JSON.stringify(beside, null, 2)}\n`);
  }
}

function exportDocument(format: Format, input: LocalgwConfig, api: ReturnType<typeof fromLocalgwConfig>['api']): unknown {
  if (format === 'openapi') return exportOpenApi(api);
  if (format === 'cloudformation') return exportCloudFormation(api);
  return input;
}
