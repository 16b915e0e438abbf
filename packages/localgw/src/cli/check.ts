import { formatIssue } from '@localgw/core';
import { colorsFor } from '../colors.js';
import { createGateway } from '../create-gateway.js';
import { LocalgwError } from '../errors.js';
import { configPathFrom } from './config-path.js';

/** Validates the config and the handler files; exit 1 on errors, 0 with warnings printed. */
export async function runCheck(flags: { config?: string }): Promise<void> {
  const file = configPathFrom(flags);
  const gateway = await createGateway({ config: file, devTokens: false });
  try {
    const pc = colorsFor(process.stdout);
    const issues = [...gateway.warnings(), ...(await gateway.verifyHandlers())];
    const errors = issues.filter((i) => i.severity === 'error');
    for (const issue of issues) {
      const mark = issue.severity === 'error' ? pc.red('✗') : pc.yellow('!');
      process.stdout.write(`${mark} ${formatIssue(issue)}\n`);
    }
    if (errors.length > 0) throw new LocalgwError('ERR_CONFIG_INVALID', `${file}: ${errors.length} error(s)`, { file });
    process.stdout.write(`${pc.green('✓')} ${file}: ${gateway.routes().length} routes, ${issues.length} warning(s)\n`);
  } finally {
    await gateway.close();
  }
}
