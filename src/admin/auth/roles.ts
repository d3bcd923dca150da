// Admin roles and the one guard every admin route passes: viewer < editor < owner. server.ts
// checks each route's `role` (default: viewer for GET, editor for anything else) before its handler.
import { AdminError } from '../errors.js';
import type { Handler } from '../http-kit.js';

export const adminRoles = ['viewer', 'editor', 'owner'] as const;
export type AdminRole = (typeof adminRoles)[number];

export const isAdminRole = (v: unknown): v is AdminRole => typeof v === 'string' && (adminRoles as readonly string[]).includes(v);

/** True when `have` may do what needs `need` (an owner may do everything an editor may, …). */
export const allows = (have: AdminRole, need: AdminRole) => adminRoles.indexOf(have) >= adminRoles.indexOf(need);

/** The role a route needs: its own `role`, else viewer to read (GET) and editor to change anything. */
export const neededRole = (route: { readonly method: string; readonly role?: AdminRole }): AdminRole =>
  route.role ?? (route.method === 'GET' ? 'viewer' : 'editor');

/** Throws 403 unless `have` allows `need`. */
export function assertRole(have: AdminRole | undefined, need: AdminRole): void {
  if (!have || !allows(have, need)) throw new AdminError(403, 'forbidden', `this needs the ${need} role (you are ${have ?? 'signed out'})`);
}

/**
 * A handler that checks the role itself, for a route whose need depends on its input
 * (`requireRole('owner', handler)`); plain routes set `role` instead.
 */
export function requireRole(need: AdminRole, handler: Handler): Handler {
  return (ctx) => {
    assertRole(ctx.session?.user.role, need);
    return handler(ctx);
  };
}

export function parseRole(v: unknown): AdminRole {
  if (!isAdminRole(v)) throw new AdminError(400, 'bad-role', 'role must be owner, editor or viewer');
  return v;
}
