#!/usr/bin/env node
// Source maps make stack traces from handlers and from localgw point at the real lines.
process.setSourceMapsEnabled(true);
await import('../dist/cli/main.js');
