// Bundles the built CLI (dist/cli/main.js and everything it imports: our packages, zod, jose,
// hono, yaml, cac) into dist/cli-bundle/, which bin/localgw.js runs. Part of `npm run build`,
// after tsc. Why (issue 17): Node 20 loads about 400 ES modules for `localgw start`, and
// resolving, reading and compiling each one was most of the cold start; a few files load in a
// fraction of that. The library entry (dist/index.js, for startGateway()) stays the tsc output.
//
// Code splitting keeps what start-up does not need in chunks loaded on demand (the other
// commands, the admin server's app, the HTTP proxy). The handler worker's code is not bundled:
// the worker loads runtime's dist/worker/entry.js as before.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode as decodeMappings, encode as encodeMappings } from '@jridgewell/sourcemap-codec';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const packages = join(pkg, '..');
const out = join(pkg, 'dist', 'cli-bundle');

/** Loaded from their own packages: tsx hooks Node's loader, chokidar and undici are few modules. */
const EXTERNAL = ['tsx', 'tsx/*', 'chokidar', 'undici'];

/**
 * A module that finds files beside itself (runtime's worker entry and Python bootstrap, the
 * inspector's page, localgw's package.json) must see its own URL, not the bundle's: each
 * `import.meta.url` becomes the URL the module has in its package's dist.
 */
const ownUrls = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (!contents.includes('import.meta.url')) return undefined;
      const [name] = relative(packages, args.path).split(sep);
      let url;
      if (name === 'localgw') {
        // The bundle is in this package's dist too: a fixed relative path.
        url = `new URL(${JSON.stringify(toUrlPath(relative(out, args.path)))}, import.meta.url).href`;
      } else {
        // Another workspace package, wherever it is installed: relative to its entry (dist/index.js).
        const entryDir = join(packages, name, 'dist');
        url = `new URL(${JSON.stringify(`./${toUrlPath(relative(entryDir, args.path))}`)}, import.meta.resolve(${JSON.stringify(`@localgw/${name}`)})).href`;
      }
      return { contents: contents.replaceAll('import.meta.url', url), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * zod's 60-odd locales were 370 kB of the 1.7 MB that \`localgw start\` compiles (a fifth of the
 * bundle's load time); localgw's messages are English, and zod configures \`en\` itself. The
 * \`locales\` namespace (\`z.locales\`, never used here) keeps only that one.
 */
const englishZod = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)) return undefined;
      return { path: join(args.resolveDir, '..', 'locales', 'en-only.js'), namespace: 'zod-english-only', pluginData: { dir: join(args.resolveDir, '..', 'locales') } };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(args.pluginData.dir, 'en.js'))};\n`,
      loader: 'js',
      resolveDir: args.pluginData.dir,
    }));
  },
};

function toUrlPath(path) {
  return path.split(sep).join('/');
}

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { main: join(pkg, 'dist', 'cli', 'main.js') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // CommonJS dependencies (yaml, cac) require Node's built-ins; an ES module has no `require`.
  banner: { js: "import { createRequire as __localgwCreateRequire } from 'node:module'; const require = __localgwCreateRequire(import.meta.url);" },
  // Stack traces point at the TypeScript sources: esbuild follows each input's own source map.
  sourcemap: 'linked',
  // Node reads each map as the module loads: the sources themselves are not needed for traces.
  sourcesContent: false,
  plugins: [ownUrls, englishZod],
  legalComments: 'none',
  logLevel: 'warning',
});

/**
 * Maps only our own code, a line at a time. With source maps on, the first stack trace through a
 * chunk decodes its whole map, and Node keeps it: with every token of zod or yaml mapped, that
 * was megabytes (e2e/http-proxy-streaming's memory check). A trace needs the line of each frame;
 * the dependencies' code is not ours to read in one. So each generated line keeps its first
 * segment of ours, and a line of a dependency gets one unmapped segment: a frame there shows its
 * place in the bundle rather than a wrong line of ours.
 */
function mapOwnCodeLines(file) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const theirs = map.sources.map((source) => /[\\/]node_modules[\\/]/.test(source));
  const lines = decodeMappings(map.mappings).map((segments) => {
    const mapped = segments.filter((segment) => segment.length > 1);
    const ours = mapped.find((segment) => !theirs[segment[1]]);
    if (ours) return [ours];
    return mapped.length > 0 ? [[mapped[0][0]]] : [];
  });
  writeFileSync(file, JSON.stringify({ ...map, mappings: encodeMappings(lines) }));
}

for (const name of readdirSync(out)) if (name.endsWith('.js.map')) mapOwnCodeLines(join(out, name));

