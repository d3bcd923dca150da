// The roles PeSquel may switch to: those the connecting role is a member of, and itself.
// Privileges in the schema cache are computed for each of them.
export const switchableRolesSql = /* sql */ `
  SELECT r.oid, r.rolname FROM pg_roles r
  WHERE pg_has_role(current_user, r.oid, 'MEMBER') OR r.rolname = current_user
`;
