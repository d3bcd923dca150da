// POST/PATCH/PUT/DELETE on tables and views.
import { errors } from '../../errors/codes.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';

export async function handleWrite(ctx: RouteContext): Promise<ApiResponse> {
  throw errors.notImplemented(`${ctx.req.method} on tables`);
}
