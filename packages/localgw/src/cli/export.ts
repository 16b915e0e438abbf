import { type LocalgwConfig } from '@localgw/core';
import { exportCloudFormation, exportOpenApi, fromLocalgwConfig, localFunctionsOf } from '@localgw/formats';
import { writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { stringify } from 'yaml';
import { findProjectConfig } from '../config/find-config.js';
import { loadProject } from '../config/load-project.js';
import { createGateway } from '../create-gateway.js';
import { LocalgwError } from '../errors.js';
import { configPathFrom, parseParameterOverrides } from './config-path.js';

export interface ExportFlags {
  config?: string;
  format?: string;
  out?: string;
  api?: string;
  stage?: string;
  parameterOverrides?: string | string[];
  /** A running gateway's admin server: export what it serves (the management API's changes included). */
  from?: string;
  /** A state file of the management API (`localgw start --state`): export an API of it, with the config. */
  state?: string;
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
  const served = await servedDefinition(flags);
  const input = served.config as LocalgwConfig;
  const { api, functions } = fromLocalgwConfig(input, { apiId: served.apiId, name: served.name });
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

/** What to export: the config file's main API, or one API of what a running gateway (`--from`) or a state file (`--state`) serves. */
async function servedDefinition(flags: ExportFlags): Promise<{ apiId: string; name: string; config: unknown }> {
  if (flags.from !== undefined) return servedFrom(flags.from, flags.api, flags.stage);
  if (flags.state !== undefined) {
    // The state's APIs, with the config file's beside them when the folder has one.
    const config = flags.config ?? findProjectConfig(process.cwd());
    const gateway = await createGateway({ config, stateFile: flags.state, parameterOverrides: parseParameterOverrides(flags.parameterOverrides) });
    try {
      return gateway.management.servedConfig(flags.api, flags.stage);
    } catch (error) {
      throw new LocalgwError('ERR_USAGE', `--state ${flags.state}: ${(error as Error).message}`);
    } finally {
      await gateway.close();
    }
  }
  const file = configPathFrom(flags);
  const project = await loadProject(file, process.cwd(), { api: flags.api, stage: flags.stage, parameterOverrides: parseParameterOverrides(flags.parameterOverrides) });
  const loaded = project.main;
  return { apiId: loaded.apiId, name: loaded.imported?.name ?? basename(loaded.baseDir), config: loaded.input };
}

async function servedFrom(adminUrl: string, apiId: string | undefined, stage: string | undefined): Promise<{ apiId: string; name: string; config: unknown }> {
  const url = new URL('/localgw/served-config', adminUrl);
  if (apiId !== undefined) url.searchParams.set('apiId', apiId);
  if (stage !== undefined) url.searchParams.set('stageName', stage);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new LocalgwError('ERR_USAGE', `--from ${adminUrl}: cannot reach the admin server (${(error as Error).message}); is localgw start running, with its admin server?`);
  }
  const body = (await response.json()) as { apiId: string; name: string; config: unknown; message?: string };
  if (!response.ok) throw new LocalgwError('ERR_USAGE', `--from ${adminUrl}: ${body.message ?? response.statusText}`);
  return body;
}
