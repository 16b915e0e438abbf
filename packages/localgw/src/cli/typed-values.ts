import type { CAC } from 'cac';

/**
 * Puts back the text that was typed for every flag that takes a value. cac parses argv with mri,
 * which turns anything that looks like a number into one (`--stage 2024` → 2024, `--sub 007` →
 * 7, `--sub 1e3` → 1000) and cac offers no way out: `type: [String]` only converts what mri
 * already converted. Commands get strings and convert what they need (`--port`) themselves.
 */
export function keepValuesAsTyped(cli: CAC): void {
  const options = [...cli.globalCommand.options, ...(cli.matchedCommand?.options ?? [])];
  for (const option of options) {
    if (option.isBoolean) continue;
    const typed = typedValues(cli.rawArgs, option.names);
    if (typed.length === 0) continue;
    // The shape cac gives: an array for `type: [...]` options and for a repeated flag.
    cli.options[option.name] = Array.isArray(option.config.type) || typed.length > 1 ? typed : typed[0];
  }
}

/**
 * The values of `--name` in argv by mri's own rule: the text after `=`, else the next argument
 * unless it starts with "-" (an argument that starts with "-" is never a value, so no argument
 * is read twice). Parsing stops at `--`. `names` are cac's camelCased option names.
 */
function typedValues(argv: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (!names.includes(camelcase(arg.slice(2, eq < 0 ? undefined : eq)))) continue;
    const inline = eq < 0 ? '' : arg.slice(eq + 1);
    const next = argv[i + 1];
    if (inline !== '') values.push(inline);
    else if (next !== undefined && !next.startsWith('-')) values.push(next);
  }
  return values;
}

/** cac's option-name camelCasing: `expires-in` → `expiresIn`. */
function camelcase(name: string): string {
  return name.replaceAll(/([a-z])-([a-z])/g, (_, before: string, after: string) => before + after.toUpperCase());
}
