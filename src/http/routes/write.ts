// POST/PATCH/PUT/DELETE on tables and views: plan, compile, run (rolling back when the result
// breaks a singular or max-affected demand, or when tx=rollback), respond.
import { planWrite } from '../../plan/write.js';
import { txEnd } from '../../plan/write-tx.js';
import { writeResponse, writeViolation } from '../../response/write.js';
import { writeStatement } from '../../sql/write.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';
import { preferenceApplied } from './prefer.js';

export async function handleWrite(ctx: RouteContext): Promise<ApiResponse> {
  const { req, cache, deps } = ctx;
  const plan = planWrite(req, cache, { aggregatesEnabled: deps.config.dbAggregatesEnabled });
  const tx = txEnd(deps.config.dbTxEnd, req.preferences);
  // Only a result that may need undoing costs the second round trip.
  const mayViolate = plan.media.kind === 'object' || plan.maxAffected !== null;
  const result = await ctx.run({
    readOnly: false,
    before: [],
    main: writeStatement(plan),
    end: mayViolate ? (rows) => (writeViolation(plan, rows) ? 'rollback' : tx.end) : tx.end,
  });
  const response = writeResponse(plan, result);
  const p = req.preferences;
  preferenceApplied(response, req, cache, {
    return: p.return,
    count: plan.count ? p.count : null,
    resolution: plan.method === 'POST' ? p.resolution : null,
    missing: p.missing === 'default' ? p.missing : null,
    tx: tx.applied,
    maxAffected: plan.maxAffected,
  });
  return response;
}
