import type { Labels } from '../model/records.ts';
import type { RequestContext } from './context.ts';
import { BerthError } from '../model/errors.ts';

/** Per-record count limits (README "Limits"): what one container or namespace may carry. */
export function assertCounts(ctx: RequestContext, what: string, counts: { labels: Labels; extensions?: Readonly<Record<string, unknown>> }): void {
  const labels = Object.keys(counts.labels).length;
  if (labels > ctx.limits.maxLabels) {
    throw new BerthError('RESOURCE_EXHAUSTED', `${what} would have ${labels} labels; the limit is ${ctx.limits.maxLabels} (BERTH_MAX_LABELS)`);
  }
  const extensions = Object.keys(counts.extensions ?? {}).length;
  if (extensions > ctx.limits.maxExtensions) {
    throw new BerthError('RESOURCE_EXHAUSTED', `${what} would have ${extensions} extensions; the limit is ${ctx.limits.maxExtensions} (BERTH_MAX_EXTENSIONS)`);
  }
}
