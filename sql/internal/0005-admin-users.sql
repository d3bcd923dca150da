-- PeSquel's own objects, version 5: the admin UI's accounts (roles owner, editor, viewer), its
-- one-time invitations and the audit log of every change made through it, in the admin's private
-- schema `pesquel_admin` (never exposed by the API; PUBLIC has no access). Idempotent: the admin
-- UI applies this file itself when it starts on a database where it is missing.
CREATE SCHEMA IF NOT EXISTS pesquel_admin;
REVOKE ALL ON SCHEMA pesquel_admin FROM PUBLIC;

-- password_hash: argon2id (or the scrypt hash of the single password before accounts, upgraded
-- at the first sign-in); NULL for an account that signs in only through the JWT issuer.
CREATE TABLE IF NOT EXISTS pesquel_admin.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 1 AND 254),
  role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of an invitation's token is kept: the link itself is shown once.
CREATE TABLE IF NOT EXISTS pesquel_admin.invites (
  token_hash text PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 1 AND 254),
  role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE TABLE IF NOT EXISTS pesquel_admin.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  actor_role text NOT NULL,
  action text NOT NULL,
  sql text,
  rows_affected bigint,
  ok boolean NOT NULL DEFAULT true,
  detail text
);
CREATE INDEX IF NOT EXISTS audit_log_at_idx ON pesquel_admin.audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_actor_idx ON pesquel_admin.audit_log (actor, at);
