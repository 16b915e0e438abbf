import { cac } from 'cac';
import { describe, expect, it } from 'vitest';
import { keepValuesAsTyped } from './typed-values.js';

function parse(...args: string[]) {
  const cli = cac('localgw');
  cli
    .command('token')
    .option('--sub <sub>', '', { default: 'dev-user' })
    .option('--expires-in <duration>', '')
    .option('--claim <k=v>', '', { type: [String] })
    .option('--no-watch', '');
  cli.parse(['node', 'localgw', 'token', ...args], { run: false });
  keepValuesAsTyped(cli);
  return cli.options;
}

describe('keepValuesAsTyped', () => {
  it('gives back the text mri turned into numbers, in both flag forms', () => {
    expect(parse('--sub', '007', '--expires-in=1e3')).toMatchObject({ sub: '007', expiresIn: '1e3' });
    expect(parse('--sub', '0x10').sub).toBe('0x10');
  });

  it('keeps cac\'s shapes: arrays for type: [String] and repeats, defaults, booleans, missing values', () => {
    expect(parse('--claim', 'n=1').claim).toEqual(['n=1']);
    expect(parse('--sub', '1', '--sub', '02').sub).toEqual(['1', '02']);
    expect(parse().sub).toBe('dev-user');
    expect(parse('--no-watch', '--sub', '5')).toMatchObject({ watch: false, sub: '5' });
    // A value that starts with "-" is a flag to mri: cac then reports the value as missing.
    expect(parse('--sub', '-5').sub).toBe(true);
  });

  it('stops at --, as mri does', () => {
    const options = parse('--sub', '1', '--', '--sub', '2');
    expect(options.sub).toBe('1');
    expect(options['--']).toEqual(['--sub', '2']);
  });
});
