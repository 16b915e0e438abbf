import { badRequest } from './errors.js';

/** AWS's page size when `maxResults` is absent, and its largest. */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 500;

/**
 * A page of a list operation (config-formats.md §5.1): `maxResults` arrives as a string, and
 * `nextToken` is opaque to the client (here: the offset, which is enough for a local store).
 */
export function paginate<T>(items: readonly T[], query: { maxResults?: string | undefined; nextToken?: string | undefined }): { items: T[]; nextToken?: string } {
  let size = DEFAULT_PAGE;
  if (query.maxResults !== undefined) {
    size = Number(query.maxResults);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badRequest(`maxResults must be a whole number from 1 to ${MAX_PAGE}, got "${query.maxResults}"`);
  }
  let start = 0;
  if (query.nextToken !== undefined) {
    const match = /^p(\d+)$/.exec(query.nextToken);
    start = match ? Number(match[1]) : -1;
    if (!Number.isSafeInteger(start) || start < 0 || start > items.length) throw badRequest(`Invalid pagination token ${query.nextToken}`);
  }
  const page = items.slice(start, start + size);
  return start + size < items.length ? { items: page, nextToken: `p${start + size}` } : { items: page };
}
