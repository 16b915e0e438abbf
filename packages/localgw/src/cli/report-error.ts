import { colorsFor } from '../colors.js';
import { JwtError } from '@localgw/jwt';
import { isLocalgwError } from '../errors.js';
import { formatLoadError } from '../format-error.js';

/** Prints an error as one actionable paragraph and returns the exit code. */
export function reportError(error: unknown): number {
  const pc = colorsFor(process.stderr);
  // The JWT package's own user-facing failures (a dev key readable by others, bad key files).
  if (error instanceof JwtError) {
    process.stderr.write(`${pc.red('localgw:')} ${error.message}\n`);
    return 1;
  }
  if (isLocalgwError(error)) {
    process.stderr.write(`${pc.red('localgw:')} ${formatLoadError(error)}\n`);
    return 1;
  }
  // cac reports bad flags as plain Errors with a clear message.
  if (error instanceof Error && error.name === 'CACError') {
    process.stderr.write(`${pc.red('localgw:')} ${error.message}. Run "localgw --help" for usage.\n`);
    return 1;
  }
  process.stderr.write(`${pc.red('localgw: unexpected error (a bug; please report it):')}\n${error instanceof Error ? error.stack : String(error)}\n`);
  return 70;
}
