// Bundles the request inspector's page (packages/localgw/ui) into dist/inspector/ui, where the
// admin server reads it: one script and one stylesheet, no CDN, works offline. Part of
// `npm run build`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const out = `${pkg}dist/inspector/ui`;
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [`${pkg}ui/main.tsx`],
  outfile: `${out}/app.js`,
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(`${pkg}ui/app.css`, `${out}/app.css`);
