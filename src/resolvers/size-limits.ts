import type { Labels } from '../model/records.ts';
import type { RequestContext } from './context.ts';
import { BerthError } from '../model/errors.ts';

/** Per-record count limits (README "Limits"): what one container or namespace may carry. */
export function assertCounts(ctx: RequestContext, what: string, counts: { labels: Labels; extensions?: Readonly<Record<string, unknown>> }): void {
  assertCountsOf(ctx, what, Object.keys(counts.labels).length, Object.keys(counts.extensions ?? {}).length);
}

/** assertCounts for counts Postgres made (the merge of setContainerLabels). */
export function assertCountsOf(ctx: RequestContext, what: string, labels: number, extensions: number): void {
  if (labels > ctx.limits.maxLabels) {
    throw new BerthError('RESOURCE_EXHAUSTED', `${what} would have ${labels} labels; the limit is ${ctx.limits.maxLabels} (BERTH_MAX_LABELS)`);
  }
  if (extensions > ctx.limits.maxExtensions) {
    throw new BerthError('RESOURCE_EXHAUSTED', `${what} would have ${extensions} extensions; the limit is ${ctx.limits.maxExtensions} (BERTH_MAX_EXTENSIONS)`);
  }
}
