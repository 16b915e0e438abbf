import { expiresInSeconds, loadOrCreateDevKey, mintToken } from '@localgw/jwt';
import { join } from 'node:path';
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
  /** The admin server of a running gateway, whose APIs (made through the management API) the authorizer is looked up in. */
  from?: string;
}

export async function runToken(flags: TokenFlags): Promise<void> {
  const claims = parseClaims(flags.claim);
  const preset = parsePreset(flags.preset);
  // Checked here, by minting's own rule, so that the message names the flag.
  if (expiresInSeconds(flags.expiresIn) === undefined) {
    throw new LocalgwError('ERR_USAGE', `--expires-in takes seconds or a number with s, m, h or d (90, 15m, 1.5h, 7d); got "${flags.expiresIn}"`);
  }
  if (flags.from !== undefined) {
    const authorizer = await authorizerFrom(flags.from, flags.api, flags.authorizer);
    const key = await loadOrCreateDevKey(join(process.cwd(), '.localgw'));
    const token = await mintToken(key, { issuer: authorizer.issuer, audience: authorizer.audience, sub: flags.sub, scope: flags.scope, claims, expiresIn: flags.expiresIn, preset });
    process.stdout.write(token + '\n');
    return;
  }
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

function parseClaims(pairs: string[] | undefined): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new LocalgwError('ERR_USAGE', `--claim expects key=value, got "${pair}"`);
    claims[pair.slice(0, eq)] = parseValue(pair.slice(eq + 1));
  }
  return claims;
}

function parsePreset(value: string) {
  const presets = ['default', 'cognito-access', 'cognito-id', 'auth0'] as const;
  const preset = presets.find((p) => p === value);
  if (!preset) throw new LocalgwError('ERR_USAGE', `--preset must be one of ${presets.join(', ')}, got "${value}"`);
  return preset;
}

interface WireAuthorizer {
  name: string;
  authorizerType: string;
  jwtConfiguration?: { issuer?: string; audience?: string[] };
}

/**
 * The JWT authorizer a running gateway's management API has (`--from ADMIN_URL`): of the API
 * `--api` (its id), else of the only API that has JWT authorizers; `--authorizer` by name, else
 * the only one.
 */
async function authorizerFrom(adminUrl: string, apiId: string | undefined, name: string | undefined): Promise<{ issuer: string; audience: string | undefined }> {
  const get = async (path: string) => {
    let response: Response;
    try {
      response = await fetch(new URL(path, adminUrl));
    } catch (error) {
      throw new LocalgwError('ERR_USAGE', `--from ${adminUrl}: cannot reach the admin server (${(error as Error).message}); is localgw start running, with its admin server?`);
    }
    const body = (await response.json()) as { items?: unknown[]; message?: string };
    if (!response.ok) throw new LocalgwError('ERR_USAGE', `--from ${adminUrl}: ${body.message ?? response.statusText}`);
    return (body.items ?? []) as Array<Record<string, unknown>>;
  };
  const apis = apiId === undefined ? (await get('/v2/apis?maxResults=500')).map((a) => String(a.apiId)) : [apiId];
  const found: Array<{ apiId: string; authorizer: WireAuthorizer }> = [];
  for (const id of apis) {
    for (const authorizer of (await get(`/v2/apis/${encodeURIComponent(id)}/authorizers?maxResults=500`)) as unknown as WireAuthorizer[]) {
      if (authorizer.authorizerType === 'JWT' && (name === undefined || authorizer.name === name)) found.push({ apiId: id, authorizer });
    }
  }
  if (found.length !== 1) {
    const what = name === undefined ? 'a JWT authorizer' : `a JWT authorizer named "${name}"`;
    const listed = found.map((f) => `${f.authorizer.name} (API ${f.apiId})`).join(', ');
    throw new LocalgwError('ERR_AUTHORIZER_UNKNOWN', found.length === 0 ? `--from ${adminUrl}: no API has ${what}` : `--from ${adminUrl}: several JWT authorizers (${listed}): say which with --api ID and --authorizer NAME`);
  }
  const { jwtConfiguration } = found[0]!.authorizer;
  return { issuer: jwtConfiguration?.issuer ?? '', audience: jwtConfiguration?.audience?.[0] };
}

/** `admin=true` → true, `n=3` → 3, `groups=["a","b"]` → array; anything else stays a string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
