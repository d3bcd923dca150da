// db-pre-request: a function PostgREST calls in every request transaction after the role and the
// request settings, before the main statement (it may raise to refuse, or set response.*).
// `api.check_request` → SELECT "api"."check_request"(); an unqualified name follows search_path.
import { ident, qualified, sql, type Sql } from '../sql/sql.js';
import type { RequestResult, RequestTx } from '../db/types.js';

/** Parses `schema.fn`, `fn` or quoted parts (`"my schema"."fn"`) into the call statement. */
export function preRequestStatement(name: string): Sql {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(\.|$)/y;
  let m: RegExpExecArray | null;
  let at = 0;
  let dangling = false;
  while (at < name.length && (m = re.exec(name)) !== null) {
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? ''));
    at = re.lastIndex;
    dangling = m[3] === '.';
    if (!dangling) break;
  }
  if (dangling || at !== name.length || parts.length === 0 || parts.length > 2) throw new Error(`db-pre-request: expected a function name such as api.check_request, got '${name}'`);
  const fn = parts.length === 2 ? qualified(parts[0] as string, parts[1] as string) : ident(parts[0] as string);
  return sql`SELECT ${fn}()`;
}

/** Runs the request transaction with the pre-request call first; routes see only their own `before` rows. */
export async function withPreRequest(
  pre: Sql | null,
  tx: Omit<RequestTx, 'settings'>,
  run: (tx: Omit<RequestTx, 'settings'>) => Promise<RequestResult>,
): Promise<RequestResult> {
  if (pre === null) return run(tx);
  const r = await run({ ...tx, before: [pre, ...tx.before] });
  return { ...r, before: r.before.slice(1) };
}
