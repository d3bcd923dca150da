// GET/HEAD on a table or view: plan, compile, run read-only, respond.
import { planRead } from '../../plan/read.js';
import { representRead } from '../../plan/representations.js';
import { readResponse } from '../../response/read.js';
import { readStatements } from '../../sql/statement.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';
import { explainRoute } from './explain.js';
import { preferenceApplied } from './prefer.js';
import { txEnd } from '../../plan/write-tx.js';

export async function handleRead(ctx: RouteContext): Promise<ApiResponse> {
  const { req, cache, deps } = ctx;
  const { plan, explain, main } = ctx.compiled(() => {
    const p = representRead(planRead(req, cache, { maxRows: deps.config.dbMaxRows, aggregatesEnabled: deps.config.dbAggregatesEnabled, planEnabled: deps.config.dbPlanEnabled }), cache);
    return { plan: p, ...readStatements(p) };
  });
  if (plan.media.kind === 'plan') return explainRoute(ctx, plan.media, { readOnly: true, before: [], main });
  // tx=rollback / db-tx-end apply to reads too, as in PostgREST (Preference-Applied on GET and HEAD).
  const tx = txEnd(deps.config.dbTxEnd, req.preferences);
  const result = await ctx.run({ readOnly: true, before: explain ? [explain] : [], main, end: tx.end });
  const response = readResponse(plan, result);
  preferenceApplied(response, req, cache, { count: plan.count, tx: tx.applied });
  return response;
}
