import { expiresInSeconds } from '@localgw/jwt';
import { createGateway } from '../create-gateway.js';
import { LocalgwError } from '../errors.js';
import { configPathFrom, parseParameterOverrides } from './config-path.js';

export interface TokenFlags {
  config?: string;
  authorizer?: string;
  sub: string;
  scope?: string;
  claim?: string[];
  expiresIn: string;
  preset: string;
  api?: string;
  parameterOverrides?: string | string[];
}

export async function runToken(flags: TokenFlags): Promise<void> {
  const file = configPathFrom(flags);
  const gateway = await createGateway({ config: file, parameterOverrides: parseParameterOverrides(flags.parameterOverrides) });
  try {
    if (!gateway.current.model.config.devTokens) {
      // Still printed (it is a valid token for another gateway that trusts this key), but a
      // gateway started from this config will answer it with 401.
      process.stderr.write(
        `warning: ${file} sets "devTokens": false, so localgw started from it rejects this token (signed by the local dev key in .localgw/). Remove that setting to use dev tokens.\n`,
      );
    }
    const claims: Record<string, unknown> = {};
    for (const pair of flags.claim ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new LocalgwError('ERR_USAGE', `--claim expects key=value, got "${pair}"`);
      claims[pair.slice(0, eq)] = parseValue(pair.slice(eq + 1));
    }
    const presets = ['default', 'cognito-access', 'cognito-id', 'auth0'] as const;
    const preset = presets.find((p) => p === flags.preset);
    if (!preset) throw new LocalgwError('ERR_USAGE', `--preset must be one of ${presets.join(', ')}, got "${flags.preset}"`);
    // Checked here, by minting's own rule, so that the message names the flag.
    if (expiresInSeconds(flags.expiresIn) === undefined) {
      throw new LocalgwError('ERR_USAGE', `--expires-in takes seconds or a number with s, m, h or d (90, 15m, 1.5h, 7d); got "${flags.expiresIn}"`);
    }
    const token = await gateway.token({
      authorizer: flags.authorizer,
      api: flags.api,
      sub: flags.sub,
      scope: flags.scope,
      claims,
      expiresIn: flags.expiresIn,
      preset,
    });
    process.stdout.write(token + '\n');
  } finally {
    await gateway.close();
  }
}

/** `admin=true` → true, `n=3` → 3, `groups=["a","b"]` → array; anything else stays a string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
