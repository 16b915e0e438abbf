import { formatIssue } from '@localgw/core';
import { colorsFor } from '../colors.js';
import { createGateway } from '../create-gateway.js';
import { LocalgwError } from '../errors.js';
import { configPathFrom, parseParameterOverrides } from './config-path.js';

/** Validates the config (or template) and the handler files; exit 1 on errors, 0 with warnings printed. */
export async function runCheck(flags: { config?: string; parameterOverrides?: string | string[] }): Promise<void> {
  const file = configPathFrom(flags);
  const gateway = await createGateway({ config: file, devTokens: false, parameterOverrides: parseParameterOverrides(flags.parameterOverrides) });
  try {
    const pc = colorsFor(process.stdout);
    const issues = [...gateway.warnings(), ...(await gateway.verifyHandlers())];
    const errors = issues.filter((i) => i.severity === 'error');
    for (const issue of issues) {
      const mark = issue.severity === 'error' ? pc.red('✗') : pc.yellow('!');
      process.stdout.write(`${mark} ${formatIssue(issue)}\n`);
    }
    if (errors.length > 0) throw new LocalgwError('ERR_CONFIG_INVALID', `${file}: ${errors.length} error(s)`, { file });
    const apis = gateway.apis();
    const routes = apis.reduce((n, api) => n + api.routes.length, 0);
    process.stdout.write(`${pc.green('✓')} ${file}: ${apis.length > 1 ? `${apis.length} APIs, ` : ''}${routes} routes, ${issues.length} warning(s)\n`);
  } finally {
    await gateway.close();
  }
}
