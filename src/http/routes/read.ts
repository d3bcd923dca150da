// GET/HEAD on a table or view: plan, compile, run read-only, respond.
import { planRead } from '../../plan/read.js';
import { representRead } from '../../plan/representations.js';
import { readResponse } from '../../response/read.js';
import { readStatements } from '../../sql/statement.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';
import { explainRoute } from './explain.js';
import { preferenceApplied } from './prefer.js';
import { txEnd } from '../../plan/write-tx.js';

export async function handleRead(ctx: RouteContext): Promise<ApiResponse> {
  const { req, cache, deps } = ctx;
  const { plan, explain, main } = ctx.compiled(() => {
    const p = representRead(planRead(req, cache, { maxRows: deps.config.dbMaxRows, aggregatesEnabled: deps.config.dbAggregatesEnabled, planEnabled: deps.config.dbPlanEnabled }), cache);
    return { plan: p, ...readStatements(p) };
  });
  if (plan.media.kind === 'plan') return explainRoute(ctx, plan.media, { readOnly: true, before: [], main });
  // tx=rollback / db-tx-end apply to reads too, as in PostgREST (Preference-Applied on GET and HEAD).
  const tx = txEnd(deps.config.dbTxEnd, req.preferences);
  const result = await ctx.run({ readOnly: true, before: explain ? [explain] : [], main, end: tx.end });
  const response = readResponse(plan, result);
  response.headers['Content-Location'] = contentLocation(req.target.kind === 'relation' ? req.target.name : '', ctx.url);
  preferenceApplied(response, req, cache, { count: plan.count, tx: tx.applied });
  return response;
}

/**
 * PostgREST's canonical location of a read: `/<relation>` and the query parameters sorted by name,
 * the values of a repeated name joined with `,`, encoded as Network.HTTP.Base.urlEncodeVars does.
 * Example: /no_pk?b=eq.1&a=eq.1 → /no_pk?a=eq.1&b=eq.1
 */
export function contentLocation(relation: string, url: string): string {
  const q = url.indexOf('?');
  const pairs: Array<[string, string]> = [];
  if (q >= 0) {
    for (const part of url.slice(q + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      pairs.push([decode(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decode(part.slice(eq + 1))]);
    }
  }
  const path = `/${headerSafe(relation)}`;
  if (pairs.length === 0) return path;
  const byName = new Map<string, string[]>();
  for (const [k, v] of pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) byName.set(k, [...(byName.get(k) ?? []), v]);
  return `${path}?${[...byName].map(([k, vs]) => `${encode(k)}=${vs.map(encode).join(',')}`).join('&')}`;
}

/**
 * A relation name as header text: printable ASCII as PostgREST sends it, anything else as %XX of
 * its UTF-8 bytes. node:http refuses control characters and anything past U+00FF in a header, and
 * that refusal comes after the request's error boundary (`GET /日本` ended in an unhandled rejection).
 */
const headerSafe = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : [...Buffer.from(s, 'utf8')]
  .map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
  .join(''));

const decode = (s: string) => {
  const plus = s.replace(/\+/g, ' ');
  try { return decodeURIComponent(plus); } catch { return plus; }
};
/**
 * Letters, digits and `-_.~` stay; every other UTF-8 byte becomes %XX (upper case): what
 * encodeURIComponent does, except that it keeps `!'()*` (and throws on a lone surrogate).
 */
const encode = (s: string): string => {
  if (/^[A-Za-z0-9\-_.~]*$/.test(s)) return s;
  try {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return [...Buffer.from(s, 'utf8')]
      .map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) && b < 128 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
      .join('');
  }
};
