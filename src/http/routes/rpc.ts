// /rpc/<function>: calls a function with named arguments.
import { errors } from '../../errors/codes.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';

export async function handleRpc(ctx: RouteContext): Promise<ApiResponse> {
  throw errors.notImplemented(`${ctx.req.method} on functions`);
}
