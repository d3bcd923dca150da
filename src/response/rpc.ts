// Builds the response of /rpc/<fn>: 204 for void functions, otherwise the read response
// (Content-Range, counts, singular 406) with the body shaped by sql/rpc.ts; the singular and
// max-affected checks that must roll the call back first.
import type { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import type { RequestResult } from '../db/types.js';
import type { CallPlan } from '../plan/types.js';
import { gucHeaders, gucStatus } from './guc.js';
import { readResponse } from './read.js';
import type { ApiResponse } from './types.js';

/** The error a call's result calls for, if any; the transaction must then be rolled back. */
export function callViolation(plan: CallPlan, rows: readonly Record<string, unknown>[]): ApiError | null {
  const pageTotal = Number(rows[0]?.page_total ?? 0);
  if (plan.read.media.kind === 'object' && plan.result !== 'void' && pageTotal !== 1) return errors.singularity(pageTotal);
  if (plan.maxAffected !== null && pageTotal > plan.maxAffected) return errors.maxAffected(pageTotal);
  return null;
}

export function callResponse(plan: CallPlan, result: RequestResult): ApiResponse {
  const violation = callViolation(plan, result.rows);
  if (violation) throw violation;
  if (plan.result === 'void') {
    const row = result.rows[0] ?? {};
    return { status: gucStatus(row.response_status) ?? 204, headers: gucHeaders(row.response_headers), body: null };
  }
  return readResponse(plan.read, result);
}
