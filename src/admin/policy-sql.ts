// Row-level security statements built with the SQL builder: CREATE/DROP POLICY and the table's
// RLS switches. USING / WITH CHECK are SQL expressions the admin writes on purpose, so they enter
// through unsafeRaw; each statement runs alone on the extended protocol, so a `;` in an
// expression cannot smuggle in a second statement.
import { ident, join, qualified, sql, unsafeRaw, type Sql } from '../sql/sql.js';
import { AdminError } from './errors.js';

export const policyCommands = ['ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
export type PolicyCommand = (typeof policyCommands)[number];

export interface PolicySpec {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly command: PolicyCommand;
  readonly permissive: boolean;
  /** Empty: PUBLIC. */
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly check: string | null;
}

const unsafeExpression = (e: string) => unsafeRaw(`(${e})`);

function validate(p: PolicySpec): void {
  if (!p.name.trim()) throw new AdminError(400, 'bad-policy', 'a policy needs a name');
  if (!policyCommands.includes(p.command)) throw new AdminError(400, 'bad-policy', `unknown command "${String(p.command)}"`);
  if (p.command === 'INSERT' && p.using) throw new AdminError(400, 'bad-policy', 'an INSERT policy takes only WITH CHECK');
  if ((p.command === 'SELECT' || p.command === 'DELETE') && p.check) throw new AdminError(400, 'bad-policy', `a ${p.command} policy takes only USING`);
}

/** `CREATE POLICY "p" ON "api"."todos" AS PERMISSIVE FOR SELECT TO "api_anon" USING (true)` */
export function policyStatement(p: PolicySpec): Sql {
  validate(p);
  const roles = p.roles.length === 0 ? unsafeRaw('PUBLIC')
    : join(p.roles.map((r) => (r.toLowerCase() === 'public' ? unsafeRaw('PUBLIC') : ident(r))));
  const using = p.using?.trim() ? sql` USING ${unsafeExpression(p.using.trim())}` : sql``;
  const check = p.check?.trim() ? sql` WITH CHECK ${unsafeExpression(p.check.trim())}` : sql``;
  return sql`CREATE POLICY ${ident(p.name)} ON ${qualified(p.schema, p.table)} AS ${unsafeRaw(p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE')} FOR ${unsafeRaw(p.command)} TO ${roles}${using}${check}`;
}

export function dropPolicy(schema: string, table: string, name: string): Sql {
  return sql`DROP POLICY ${ident(name)} ON ${qualified(schema, table)}`;
}

export type PolicyChange =
  | { readonly action: 'create'; readonly policy: PolicySpec }
  | { readonly action: 'replace'; readonly oldName: string; readonly policy: PolicySpec }
  | { readonly action: 'drop'; readonly schema: string; readonly table: string; readonly name: string }
  | { readonly action: 'rls'; readonly schema: string; readonly table: string; readonly enable: boolean; readonly force: boolean };

/** The statements of one change, run in one transaction (an edit is DROP + CREATE). */
export function policyChange(c: PolicyChange): Sql[] {
  switch (c.action) {
    case 'create': return [policyStatement(c.policy)];
    case 'replace': return [dropPolicy(c.policy.schema, c.policy.table, c.oldName), policyStatement(c.policy)];
    case 'drop': return [dropPolicy(c.schema, c.table, c.name)];
    case 'rls': {
      const t = qualified(c.schema, c.table);
      return [
        sql`ALTER TABLE ${t} ${unsafeRaw(c.enable ? 'ENABLE' : 'DISABLE')} ROW LEVEL SECURITY`,
        sql`ALTER TABLE ${t} ${unsafeRaw(c.force ? 'FORCE' : 'NO FORCE')} ROW LEVEL SECURITY`,
      ];
    }
  }
}
