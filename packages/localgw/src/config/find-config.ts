import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Looked for in this order in the working directory (DESIGN.md "CLI"). */
export const CONFIG_FILE_NAMES = [
  'localgw.config.ts',
  'localgw.config.mts',
  'localgw.config.js',
  'localgw.config.mjs',
  'localgw.config.json',
  'localgw.config.yaml',
  'localgw.config.yml',
] as const;

/** A SAM (or plain CloudFormation) template, after the native config. */
export const TEMPLATE_FILE_NAMES = ['template.yaml', 'template.yml'] as const;

/** A synthesized CDK app, after a template. */
export const CDK_ASSEMBLY_DIR = 'cdk.out';

/** A Serverless Framework service, after a CDK app. */
export const SERVERLESS_FILE_NAMES = ['serverless.yml', 'serverless.yaml', 'serverless.ts', 'serverless.json'] as const;

/** An OpenAPI document (what `aws apigatewayv2 import-api` takes), last. */
export const OPENAPI_FILE_NAMES = ['openapi.yaml', 'openapi.yml', 'openapi.json'] as const;

/** What detection looks for after `localgw.config.*`, for messages. */
export const IMPORTABLE_NAMES = `template.yaml, template.yml (AWS SAM), cdk.out/ (AWS CDK), ${SERVERLESS_FILE_NAMES.join(', ')} (Serverless Framework) and ${OPENAPI_FILE_NAMES.join(', ')}`;

export function findConfigFile(cwd: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = join(cwd, name);
    if (existsSync(candidate)) return resolve(candidate);
  }
  return undefined;
}

/** The template, `cdk.out/`, serverless.yml or OpenAPI file in `dir` that a localgw config there may add to. */
export function findImportable(dir: string): string | undefined {
  for (const name of TEMPLATE_FILE_NAMES) {
    const candidate = join(dir, name);
    if (isFile(candidate)) return resolve(candidate);
  }
  const assembly = join(dir, CDK_ASSEMBLY_DIR);
  if (isFile(join(assembly, 'manifest.json'))) return resolve(assembly);
  for (const name of [...SERVERLESS_FILE_NAMES, ...OPENAPI_FILE_NAMES]) {
    const candidate = join(dir, name);
    if (isFile(candidate)) return resolve(candidate);
  }
  return undefined;
}

/**
 * What `localgw start` serves without `--config` (DESIGN.md "CLI"): `localgw.config.*`, else
 * `template.{yaml,yml}`, `cdk.out/`, `serverless.{yml,yaml,ts,json}`, `openapi.{yaml,yml,json}`.
 */
export function findProjectConfig(cwd: string): string | undefined {
  return findConfigFile(cwd) ?? findImportable(cwd);
}

/** A CDK app (cdk.json) that was never synthesized: worth a hint rather than "no config". */
export function isUnsynthesizedCdkApp(dir: string): boolean {
  return isFile(join(dir, 'cdk.json')) && !isFile(join(dir, CDK_ASSEMBLY_DIR, 'manifest.json'));
}

export function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

export function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
