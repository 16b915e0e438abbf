import type { FormatHost } from '../cloudformation/read-template.js';
import { readTemplates, type ReadTemplateOptions, type TemplateEntry } from '../cloudformation/read-template.js';
import type { Api, ApiModel, Route } from '../model/model.js';

/** Project files in memory, paths relative to the project folder with `/`, as localgw passes them. */
export function memoryHost(files: Record<string, string>): FormatHost {
  return {
    readFile: (path) => files[path],
    resolvePath(from, relative) {
      if (relative.startsWith('/')) return relative;
      const base = from.includes('/') ? from.slice(0, from.lastIndexOf('/')).split('/') : [];
      const out: string[] = base;
      for (const part of relative.split('/')) {
        if (part === '' || part === '.') continue;
        if (part === '..') out.pop();
        else out.push(part);
      }
      return out.join('/') || '.';
    },
  };
}

/** Reads `template.yaml` (and whatever else it names) from in-memory files. */
export function readProject(files: Record<string, string>, options: ReadTemplateOptions = {}, entries: TemplateEntry[] = [{ file: 'template.yaml' }]): ApiModel {
  return readTemplates(entries, memoryHost(files), options);
}

/** Issues as one line each, for readable assertions. */
export function issueLines(model: ApiModel): string[] {
  return model.issues.map((i) => `${i.severity}${i.source ? ` ${i.source.file}:${i.source.line ?? '?'}` : ''}: ${i.message}`);
}

export function routeOf(api: Api, key: string): Route {
  const route = api.routes.find((r) => r.routeKey === key);
  if (!route) throw new Error(`no route ${key} in ${api.routes.map((r) => r.routeKey).join(', ')}`);
  return route;
}

/** The integration a route targets. */
export function integrationOf(api: Api, route: Route) {
  return api.integrations.find((i) => `integrations/${i.integrationId}` === route.target);
}
