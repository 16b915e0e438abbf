import { CONFIG_FILE_NAMES, findProjectConfig, IMPORTABLE_NAMES, isUnsynthesizedCdkApp } from '../config/find-config.js';
import { LocalgwError } from '../errors.js';

/** `--config`, else what the working directory has: `localgw.config.*`, a template, `cdk.out/`, `serverless.yml`, `openapi.yaml`. */
export function configPathFrom(options: { config?: string }): string {
  if (options.config) return options.config;
  const cwd = process.cwd();
  const found = findProjectConfig(cwd);
  if (found) return found;
  if (isUnsynthesizedCdkApp(cwd)) {
    throw new LocalgwError('ERR_CONFIG_NOT_FOUND', `${cwd} is a CDK app (cdk.json) that has not been synthesized: there is no cdk.out/. Run npx cdk synth, or start with --synth.`);
  }
  throw new LocalgwError(
    'ERR_CONFIG_NOT_FOUND',
    `No config file in ${cwd}: looked for ${CONFIG_FILE_NAMES.join(', ')}, ${IMPORTABLE_NAMES}. Create one (see docs/configuration.md) or pass --config FILE.`,
  );
}

/**
 * `--parameter-overrides` in SAM CLI's two spellings: `Key=Value Key2=Value2` (values may be
 * quoted) and `ParameterKey=Key,ParameterValue=Value`. Repeating the flag adds more.
 */
export function parseParameterOverrides(values: string | string[] | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const text of Array.isArray(values) ? values : [values]) {
    const long = /ParameterKey=([^,\s]+),ParameterValue=("[^"]*"|'[^']*'|[^\s]*)/g;
    let matched = false;
    for (const [, key, value] of String(text).matchAll(long)) {
      out[key!] = unquote(value!);
      matched = true;
    }
    if (matched) continue;
    for (const [, key, value] of String(text).matchAll(/([^\s=]+)=("[^"]*"|'[^']*'|\S*)/g)) out[key!] = unquote(value!);
    if (!/=/.test(String(text))) throw new LocalgwError('ERR_USAGE', `--parameter-overrides expects Key=Value pairs, got "${text}"`);
  }
  return out;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
