// The response to Accept: application/vnd.pgrst.plan: EXPLAIN's output as PostgreSQL wrote it
// (JSON text, or the text plan's lines joined by newlines), with PostgREST's Content-Type.
// Example: `application/vnd.pgrst.plan+json; for="application/json"; options=analyze; charset=utf-8`
import type { RequestResult } from '../db/types.js';
import type { ExtraMedia } from '../plan/types.js';
import type { ApiResponse } from './types.js';

type PlanMedia = Extract<ExtraMedia, { kind: 'plan' }>;

export function planContentType(media: PlanMedia): string {
  const options = media.options.length === 0 ? '' : `; options=${media.options.join('|')}`;
  return `application/vnd.pgrst.plan+${media.format}; for="${media.forType}"${options}; charset=utf-8`;
}

export function explainResponse(media: PlanMedia, result: RequestResult, headOnly: boolean): ApiResponse {
  const cells = result.rows.map((r) => r['QUERY PLAN']);
  // Drivers may hand the JSON plan back parsed; it is then written out again.
  const body = media.format === 'json'
    ? cells.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join('')
    : cells.map((c) => String(c)).join('\n');
  return { status: 200, headers: { 'Content-Type': planContentType(media) }, body: headOnly ? null : body };
}
