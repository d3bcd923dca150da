// Builds the response of a write: status (201/200/204 as PostgREST decides), Location for
// return=headers-only, Content-Range `*/N`, the representation, and the checks that roll back
// (singular object ≠ 1 row: 406 PGRST116; max-affected exceeded: 400 PGRST124).
import type { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import type { RequestResult } from '../db/types.js';
import type { WritePlan } from '../plan/types.js';
import { gucHeaders, gucStatus } from './guc.js';
import { contentRange, contentTypeFor } from './read.js';
import type { ApiResponse } from './types.js';

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** The error a write's result calls for, if any; the transaction must then be rolled back. */
export function writeViolation(plan: WritePlan, rows: readonly Record<string, unknown>[]): ApiError | null {
  const affected = num(rows[0]?.affected);
  if (plan.media.kind === 'object' && affected !== 1) return errors.singularity(affected);
  if (plan.maxAffected !== null && affected > plan.maxAffected) return errors.maxAffected(affected);
  return null;
}

/** `/todos?id=eq.7`: the first written row's primary key, as PostgREST writes it. */
function location(plan: WritePlan, body: unknown): string | null {
  if (typeof body !== 'string' || body === '') return null;
  const pk = JSON.parse(body) as Record<string, unknown> | null;
  if (pk === null) return null;
  const parts = plan.primaryKey.map((c) => {
    const v = pk[c];
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return `${encodeURIComponent(c)}=eq.${encodeURIComponent(text)}`;
  });
  return `/${encodeURIComponent(plan.name)}?${parts.join('&')}`;
}

function statusOf(plan: WritePlan, inserted: number | null): number {
  const representation = plan.representation !== null;
  switch (plan.method) {
    case 'POST':
      return plan.detectInserted && inserted === 0 ? 200 : 201;
    case 'PUT':
      return representation ? (inserted !== null && inserted > 0 ? 201 : 200) : 204;
    default:
      return representation ? 200 : 204;
  }
}

export function writeResponse(plan: WritePlan, result: RequestResult): ApiResponse {
  const row = result.rows[0] ?? {};
  const violation = writeViolation(plan, result.rows);
  if (violation) throw violation;
  const affected = num(row.affected);
  const inserted = row.inserted === null || row.inserted === undefined ? null : Number(row.inserted);
  const headers: Record<string, string> = {};
  // As PostgREST: POST and DELETE send `*/N` (or `*/*`), PATCH the range of changed rows `0-(N-1)/…`.
  if (plan.method === 'POST' || plan.method === 'DELETE') headers['Content-Range'] = `*/${plan.count ? affected : '*'}`;
  else if (plan.method === 'PATCH') headers['Content-Range'] = contentRange(0, affected, plan.count ? affected : null);
  let body: string | null = null;
  if (plan.representation) {
    headers['Content-Type'] = contentTypeFor(plan.media);
    body = String(row.body ?? '');
  } else if (plan.returning === 'pk') {
    const loc = location(plan, row.body);
    if (loc !== null) headers.Location = loc;
  }
  Object.assign(headers, gucHeaders(row.response_headers));
  return { status: gucStatus(row.response_status) ?? statusOf(plan, inserted), headers, body };
}
