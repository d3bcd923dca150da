// POST/PATCH/PUT/DELETE on tables and views: plan, compile, run (rolling back when the result
// breaks a singular or max-affected demand, or when tx=rollback), respond.
import { planWrite, writePayload, writeShape } from '../../plan/write.js';
import { locateNestedError } from '../../plan/nested-insert-errors.js';
import { representWrite } from '../../plan/representations.js';
import { slot, type Sql } from '../../sql/sql.js';
import { checkDeferredConstraints } from '../../sql/write.js';
import type { WritePlan } from '../../plan/types.js';
import { txEnd } from '../../plan/write-tx.js';
import { writeResponse, writeViolation } from '../../response/write.js';
import { writeStatement } from '../../sql/write.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';
import { explainRoute } from './explain.js';
import { preferenceApplied } from './prefer.js';

/** Where a compiled write takes each request's payload. */
const payloadSlot = slot();

/**
 * The plan and statement of a write. When the plan depends on the body only through its shape, both
 * are compiled once per request key and shape, with the payload left open (the cached plan keeps
 * no body); otherwise planned for this request alone.
 */
function compileWrite(ctx: RouteContext): { plan: WritePlan; main: Sql } {
  const { req, cache, deps } = ctx;
  const settings = { aggregatesEnabled: deps.config.dbAggregatesEnabled, planEnabled: deps.config.dbPlanEnabled };
  const payload = writePayload(req);
  const shape = writeShape(req, payload, cache);
  if (shape === null) {
    const plan = representWrite(planWrite(req, cache, settings, payload), cache);
    return { plan, main: writeStatement(plan) };
  }
  const compiled = ctx.compiled(() => {
    const plan = representWrite(planWrite(req, cache, settings, payload), cache);
    return { plan: { ...plan, body: null }, template: writeStatement(plan, plan.body === null ? null : payloadSlot) };
  }, shape);
  return { plan: compiled.plan, main: payload === null ? compiled.template : compiled.template.bind(payloadSlot, payload.json) };
}

export async function handleWrite(ctx: RouteContext): Promise<ApiResponse> {
  const { req, cache, deps } = ctx;
  const { plan, main } = compileWrite(ctx);
  if (plan.media.kind === 'plan') return explainRoute(ctx, plan.media, { readOnly: false, before: [], main });
  const tx = txEnd(deps.config.dbTxEnd, req.preferences);
  // Only a result that may need undoing costs the second round trip.
  const mayViolate = plan.media.kind === 'object' || plan.maxAffected !== null;
  const result = await ctx.run({
    readOnly: false,
    before: tx.end === 'rollback' ? [checkDeferredConstraints] : [],
    main,
    end: mayViolate ? (rows) => (writeViolation(plan, rows) ? 'rollback' : tx.end) : tx.end,
  }).catch((err: unknown) => { throw plan.nested === undefined ? err : locateNestedError(plan, err); });
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
