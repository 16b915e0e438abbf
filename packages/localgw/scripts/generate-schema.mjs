// Writes schema.json (shipped in the package, for editor completion in JSON/YAML configs) and
// docs/configuration.md from the one zod schema in @localgw/core. `--check` fails when either is
// stale, so the published schema and the docs cannot drift from the code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigSchema } from '../dist/schema-docs.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const outputs = renderConfigSchema();
const targets = [
  [`${pkgDir}schema.json`, outputs.jsonSchema],
  [`${pkgDir}../../docs/configuration.md`, outputs.markdown],
];
const check = process.argv.includes('--check');
let stale = false;
for (const [file, text] of targets) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current === text) continue;
  if (check) {
    console.error(`${file} is stale: run "npm run build" and commit it.`);
    stale = true;
  } else writeFileSync(file, text);
}
if (stale) process.exit(1);
