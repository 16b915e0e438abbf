// What scripts/ensure-chromium.mjs and scripts/ensure-awscli.mjs share: finding an executable
// without shelling out, and running apt-get with its output shown and its failure fatal.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function isExecutable(file) {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `which`, without shelling out: the first executable on PATH. */
export function which(name, suffixes = process.platform === 'win32' ? ['.exe', ''] : ['']) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const suffix of suffixes) if (dir && isExecutable(join(dir, name + suffix))) return join(dir, name + suffix);
  }
  return undefined;
}

/** Runs a command non-interactively, its output shown; exits the script when it fails. */
export function runOrExit(tag, cmd, args) {
  console.error(`${tag}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (res.status !== 0) {
    console.error(`${tag}: \`${cmd} ${args.join(' ')}\` failed (exit ${res.status ?? res.signal}).`);
    process.exit(res.status || 1);
  }
}

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
