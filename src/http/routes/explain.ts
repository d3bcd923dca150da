// Accept: application/vnd.pgrst.plan on any route: the route's own statement, explained in a
// transaction that is always rolled back (so `options=analyze` on a write changes nothing).
import type { ExtraMedia } from '../../plan/types.js';
import { explainResponse } from '../../response/explain.js';
import type { ApiResponse } from '../../response/types.js';
import { explainSql } from '../../sql/explain.js';
import type { Sql } from '../../sql/sql.js';
import type { RouteContext } from '../app.js';

type PlanMedia = Extract<ExtraMedia, { kind: 'plan' }>;

export async function explainRoute(ctx: RouteContext, media: PlanMedia, tx: { readonly readOnly: boolean; readonly before: readonly Sql[]; readonly main: Sql }): Promise<ApiResponse> {
  const result = await ctx.run({ readOnly: tx.readOnly, before: tx.before, main: explainSql(media, tx.main), end: 'rollback' });
  return explainResponse(media, result, ctx.req.method === 'HEAD');
}
