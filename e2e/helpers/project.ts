import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A throwaway project directory with the given files; removed by `cleanup()`. */
export function tempProject(files: Record<string, string | object> = {}, copyFrom?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'localgw-e2e-'));
  if (copyFrom) cpSync(join(REPO, copyFrom), dir, { recursive: true, filter: (src) => !/node_modules|\.localgw/.test(src) });
  const write = (name: string, content: string | object) => {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  for (const [name, content] of Object.entries(files)) write(name, content);
  return { dir, write, path: (name: string) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
