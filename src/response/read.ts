// Builds the response of a read: body as produced by PostgreSQL, Content-Range, 206/416, singular 406.
import { errors } from '../errors/codes.js';
import type { OutputMedia, ReadPlan } from '../plan/types.js';
import type { RequestResult } from '../db/types.js';
import { gucHeaders, gucStatus } from './guc.js';
import { decodeBody, extraContentType } from './media.js';
import { jsonType, type ApiResponse } from './types.js';

export function contentTypeFor(media: OutputMedia): string {
  const extra = extraContentType(media);
  if (extra !== null) return extra;
  switch (media.kind) {
    case 'csv': return 'text/csv; charset=utf-8';
    case 'object': return media.stripNulls ? 'application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8' : 'application/vnd.pgrst.object+json; charset=utf-8';
    case 'array-stripped': return 'application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8';
    case 'html': return 'text/html; charset=utf-8';
    case 'openapi': return 'application/openapi+json; charset=utf-8';
    default: return jsonType;
  }
}

/** `0-9/100`, `*\/0` when the page is empty, `/*` without a count. */
export function contentRange(offset: number, pageTotal: number, total: number | null): string {
  const range = pageTotal === 0 ? '*' : `${offset}-${offset + pageTotal - 1}`;
  return `${range}/${total === null ? '*' : total}`;
}

/** PostgREST's rangeStatus: 416 past the end, 206 when a count shows more rows than the page. */
export function rangeStatus(offset: number, pageTotal: number, total: number | null): number {
  if (total === null) return 200;
  if (offset > total) return 416;
  return pageTotal < total ? 206 : 200;
}

export function plannedRows(explainRows: readonly Record<string, unknown>[] | undefined): number | null {
  const cell = explainRows?.[0]?.['QUERY PLAN'];
  const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell) as Array<{ Plan?: { 'Plan Rows'?: number } }> | undefined;
  const rows = plan?.[0]?.Plan?.['Plan Rows'];
  return typeof rows === 'number' ? rows : null;
}

export function totalFrom(plan: Pick<ReadPlan, 'count' | 'maxRows'>, result: RequestResult): number | null {
  const row = result.rows[0] ?? {};
  const exact = row.total_result_set === null || row.total_result_set === undefined ? null : Number(row.total_result_set);
  if (plan.count === 'planned') return plannedRows(result.before[0]);
  // PostgREST: the exact count (at most db-max-rows + 1), and when it exceeds db-max-rows — always
  // without db-max-rows — the larger of it and the planner's estimate.
  if (plan.count === 'estimated' && exact !== null && (plan.maxRows === null || exact > plan.maxRows)) {
    return Math.max(plannedRows(result.before[0]) ?? exact, exact);
  }
  return exact;
}

/** Between chunks, json_agg's separator between rows (`,` after json_strip_nulls), as in sql/statement.ts. */
const chunkSeparator = (media: OutputMedia) => (media.kind === 'array-stripped' ? ',' : ', \n ');

/** `[`, the chunks with the separator between them, `]`: the pieces of a chunked JSON array, never joined. */
function chunkedBody(rows: readonly Record<string, unknown>[], separator: string): string[] {
  const pieces = ['['];
  for (const r of rows) {
    if (r.body === null || r.body === undefined) continue;
    if (pieces.length > 1) pieces.push(separator);
    pieces.push(String(r.body));
  }
  pieces.push(']');
  return pieces;
}

export function readResponse(plan: ReadPlan, result: RequestResult): ApiResponse {
  const row = result.rows[0] ?? {};
  const pageTotal = Number(row.page_total ?? 0);
  const total = totalFrom(plan, result);
  const offset = plan.root.offset;
  const status = rangeStatus(offset, pageTotal, total);
  if (status === 416) throw errors.offsetBeyondTotal(offset, total ?? 0);
  if (plan.media.kind === 'object' && pageTotal !== 1) throw errors.singularity(pageTotal);

  const headers: Record<string, string> = {
    'Content-Type': contentTypeFor(plan.media),
    'Content-Range': contentRange(offset, pageTotal, total),
  };
  Object.assign(headers, gucHeaders(row.response_headers));
  const body = plan.headOnly ? null : plan.chunkRows !== null ? chunkedBody(result.rows, chunkSeparator(plan.media)) : decodeBody(plan.media, String(row.body ?? ''));
  return { status: gucStatus(row.response_status) ?? status, headers, body };
}
