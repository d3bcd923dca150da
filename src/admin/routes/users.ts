// Account management (owners only): list, add (with a password or a generated one shown once),
// change a role, remove, invite; and the public side of an invitation (look at it, accept it with
// a password). Every change is written to the audit log; no password or token ever is.
import { hashPassword, passwordLimits } from '../../auth/service/passwords.js';
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import { field, type Ctx, type Route } from '../http-kit.js';
import { parseRole } from '../auth/roles.js';
import { generatePassword } from '../auth/password.js';
import { checkPassword } from '../auth/hashes.js';
import { normalEmail, type Accounts } from '../users/accounts.js';
import { inviteTtlHours, type Invites } from '../users/invites.js';
import { gated, startSession } from './session.js';

/** A password a person chose: checked against the auth service's length limits. */
export function checkNewPassword(v: unknown, min: number): string {
  if (typeof v !== 'string' || v.length < min || v.length > passwordLimits.max) {
    throw new AdminError(400, 'bad-password', `a password needs ${min} to ${passwordLimits.max} characters`);
  }
  return v;
}

function need<T>(v: T | null): T {
  if (v === null) throw new AdminError(503, 'no-store', "accounts need the admin store: set admin-db-uri to a role that owns the database");
  return v;
}

function ttlHours(v: unknown): number {
  if (v === undefined || v === null) return inviteTtlHours.default;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > inviteTtlHours.max) throw new AdminError(400, 'bad-hours', `an invitation lasts 1 to ${inviteTtlHours.max} hours`);
  return n;
}

export function userRoutes(d: AdminDeps): Route[] {
  const accounts = (): Accounts => need(d.accounts);
  const invites = (): Invites => need(d.invites);
  const min = d.config.authPasswordMinLength;
  const audit = (ctx: Ctx, action: string, detail: string) => d.audit.record(ctx, { action, detail });
  return [
    { method: 'GET', path: '/api/users', role: 'owner', handler: async () => ({ json: { users: await accounts().list(), invites: await invites().pending() } }) },
    {
      method: 'POST', path: '/api/users', role: 'owner',
      handler: async (ctx) => {
        const b = await ctx.json();
        const email = normalEmail(b.email);
        const role = parseRole(b.role);
        const generated = b.password === undefined || b.password === null || b.password === '' ? generatePassword() : null;
        const password = generated ?? checkNewPassword(b.password, min);
        const user = await accounts().add(email, role, await hashPassword(password));
        await audit(ctx, 'user.add', `${email} as ${role}`);
        return { status: 201, json: { user, generatedPassword: generated } };
      },
    },
    {
      method: 'POST', path: '/api/users/role', role: 'owner',
      handler: async (ctx) => {
        const b = await ctx.json();
        const user = await accounts().setRole(normalEmail(b.email), parseRole(b.role));
        d.sessions.setRole(user.id, user.role);
        await audit(ctx, 'user.role', `${user.email} is now ${user.role}`);
        return { json: { user } };
      },
    },
    {
      method: 'DELETE', path: '/api/users', role: 'owner',
      handler: async (ctx) => {
        const user = await accounts().remove(normalEmail(ctx.url.searchParams.get('email')));
        d.sessions.dropUser(user.id);
        await audit(ctx, 'user.remove', user.email);
        return { json: { removed: user.email } };
      },
    },
    {
      method: 'POST', path: '/api/users/invite', role: 'owner',
      handler: async (ctx) => {
        const b = await ctx.json();
        const email = normalEmail(b.email);
        const role = parseRole(b.role);
        if (await accounts().find(email)) throw new AdminError(409, 'user-exists', `there is already an account ${email}`);
        const inv = await invites().create(email, role, ctx.session?.user.email ?? 'unknown', ttlHours(b.hours));
        await audit(ctx, 'user.invite', `${email} as ${role}, until ${inv.expiresAt}`);
        // The token travels in the fragment: browsers never send it, so no proxy log sees it.
        return { status: 201, json: { email, role, expiresAt: inv.expiresAt, path: `/#/invite/${inv.token}` } };
      },
    },
    {
      method: 'POST', path: '/api/invite/peek', public: true,
      handler: async (ctx) => ({ json: await gated(d, ctx, async () => invites().peek(field(await ctx.json(), 'token'))) }),
    },
    {
      method: 'POST', path: '/api/invite/accept', public: true,
      handler: async (ctx) => {
        const b = await ctx.json();
        const password = checkNewPassword(b.password, min);
        const token = field(b, 'token');
        const user = await gated(d, ctx, async () => invites().accept(token, await hashPassword(password)));
        await d.audit.record({ session: { user } }, { action: 'user.accept', detail: `${user.email} as ${user.role}` });
        return startSession(d, ctx, { ...user });
      },
    },
    {
      method: 'POST', path: '/api/account/password', role: 'viewer',
      handler: async (ctx) => {
        const b = await ctx.json();
        const me = ctx.session?.user;
        if (!me || me.transient) throw new AdminError(409, 'no-account', 'this session has no stored account');
        const next = checkNewPassword(b.password, min);
        const account = await accounts().find(me.email);
        if (!account?.hash || typeof b.current !== 'string' || !(await checkPassword(account.hash, b.current)).ok) {
          throw new AdminError(403, 'bad-password', 'the current password is wrong');
        }
        await accounts().setPassword(me.email, await hashPassword(next));
        await audit(ctx, 'user.password', me.email);
        return { json: { changed: true } };
      },
    },
  ];
}
