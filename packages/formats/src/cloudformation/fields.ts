import type { Traced } from '../model/model.js';
import { childPointer } from '../source/pointer.js';
import { NO_VALUE, Unresolved } from './intrinsics.js';
import type { Stack } from './stack.js';

/**
 * Reads the properties of one resource (or one nested block of it) into a model object: each
 * value resolved, type-checked and normalised, its source recorded under the model's field
 * name, and anything only AWS knows recorded as unresolved instead of passed on as `${…}`.
 */
export class Fields {
  constructor(
    readonly stack: Stack,
    /** Pointer of `raw` in the template (`/Resources/Api/Properties`). */
    readonly pointer: string,
    readonly raw: Readonly<Record<string, unknown>> | undefined,
    readonly target: Traced,
  ) {}

  /** A nested block (`CorsConfiguration`) read into the same target, under `prefix.` field names. */
  block(key: string, prefix: string): Fields | undefined {
    if (!this.has(key)) return undefined;
    const at = this.#at(key);
    const name = this.fieldName(prefix);
    this.target.fieldSources[name] = this.stack.sourceOf(at);
    let raw = this.raw![key];
    // Resolved field by field, so one unresolvable field does not take its siblings with it;
    // only a block that is itself an intrinsic (`Fn::If` around it) is resolved whole.
    if (isIntrinsic(raw)) {
      const { value } = this.stack.resolve(raw, at);
      if (value instanceof Unresolved) {
        this.target.unresolved[name] = { reason: value.reason, placeholder: false, source: this.stack.sourceOf(value.pointer) };
        return undefined;
      }
      raw = value;
    }
    if (raw === NO_VALUE || raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.#typeError(key, 'a map');
      return undefined;
    }
    return new PrefixedFields(this.stack, at, raw as Record<string, unknown>, this.target, name);
  }

  has(key: string): boolean {
    return this.raw !== undefined && Object.hasOwn(this.raw, key);
  }

  keys(): string[] {
    return this.raw ? Object.keys(this.raw) : [];
  }

  pointerOf(key: string): string {
    return this.#at(key);
  }

  /** The resolved value, or undefined when absent, `AWS::NoValue` or unresolvable (then recorded). */
  value(key: string, field: string): unknown {
    if (!this.has(key)) return undefined;
    const at = this.#at(key);
    const name = this.fieldName(field);
    const { value, placeholders } = this.stack.resolve(this.raw![key], at);
    this.target.fieldSources[name] = this.stack.sourceOf(at);
    if (value instanceof Unresolved) {
      this.target.unresolved[name] = { reason: value.reason, placeholder: false, source: this.stack.sourceOf(value.pointer) };
      return undefined;
    }
    if (placeholders.length > 0) {
      this.target.unresolved[name] = { reason: placeholders.map((p) => p.text).join('; '), placeholder: true, source: this.stack.sourceOf(placeholders[0]!.pointer) };
    }
    return value === NO_VALUE ? undefined : value;
  }

  string(key: string, field: string): string | undefined {
    const value = this.value(key, field);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.#typeError(key, 'a string');
    return undefined;
  }

  number(key: string, field: string): number | undefined {
    const value = this.value(key, field);
    if (value === undefined || value === null) return undefined;
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isFinite(n)) return n;
    this.#typeError(key, 'a number');
    return undefined;
  }

  boolean(key: string, field: string): boolean | undefined {
    const value = this.value(key, field);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    this.#typeError(key, 'true or false');
    return undefined;
  }

  /** A list of strings; a single string counts as a list of one. */
  strings(key: string, field: string): string[] | undefined {
    const value = this.value(key, field);
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : [value];
    if (list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return list.map(String);
    this.#typeError(key, 'a list of strings');
    return undefined;
  }

  /** A map of strings (environment variables, stage variables, parameter mappings). */
  stringMap(key: string, field: string): Record<string, string> | undefined {
    const value = this.value(key, field);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.#typeError(key, 'a map of strings');
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else this.stack.issue('error', childPointer(this.#at(key), k), `${k} must be a string`);
    }
    return out;
  }

  /**
   * A map of strings whose values may each be unresolvable (environment variables): those are
   * left out, one warning each, instead of failing the whole map.
   */
  stringMapLenient(key: string, field: string): Record<string, string> | undefined {
    if (!this.has(key)) return undefined;
    const raw = this.raw![key];
    const at = this.#at(key);
    this.target.fieldSources[this.fieldName(field)] = this.stack.sourceOf(at);
    const whole = this.stack.resolve(raw, at);
    if (!(whole.value instanceof Unresolved) || raw === null || typeof raw !== 'object' || Array.isArray(raw) || isIntrinsic(raw)) {
      return this.stringMap(key, field);
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const { value } = this.stack.resolve(v, childPointer(at, k));
      if (value instanceof Unresolved) {
        this.stack.issue('warning', value.pointer, `${k} is left out: ${value.reason}`, 'set it in a .env file or with --env-file');
      } else if (value !== NO_VALUE && value !== undefined && value !== null) out[k] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    return out;
  }

  fieldName(field: string): string {
    return field;
  }

  #at(key: string): string {
    return childPointer(this.pointer, key);
  }

  #typeError(key: string, expected: string): void {
    this.stack.issue('error', this.#at(key), `${key} must be ${expected}`);
  }
}

class PrefixedFields extends Fields {
  constructor(stack: Stack, pointer: string, raw: Record<string, unknown>, target: Traced, readonly prefix: string) {
    super(stack, pointer, raw, target);
  }

  override fieldName(field: string): string {
    return `${this.prefix}.${field}`;
  }
}

/** `{Ref: …}`, `{"Fn::…": …}`: a value to resolve, not a map of entries. */
export function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
}
