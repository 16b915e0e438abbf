// A YAML config file's value. Its own module, imported only for a YAML config (load-config.ts),
// so that a JSON one never loads the parser; imported statically here, because the CLI bundle
// gives a dynamic import of a CommonJS package (yaml is one) only its default export.
import { parse, YAMLParseError } from 'yaml';
import { LocalgwError } from '../errors.js';

export function parseYamlConfig(text: string, file: string): unknown {
  try {
    return parse(text, { prettyErrors: true });
  } catch (cause) {
    const pos = cause instanceof YAMLParseError ? cause.linePos?.[0] : undefined;
    const firstLine = (cause as Error).message.split('\n')[0];
    throw new LocalgwError('ERR_CONFIG_PARSE', `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${firstLine}`, { file, cause });
  }
}
