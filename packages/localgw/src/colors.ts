import pc from 'picocolors';

/**
 * Colours only for a person at a terminal: on when the stream is a TTY or FORCE_COLOR is set,
 * off with NO_COLOR or when piped. (picocolors alone also colours every CI log, which is not
 * what users who pipe localgw's output expect.)
 */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if ('FORCE_COLOR' in env && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** picocolors' functions, switched on or off for `stream`. */
export function colorsFor(stream: { isTTY?: boolean } = process.stdout): ReturnType<typeof pc.createColors> {
  return pc.createColors(useColor(stream));
}
