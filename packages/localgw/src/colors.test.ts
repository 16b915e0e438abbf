import { describe, expect, it } from 'vitest';
import { useColor } from './colors.js';

describe('useColor', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{ isTTY: false }, { CI: 'true' }, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
    [{ isTTY: true }, { FORCE_COLOR: '0' }, true],
  ])('stream %o with env %o → %s', (stream, env, expected) => {
    expect(useColor(stream, env as NodeJS.ProcessEnv)).toBe(expected);
  });
});
