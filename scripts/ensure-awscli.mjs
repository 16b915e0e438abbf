// Makes sure the AWS CLI the management-API e2e tests drive is installed: Debian's `awscli`
// package. On a fresh CI machine (Debian, root, only Node and npm) it installs it with apt-get;
// anywhere else it finds the `aws` already on PATH or explains what to do. Idempotent and
// instant when the CLI is there. `npm test` runs it; e2e/helpers/aws-cli.ts runs it too, so a
// single e2e file needs nothing else. Never skips: without a CLI, it fails loudly.
//
// Prints the executable's path on success. Set AWS_CLI_PATH to use another AWS CLI.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// Debian's package installs here; preferred over another `aws` on PATH (a pip or pyenv one).
const DEBIAN_AWS = '/usr/bin/aws';

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
  const suffixes = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const suffix of suffixes) if (dir && isExecutable(join(dir, name + suffix))) return join(dir, name + suffix);
  }
  return undefined;
}

function findAwsCli() {
  const fromEnv = process.env.AWS_CLI_PATH;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  if (process.platform === 'linux' && isExecutable(DEBIAN_AWS)) return DEBIAN_AWS;
  return which('aws');
}

function run(cmd, args) {
  console.error(`ensure-awscli: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (res.status !== 0) {
    console.error(`ensure-awscli: \`${cmd} ${args.join(' ')}\` failed (exit ${res.status ?? res.signal}).`);
    process.exit(res.status || 1);
  }
}

function main() {
  if (process.env.AWS_CLI_PATH && !findAwsCli()) {
    console.error(`ensure-awscli: AWS_CLI_PATH=${process.env.AWS_CLI_PATH} is not an executable file.`);
    process.exit(1);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = which('apt-get');
  // As root on Debian, Debian's own package is what the tests are written against: install it
  // even when another `aws` is on PATH.
  if (!process.env.AWS_CLI_PATH && process.platform === 'linux' && isRoot && aptGet && !isExecutable(DEBIAN_AWS)) {
    run(aptGet, ['update']);
    run(aptGet, ['install', '-y', 'awscli']);
  }
  const found = findAwsCli();
  if (found) {
    console.log(found);
    return;
  }
  console.error(
    'ensure-awscli: the management API tests need the AWS CLI (`aws`), and none was found on PATH.\n' +
      (process.platform === 'linux' && aptGet
        ? '  Install it with `sudo apt-get update && sudo apt-get install -y awscli`,\n'
        : '  Install the AWS CLI (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html),\n') +
      '  or set AWS_CLI_PATH to an aws executable; then run the tests again.',
  );
  process.exit(1);
}

main();
