import type { StoreContext } from './context.js';
import { badRequest, ManagementError } from './errors.js';

/** `arn:aws:apigateway:REGION::/apis/ID` or `…/apis/ID/stages/NAME`: the resources HTTP APIs tag. */
const TAGGABLE = /^arn:aws[a-z-]*:apigateway:[^:]*::\/apis\/([^/]+)(?:\/stages\/([^/]+))?$/;
/** AWS's quota: 50 tags a resource. */
const MAX_TAGS = 50;

function tagsOf(ctx: StoreContext, arn: string): Record<string, string> {
  const match = TAGGABLE.exec(arn);
  if (!match) throw new ManagementError('NotFoundException', `Invalid resource ARN specified ${arn}: localgw tags APIs (arn:aws:apigateway:REGION::/apis/API_ID) and their stages (…/stages/NAME)`, 'Tags');
  const managed = ctx.managed(match[1]!);
  return match[2] === undefined ? managed.api.tags : ctx.stage(managed, decodeURIComponent(match[2])).tags;
}

export function getTags(ctx: StoreContext, arn: string): { tags: Record<string, string> } {
  return { tags: { ...tagsOf(ctx, arn) } };
}

export function tagResource(ctx: StoreContext, arn: string, tags: Record<string, string>): void {
  const current = tagsOf(ctx, arn);
  const merged = { ...current, ...tags };
  if (Object.keys(merged).length > MAX_TAGS) throw badRequest(`A resource takes at most ${MAX_TAGS} tags`);
  Object.assign(current, tags);
}

export function untagResource(ctx: StoreContext, arn: string, keys: readonly string[]): void {
  const current = tagsOf(ctx, arn);
  for (const key of keys) delete current[key];
}
