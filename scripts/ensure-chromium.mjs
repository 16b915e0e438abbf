// Makes sure the browser the e2e browser tests drive is installed: Debian's `chromium`, driven
// by playwright-core (which downloads no browser of its own). On a fresh CI machine (Debian, root,
// only Node and npm) it installs the package with apt-get; anywhere else it explains what to do.
// Idempotent and instant when chromium is already there. `npm test` runs it after setup.mjs.
//
// Prints the executable's path on success. Set CHROMIUM_PATH to use another Chromium build.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// Keep in step with e2e/helpers/browser.ts, which finds the browser the same way.
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const FIXED_PATHS = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: [process.env.ProgramFiles, process.env['ProgramFiles(x86)'], process.env.LOCALAPPDATA]
    .filter(Boolean)
    .map((dir) => join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe')),
};

function isExecutable(file) {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `which`, without shelling out: the first executable on PATH. */
function which(name) {
  const suffixes = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const suffix of suffixes) if (dir && isExecutable(join(dir, name + suffix))) return join(dir, name + suffix);
  }
  return undefined;
}

function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  for (const name of NAMES) {
    const found = which(name);
    if (found) return found;
  }
  return (FIXED_PATHS[process.platform] ?? []).find(isExecutable);
}

function run(cmd, args) {
  console.error(`ensure-chromium: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (res.status !== 0) {
    console.error(`ensure-chromium: \`${cmd} ${args.join(' ')}\` failed (exit ${res.status ?? res.signal}).`);
    process.exit(res.status || 1);
  }
}

function main() {
  const found = findChromium();
  if (found) {
    console.log(found);
    return;
  }
  if (process.env.CHROMIUM_PATH) {
    console.error(`ensure-chromium: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file.`);
    process.exit(1);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = which('apt-get');
  if (process.platform !== 'linux' || !isRoot || !aptGet) {
    console.error(
      `ensure-chromium: the browser tests need Chromium or Chrome, and none was found (looked for ${NAMES.join(', ')} ` +
        'on PATH, and in the usual install folders).\n' +
        (process.platform === 'linux' && aptGet
          ? '  Install it with `sudo apt-get update && sudo apt-get install -y chromium`,\n'
          : '  Install Chromium or Google Chrome,\n') +
        '  or set CHROMIUM_PATH to a Chromium or Chrome executable; then run the tests again.',
    );
    process.exit(1);
  }
  run(aptGet, ['update']);
  run(aptGet, ['install', '-y', 'chromium']);
  const installed = findChromium();
  if (!installed) {
    console.error('ensure-chromium: apt-get installed "chromium" but no chromium executable is on PATH or in /usr/bin.');
    process.exit(1);
  }
  console.log(installed);
}

main();
