// Makes sure the browser the e2e browser tests drive is installed: Debian's `chromium`, driven
// by playwright-core (which downloads no browser of its own). On a fresh CI machine (Debian, root,
// only Node and npm) it installs the package with apt-get; anywhere else it explains what to do.
// Idempotent and instant when chromium is already there. `npm test` runs it after setup.mjs.
//
// Prints the executable's path on success. Set CHROMIUM_PATH to use another Chromium build.
import { join } from 'node:path';
import { isExecutable, isRoot, runOrExit, which } from './executables.mjs';

// Keep in step with e2e/helpers/browser.ts, which finds the browser the same way.
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const FIXED_PATHS = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: [process.env.ProgramFiles, process.env['ProgramFiles(x86)'], process.env.LOCALAPPDATA]
    .filter(Boolean)
    .map((dir) => join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe')),
};

function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  for (const name of NAMES) {
    const found = which(name);
    if (found) return found;
  }
  return (FIXED_PATHS[process.platform] ?? []).find(isExecutable);
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
  const aptGet = which('apt-get');
  if (process.platform !== 'linux' || !isRoot() || !aptGet) {
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
  runOrExit('ensure-chromium', aptGet, ['update']);
  runOrExit('ensure-chromium', aptGet, ['install', '-y', 'chromium']);
  const installed = findChromium();
  if (!installed) {
    console.error('ensure-chromium: apt-get installed "chromium" but no chromium executable is on PATH or in /usr/bin.');
    process.exit(1);
  }
  console.log(installed);
}

main();
