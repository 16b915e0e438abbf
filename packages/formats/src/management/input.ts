import { badRequest } from './errors.js';

interface Bounds {
  min?: number;
  max?: number;
}

/**
 * A request body member by member, each checked for the type and range the service model gives
 * it (config-formats.md §5.3). The AWS CLI checks some of this before sending; the SDK for
 * JavaScript checks none of it, so the server must. Unknown members are ignored, as AWS does.
 */
export class Input {
  readonly #body: Record<string, unknown>;

  constructor(body: unknown) {
    if (body === undefined || body === null) this.#body = {};
    else if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object');
    else this.#body = body as Record<string, unknown>;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.#body, name) && this.#body[name] !== undefined && this.#body[name] !== null;
  }

  /** The raw member, for members passed through as they are. */
  raw(name: string): unknown {
    return this.has(name) ? this.#body[name] : undefined;
  }

  required<T>(name: string, value: T | undefined): T {
    if (value === undefined) throw badRequest(`The request is missing the required member "${name}"`);
    return value;
  }

  string(name: string, bounds: Bounds = {}): string | undefined {
    if (!this.has(name)) return undefined;
    const value = this.#body[name];
    if (typeof value !== 'string') throw badRequest(`"${name}" must be a string`);
    checkLength(name, value.length, bounds, 'characters');
    return value;
  }

  boolean(name: string): boolean | undefined {
    if (!this.has(name)) return undefined;
    const value = this.#body[name];
    if (typeof value !== 'boolean') throw badRequest(`"${name}" must be true or false`);
    return value;
  }

  integer(name: string, bounds: Bounds = {}): number | undefined {
    const value = this.number(name);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value)) throw badRequest(`"${name}" must be a whole number`);
    if ((bounds.min !== undefined && value < bounds.min) || (bounds.max !== undefined && value > bounds.max)) {
      throw badRequest(`"${name}" must be between ${bounds.min ?? '-∞'} and ${bounds.max ?? '∞'}, got ${value}`);
    }
    return value;
  }

  number(name: string): number | undefined {
    if (!this.has(name)) return undefined;
    const value = this.#body[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`"${name}" must be a number`);
    return value;
  }

  strings(name: string, items: Bounds = {}, count: Bounds = {}): string[] | undefined {
    if (!this.has(name)) return undefined;
    const value = this.#body[name];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badRequest(`"${name}" must be a list of strings`);
    checkLength(name, value.length, count, 'entries');
    for (const entry of value as string[]) checkLength(`an entry of "${name}"`, entry.length, items, 'characters');
    return [...(value as string[])];
  }

  stringMap(name: string): Record<string, string> | undefined {
    if (!this.has(name)) return undefined;
    const value = this.#body[name];
    if (typeof value !== 'object' || Array.isArray(value) || Object.values(value as object).some((v) => typeof v !== 'string')) {
      throw badRequest(`"${name}" must be a map of strings`);
    }
    return { ...(value as Record<string, string>) };
  }

  object(name: string): Input | undefined {
    if (!this.has(name)) return undefined;
    const value = this.#body[name];
    if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`"${name}" must be an object`);
    return new Input(value);
  }

  /** One of `allowed`; the message lists them as AWS does (`Must be one of [HTTP, WEBSOCKET]`). */
  oneOf<T extends string>(name: string, allowed: readonly T[], what: string): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw badRequest(`Invalid ${what} specified. Must be one of [${allowed.join(', ')}]`);
    return value as T;
  }
}

function checkLength(name: string, length: number, bounds: Bounds, unit: string): void {
  if (bounds.min !== undefined && length < bounds.min) throw badRequest(`${quote(name)} must have at least ${bounds.min} ${unit}`);
  if (bounds.max !== undefined && length > bounds.max) throw badRequest(`${quote(name)} must have at most ${bounds.max} ${unit}`);
}

function quote(name: string): string {
  return name.startsWith('an entry') ? name : `"${name}"`;
}
