// /rpc/<function>: plan the call, run it (read-only unless the function is VOLATILE and called
// with POST; rolled back on a singular/max-affected failure or tx=rollback), respond.
import { planCall } from '../../plan/rpc.js';
import { representCall } from '../../plan/representations.js';
import { txEnd } from '../../plan/write-tx.js';
import { callResponse, callViolation } from '../../response/rpc.js';
import { callStatements } from '../../sql/rpc.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';
import { explainRoute } from './explain.js';
import { preferenceApplied } from './prefer.js';

export async function handleRpc(ctx: RouteContext): Promise<ApiResponse> {
  const { req, cache, deps } = ctx;
  const config = deps.config;
  const plan = representCall(planCall(req, cache, {
    maxRows: config.dbMaxRows,
    aggregatesEnabled: config.dbAggregatesEnabled,
    hoistedSettings: config.dbHoistedTxSettings ?? [],
    planEnabled: config.dbPlanEnabled,
  }), cache);
  const { before, main } = callStatements(plan);
  if (plan.read.media.kind === 'plan') return explainRoute(ctx, plan.read.media, { readOnly: plan.readOnly, before, main });
  const tx = txEnd(config.dbTxEnd, req.preferences);
  const mayViolate = plan.read.media.kind === 'object' || plan.maxAffected !== null;
  const result = await ctx.run({
    readOnly: plan.readOnly,
    before,
    main,
    end: mayViolate ? (rows) => (callViolation(plan, rows) ? 'rollback' : tx.end) : tx.end,
  });
  const response = callResponse(plan, result);
  preferenceApplied(response, req, cache, { count: plan.read.count, tx: tx.applied, maxAffected: plan.maxAffected });
  return response;
}
