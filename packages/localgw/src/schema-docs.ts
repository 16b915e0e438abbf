import { configJsonSchema } from '@localgw/core';

type Schema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  /** What a discriminated union (`type: "jwt" | "request"`) becomes. */
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  minimum?: number;
  maximum?: number;
  maxItems?: number;
};

/** schema.json and docs/configuration.md, both derived from core's config schema. */
export function renderConfigSchema(): { jsonSchema: string; markdown: string } {
  const schema = configJsonSchema() as Schema;
  return { jsonSchema: JSON.stringify(schema, null, 2) + '\n', markdown: renderMarkdown(schema) };
}

function renderMarkdown(root: Schema): string {
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from packages/core/src/config/schema.ts by `npm run build`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    'A config is a JSON, YAML, JavaScript or TypeScript file named `localgw.config.{ts,mts,js,mjs,json,yaml,yml}`.',
    'A `.ts`/`.js` config default-exports the object, wrapped in `defineConfig` for editor completion:',
    '',
    '```ts',
    "import { defineConfig } from 'localgw';",
    '',
    'export default defineConfig({',
    "  routes: { 'GET /hello': 'handlers/hello.handler' },",
    '});',
    '```',
    '',
    'JSON and YAML configs get completion from the JSON Schema shipped as `localgw/schema.json`:',
    'add `"$schema": "./node_modules/localgw/schema.json"`.',
    '',
    'Unknown keys are errors. Every error names the path of the offending field and suggests a fix.',
    '',
  ];
  section(lines, 'Top level', root, '');
  return lines.join('\n') + '\n';
}

function section(lines: string[], title: string, schema: Schema, prefix: string): void {
  lines.push(`## ${title}`, '');
  if (schema.description) lines.push(schema.description, '');
  lines.push('| key | type | required | description |', '| --- | --- | --- | --- |');
  const nested: Array<[string, Schema, string]> = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    lines.push(`| \`${path}\` | ${typeName(prop)} | ${schema.required?.includes(key) ? 'yes' : 'no'} | ${escape(prop.description ?? '')}${limits(prop)} |`);
    collectNested(path, prop, nested);
  }
  lines.push('');
  for (const [path, child, label] of nested) section(lines, label, child, path);
}

function collectNested(path: string, prop: Schema, out: Array<[string, Schema, string]>): void {
  if (prop.properties) out.push([path, prop, `\`${path}\``]);
  const values = typeof prop.additionalProperties === 'object' ? prop.additionalProperties : undefined;
  if (!values) return;
  if (values.properties) out.push([`${path}.NAME`, values, `\`${path}.NAME\``]);
  for (const [i, option] of (values.anyOf ?? []).entries()) {
    if (option.properties) out.push([`${path}["KEY"]`, option, `\`${path}["KEY"]\` (form ${i + 1}: ${option.description ?? 'object'})`]);
  }
  for (const option of values.oneOf ?? []) {
    const kind = option.properties?.type?.const;
    if (option.properties) out.push([`${path}.NAME`, option, `\`${path}.NAME\` with \`"type": ${JSON.stringify(kind)}\` (${option.description ?? 'object'})`]);
  }
}

function typeName(schema: Schema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (schema.anyOf) return schema.anyOf.map(typeName).join(' \\| ');
  if (schema.oneOf) return schema.oneOf.map(typeName).join(' \\| ');
  if (schema.type === 'array') return `${schema.items ? typeName(schema.items) : 'any'}[]`;
  if (schema.type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object') {
    return `map of ${typeName(schema.additionalProperties)}`;
  }
  if (schema.type === undefined) return 'function';
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : schema.type;
}

function limits(schema: Schema): string {
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`min ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`max ${schema.maximum}`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems} items`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
