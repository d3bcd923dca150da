// GET/HEAD on a table or view: plan, compile, run read-only, respond.
import { planRead } from '../../plan/read.js';
import { readResponse } from '../../response/read.js';
import { readStatements } from '../../sql/statement.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';
import { preferenceApplied } from './prefer.js';

export async function handleRead(ctx: RouteContext): Promise<ApiResponse> {
  const { req, cache, deps } = ctx;
  const { plan, explain, main } = ctx.compiled(() => {
    const p = planRead(req, cache, { maxRows: deps.config.dbMaxRows, aggregatesEnabled: deps.config.dbAggregatesEnabled });
    return { plan: p, ...readStatements(p) };
  });
  const result = await ctx.run({ readOnly: true, before: explain ? [explain] : [], main, end: 'commit' });
  const response = readResponse(plan, result);
  preferenceApplied(response, req, cache, { count: plan.count });
  return response;
}
