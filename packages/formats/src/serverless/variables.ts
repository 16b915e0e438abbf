import { isIntrinsic } from '../cloudformation/fields.js';
import { Unresolved } from '../cloudformation/intrinsics.js';
import { childPointer, toPointer } from '../source/pointer.js';

/** What `${…}` variables resolve against, besides the file itself (config-formats.md §3.6). */
export interface VariableSources {
  /** `${opt:NAME}`: CLI options (`--stage`, `--region`, `--parameter-overrides NAME=VALUE`). */
  options: Readonly<Record<string, string>>;
  /** `${env:NAME}`. */
  env: Readonly<Record<string, string | undefined>>;
  /** `${file(./x.json):key}`: a file's parsed value, or undefined when it cannot be read. */
  file(path: string): { ok: true; value: unknown } | { ok: false; message: string };
  /** `${aws:accountId}`, `${aws:region}`. */
  aws: { accountId: string; region: string };
}

const MAX_DEPTH = 50;
const MAX_SUBSTITUTIONS = 1000;
/** Sources that exist only in an AWS account (or a Serverless dashboard). */
const REMOTE = new Set(['ssm', 'cf', 's3', 'secretsmanager', 'aws-ssm', 'terraform', 'vault', 'doppler']);

/**
 * Serverless Framework variables, resolved as `serverless print` would for the sources that
 * exist locally: `${self:a.b}`, `${opt:stage}`, `${sls:stage}` (= `${opt:stage, self:provider.stage,
 * "dev"}`), `${env:X}`, `${file(./f.json):key}`, `${aws:region}`, `${param:x}`, fallbacks after a
 * comma (`${env:X, 'default'}`), and variables nested in variables. What only an AWS account
 * knows (`${ssm:…}`, `${cf:…}`, `${s3:…}`) and CloudFormation intrinsics become `Unresolved`,
 * naming the variable and how to give it a local value, for the field that needs it to report.
 */
export class VariableResolver {
  readonly #cache = new Map<string, unknown>();
  readonly #resolving = new Set<string>();
  #substitutions = 0;

  constructor(
    readonly root: unknown,
    readonly sources: VariableSources,
  ) {}

  /** The whole configuration, every variable resolved (or an `Unresolved` in its place). */
  resolveAll(): unknown {
    return this.#resolveNode(this.root, [], 0);
  }

  /** `${sls:stage}`: `--stage`, else `provider.stage`, else `dev`. */
  stage(): string {
    if (this.sources.options.stage !== undefined) return this.sources.options.stage;
    const value = this.#at(['provider', 'stage'], 0);
    return typeof value === 'string' && value !== '' ? value : 'dev';
  }

  #resolveNode(value: unknown, path: string[], depth: number): unknown {
    if (depth > MAX_DEPTH) return new Unresolved('the configuration nests too deeply', toPointer(path));
    if (typeof value === 'string') return this.#resolveString(value, toPointer(path), depth);
    if (value === null || typeof value !== 'object' || value instanceof Unresolved) return value;
    if (isIntrinsic(value)) {
      const name = Object.keys(value)[0]!;
      return new Unresolved(`${name} is a CloudFormation intrinsic function, resolved when the stack is deployed`, toPointer(path));
    }
    if (Array.isArray(value)) return value.map((v, i) => this.#resolveNode(v, [...path, String(i)], depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = this.#resolveNode(inner, [...path, key], depth + 1);
    return out;
  }

  /** The value at a `self:` path, resolved (memoised; a cycle is unresolved). */
  #at(path: string[], depth: number): unknown {
    const key = toPointer(path);
    if (this.#cache.has(key)) return this.#cache.get(key);
    if (this.#resolving.has(key)) return new Unresolved(`\${self:${path.join('.')}} refers to itself`, key);
    let raw: unknown = this.root;
    for (const segment of path) {
      if (raw === null || typeof raw !== 'object' || !Object.hasOwn(raw, segment)) return undefined;
      raw = (raw as Record<string, unknown>)[segment];
    }
    this.#resolving.add(key);
    const value = this.#resolveNode(raw, path, depth + 1);
    this.#resolving.delete(key);
    this.#cache.set(key, value);
    return value;
  }

  /**
   * Innermost variables first; a string that is one variable takes its value's type (a map, a
   * number), as in the Framework; otherwise values are written into the string.
   */
  #resolveString(text: string, pointer: string, depth: number): unknown {
    if (!text.includes('${')) return text;
    const values: unknown[] = [];
    let current = text;
    for (;;) {
      const match = /\$\{([^${}]*)\}/.exec(current);
      if (!match) break;
      if (++this.#substitutions > MAX_SUBSTITUTIONS) return new Unresolved('too many variables (a loop?)', pointer);
      const value = this.#evaluate(match[1]!, values, pointer, depth);
      if (value instanceof Unresolved) return value;
      if (match[0].length === current.length) return value;
      // Inside another variable the value stays a value (a fallback may be a map); in text it is written.
      const inside = current.lastIndexOf('${', match.index - 1) !== -1 && current.indexOf('}', match.index + match[0].length) !== -1;
      const written = inside ? `\uE000${values.push(value) - 1}\uE000` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
      current = current.slice(0, match.index) + written + current.slice(match.index + match[0].length);
    }
    return current.replace(/\uE000(\d+)\uE000/g, (_, i: string) => String(values[Number(i)]));
  }

  /** `source:address, fallback, …`: the first that has a value. */
  #evaluate(content: string, values: unknown[], pointer: string, depth: number): unknown {
    let firstProblem: Unresolved | undefined;
    const parts = splitFallbacks(content);
    for (const part of parts) {
      const value = this.#part(part, values, pointer, depth);
      if (value instanceof Unresolved) {
        firstProblem ??= value;
        continue;
      }
      if (value !== undefined && value !== null) return value;
    }
    return firstProblem ?? new Unresolved(`\${${unmark(content, values)}} has no value${parts.length === 1 ? ` (give it a default: \${${unmark(content, values)}, 'value'})` : ''}`, pointer);
  }

  #part(raw: string, values: unknown[], pointer: string, depth: number): unknown {
    const part = raw.trim();
    const marker = /^\uE000(\d+)\uE000$/.exec(part);
    if (marker) return values[Number(marker[1])];
    const text = unmark(part, values);
    const quoted = /^(['"])([\s\S]*)\1$/.exec(text);
    if (quoted) return quoted[2];
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (text === 'true' || text === 'false') return text === 'true';
    const file = /^file\((.+?)\)(?::(.*))?$/.exec(text);
    if (file) {
      const read = this.sources.file(file[1]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
      if (!read.ok) return new Unresolved(`\${${text}}: ${read.message}`, pointer);
      return file[2] === undefined || file[2] === '' ? read.value : dig(read.value, file[2].split('.'));
    }
    const colon = text.indexOf(':');
    if (colon === -1) return text;
    const source = text.slice(0, colon);
    const address = text.slice(colon + 1).trim();
    switch (source) {
      case 'self':
        return address === '' ? this.root : this.#at(address.split('.'), depth);
      case 'opt':
        return this.sources.options[address];
      case 'env':
        return this.sources.env[address] === undefined ? new Unresolved(`\${env:${address}}: the environment variable ${address} is not set`, pointer) : this.sources.env[address];
      case 'sls':
        if (address === 'stage') return this.stage();
        if (address === 'instanceId') return 'localgw';
        return new Unresolved(`\${sls:${address}} is not known locally`, pointer);
      case 'aws':
        if (address === 'accountId') return this.sources.aws.accountId;
        if (address === 'region') return this.sources.options.region ?? this.#region();
        return new Unresolved(`\${aws:${address}} is not known locally`, pointer);
      case 'param': {
        const stage = this.stage();
        const params = this.#at(['params'], depth) as Record<string, Record<string, unknown>> | undefined;
        return this.sources.options[address] ?? params?.[stage]?.[address] ?? params?.default?.[address];
      }
      default:
        if (REMOTE.has(source)) {
          return new Unresolved(`\${${text}} is read from AWS (${source}) when you deploy, so it has no value locally; give it a fallback (\${${text}, 'local-value'}) or a local value in a localgw.config file beside serverless.yml`, pointer);
        }
        // Not a variable source: a literal fallback such as `${opt:stage, dev}`.
        return /^[a-z][a-zA-Z0-9-]*$/.test(source) && !address.startsWith('//') ? new Unresolved(`\${${text}}: unknown variable source "${source}"`, pointer) : text;
    }
  }

  #region(): string {
    const region = this.#at(['provider', 'region'], 0);
    return typeof region === 'string' && region !== '' ? region : this.sources.aws.region;
  }
}

/** Splits at commas outside quotes and parentheses. */
function splitFallbacks(content: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(content.slice(start, i));
      start = i + 1;
    }
  }
  out.push(content.slice(start));
  return out;
}

function unmark(text: string, values: unknown[]): string {
  return text.replace(/\uE000(\d+)\uE000/g, (_, i: string) => String(values[Number(i)]));
}

function dig(value: unknown, path: string[]): unknown {
  let at = value;
  for (const segment of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, segment)) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}

/** The first `Unresolved` in a value, if any part of it is one. */
export function firstUnresolved(value: unknown, depth = 0): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
  for (const inner of Object.values(value)) {
    const found = firstUnresolved(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export { childPointer };
