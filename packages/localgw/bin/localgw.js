#!/usr/bin/env node
// Source maps make stack traces from handlers and from localgw point at the real lines.
process.setSourceMapsEnabled(true);
// The bundled CLI (scripts/bundle-cli.mjs): a few files load much faster than ~400 modules.
await import('../dist/cli-bundle/main.js');
