// Makes sure the AWS CLI the management-API e2e tests drive is installed: Debian's `awscli`
// package. On a fresh CI machine (Debian, root, only Node and npm) it installs it with apt-get;
// anywhere else it finds the `aws` already on PATH or explains what to do. Idempotent and
// instant when the CLI is there. `npm test` runs it; e2e/helpers/aws-cli.ts runs it too, so a
// single e2e file needs nothing else. Never skips: without a CLI, it fails loudly.
//
// Prints the executable's path on success. Set AWS_CLI_PATH to use another AWS CLI.
import { isExecutable, isRoot, runOrExit, which } from './executables.mjs';

// Debian's package installs here; preferred over another `aws` on PATH (a pip or pyenv one).
const DEBIAN_AWS = '/usr/bin/aws';

function findAwsCli() {
  const fromEnv = process.env.AWS_CLI_PATH;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  if (process.platform === 'linux' && isExecutable(DEBIAN_AWS)) return DEBIAN_AWS;
  return which('aws', process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']);
}

function main() {
  if (process.env.AWS_CLI_PATH && !findAwsCli()) {
    console.error(`ensure-awscli: AWS_CLI_PATH=${process.env.AWS_CLI_PATH} is not an executable file.`);
    process.exit(1);
  }
  const aptGet = which('apt-get');
  // As root on Debian, Debian's own package is what the tests are written against: install it
  // even when another `aws` is on PATH.
  if (!process.env.AWS_CLI_PATH && process.platform === 'linux' && isRoot() && aptGet && !isExecutable(DEBIAN_AWS)) {
    runOrExit('ensure-awscli', aptGet, ['update']);
    runOrExit('ensure-awscli', aptGet, ['install', '-y', 'awscli']);
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
