// Runs an SQL editor script statement by statement on one connection: each statement's columns,
// rows (capped), row count and time; the first error stops the script and reports its position in
// the script. With "run as", everything runs in one transaction after role and claims are set; a
// viewer's script runs in a READ ONLY transaction that is always rolled back (readOnlyScript; on a
// server inside the viewer's own transaction as pesquel_viewer: viewerScript, admin/viewer/).
import type { AdminConn } from './db/admin-db.js';
import { applySettings, readOnlyStart, refusedReadOnly } from './auth/read-only.js';
import { pgErrorBody, type PgErrorBody } from './errors.js';
import { leavesTransactionOpen, splitStatements } from './sql-split.js';

export const maxRows = 1000;

export interface StatementResult {
  readonly statement: string;
  readonly offset: number;
  readonly command: string;
  readonly columns: readonly { name: string; typeOid: number }[];
  readonly rows: (string | null)[][];
  readonly rowCount: number;
  readonly truncated: boolean;
  readonly ms: number;
}

export interface ScriptResult {
  readonly results: StatementResult[];
  /** The error and where it is: `position` is 1-based in the whole script. */
  readonly error: (PgErrorBody & { statementIndex: number }) | null;
  readonly notices: string[];
  readonly ms: number;
}

const commandOf = (text: string) => /^[\s(]*([a-z]+)/i.exec(text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''))?.[1]?.toUpperCase() ?? '';

type Statements = ReturnType<typeof splitStatements>;

/**
 * Runs statements one by one until the first error (or one `refuse` names: not run at all).
 * `values: []` sends each through the extended protocol, which takes exactly one statement.
 */
async function runStatements(c: AdminConn, statements: Statements, o: { values?: []; refuse?: (command: string) => string | null } = {}) {
  const results: StatementResult[] = [];
  for (const [index, s] of statements.entries()) {
    const command = commandOf(s.text);
    const refused = o.refuse?.(command);
    if (refused) return { results, error: { code: '25006', message: refused, statementIndex: index } };
    const start = performance.now();
    try {
      const r = await c.query(s.text, o.values);
      results.push({
        statement: s.text, offset: s.offset, command, columns: r.fields,
        rows: r.rows.slice(0, maxRows).map((row) => r.fields.map((f) => row[f.name] ?? null)),
        rowCount: r.rowCount, truncated: r.rows.length > maxRows, ms: performance.now() - start,
      });
    } catch (err) {
      const body = pgErrorBody(err);
      if (!body) throw err;
      return { results, error: { ...body, ...(body.position ? { position: body.position + s.offset } : {}), statementIndex: index } };
    }
  }
  return { results, error: null };
}

export async function runScript(c: AdminConn, script: string, settings: readonly (readonly [string, string])[], readOnly = false): Promise<ScriptResult> {
  const statements = splitStatements(script);
  if (readOnly) return readOnlyScript(c, statements, settings);
  const notices: string[] = [];
  const t0 = performance.now();
  const wrapped = settings.length > 0;
  if (wrapped) {
    await c.query('BEGIN');
    for (const [k, v] of settings) await c.query('SELECT set_config($1, $2, true)', [k, v]);
  }
  const { results, error } = await runStatements(c, statements);
  if (wrapped) {
    await c.query(error ? 'ROLLBACK' : 'COMMIT').catch(() => undefined);
    notices.push(error ? 'run as: the transaction was rolled back' : 'run as: the transaction was committed');
  } else if (leavesTransactionOpen(error ? statements.slice(0, error.statementIndex + 1) : statements)) {
    await c.query('ROLLBACK').catch(() => undefined);
    notices.push('a transaction was left open and has been rolled back (each run ends its transactions)');
  }
  return { results, error, notices, ms: performance.now() - t0 };
}

export const changesSchema = (script: string) =>
  splitStatements(script).some((s) => /^(CREATE|ALTER|DROP|GRANT|REVOKE|COMMENT|TRUNCATE)$/.test(commandOf(s.text)));

/**
 * A viewer's script: `BEGIN READ ONLY`, role and claims if "run as", each statement (one per call,
 * extended protocol), then ROLLBACK, so not even a session SET outlives it. Statements that would
 * end the transaction (COMMIT, ROLLBACK, BEGIN, …) or write files (COPY) are refused before running.
 */
async function readOnlyScript(c: AdminConn, statements: Statements, settings: readonly (readonly [string, string])[]): Promise<ScriptResult> {
  await readOnlyStart(c, settings);
  try {
    return await readOnlyStatements(c, statements, performance.now());
  } finally {
    await c.query('ROLLBACK').catch(() => undefined);
  }
}

async function readOnlyStatements(c: AdminConn, statements: Statements, t0: number): Promise<ScriptResult> {
  const { results, error } = await runStatements(c, statements, { values: [], refuse: refusedReadOnly });
  return { results, error, notices: ['read-only: your role (viewer) runs SQL in a read-only transaction, rolled back at the end'], ms: performance.now() - t0 };
}

/**
 * A viewer's script on a server, in the READ ONLY transaction ViewerDb.run has opened as
 * pesquel_viewer (and rolls back): the "run as" settings, then each statement as readOnlyScript does.
 */
export async function viewerScript(c: AdminConn, script: string, settings: readonly (readonly [string, string])[]): Promise<ScriptResult> {
  const t0 = performance.now();
  try {
    await applySettings(c, settings);
  } catch (err) {
    // "Run as" a role the authenticator may not switch to: PostgreSQL's answer, as the script's error.
    const body = pgErrorBody(err);
    if (!body) throw err;
    return { results: [], error: { ...body, statementIndex: 0 }, notices: ['run as: the role could not be set'], ms: performance.now() - t0 };
  }
  return readOnlyStatements(c, splitStatements(script), t0);
}
