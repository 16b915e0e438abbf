// Brings a fresh clone to a runnable state with nothing but Node and npm:
// installs the workspace with pnpm (fetched through npx, pinned) and builds every package.
// Both README commands (`npm start`, `npm test`) run this first, so it must stay idempotent and quick
// when nothing changed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@10.34.8';
const isWindows = process.platform === 'win32';

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: isWindows });
  if (res.status !== 0) {
    console.error(`\nsetup: \`${cmd} ${args.join(' ')}\` failed (exit ${res.status ?? res.signal}).`);
    process.exit(res.status ?? 1);
  }
}

const frozen = process.env.CI ? '--frozen-lockfile' : '--prefer-frozen-lockfile';
run('npx', ['--yes', PNPM, 'install', frozen, '--reporter=append-only']);
run('npx', ['--yes', PNPM, 'run', '--silent', 'build']);
