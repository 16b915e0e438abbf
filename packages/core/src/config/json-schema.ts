import { z } from 'zod';
import { configSchema } from './schema.js';

/** JSON Schema of the config file, generated from the same zod schema that validates it. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'localgw configuration' };
}
