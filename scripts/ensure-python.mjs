// Makes sure a python3 is there for the Python handler tests (issue 19): Debian's `python3` is
// installed with apt-get when it is missing and this runs as root (a fresh CI machine); anywhere
// else a missing interpreter fails loudly with what to do. Instant when one is on PATH (or
// LOCALGW_PYTHON names one), which is how localgw itself finds it.
import { isExecutable, isRoot, runOrExit, which } from './executables.mjs';

const found = () => (process.env.LOCALGW_PYTHON && isExecutable(process.env.LOCALGW_PYTHON) ? process.env.LOCALGW_PYTHON : which('python3'));

if (!found() && process.platform === 'linux' && isRoot() && which('apt-get')) {
  runOrExit('ensure-python', which('apt-get'), ['update']);
  runOrExit('ensure-python', which('apt-get'), ['install', '-y', 'python3']);
}
const python = found();
if (!python) {
  console.error('ensure-python: the Python handler tests need python3 on PATH (or LOCALGW_PYTHON); install it (Debian: `sudo apt-get install -y python3`) and run the tests again.');
  process.exit(1);
}
console.log(python);
