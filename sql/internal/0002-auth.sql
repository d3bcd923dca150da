-- PeSquel's own objects, version 2: the built-in auth service's private `auth` schema (users,
-- sessions, refresh tokens, signing keys). Idempotent: databases made before PeSquel versioned its
-- objects may have it already. Only the connecting role (authenticator) touches the auth tables; request roles
-- get nothing but auth.uid(), and the auth schema is never exposed through the API.
CREATE SCHEMA IF NOT EXISTS auth;
REVOKE ALL ON SCHEMA auth FROM PUBLIC;

CREATE TABLE IF NOT EXISTS auth.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  -- Server-side role mapping; NULL means auth-default-role. Never taken from a client.
  role text CHECK (role IS NULL OR length(role) BETWEEN 1 AND 63),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON auth.users (email);

CREATE TABLE IF NOT EXISTS auth.sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_reason text,
  user_agent text,
  ip text
);
CREATE INDEX IF NOT EXISTS sessions_user_id_idx ON auth.sessions (user_id);

-- Opaque refresh tokens, stored as SHA-256 hex; used_at marks a spent one (reuse revokes the session).
CREATE TABLE IF NOT EXISTS auth.refresh_tokens (
  token_hash text PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX IF NOT EXISTS refresh_tokens_session_id_idx ON auth.refresh_tokens (session_id);

-- Asymmetric signing keys, rotated by PeSquel; the public halves are served at /.well-known/jwks.json.
CREATE TABLE IF NOT EXISTS auth.signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  private_jwk text NOT NULL,
  public_jwk text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The user id of the request's JWT (claim sub), NULL when absent or not a uuid.
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN s::uuid END
  FROM (SELECT nullif(current_setting('request.jwt.claims', true), '')::json ->> 'sub' AS s) c
$$;
REVOKE ALL ON FUNCTION auth.uid() FROM PUBLIC;

GRANT USAGE ON SCHEMA auth TO authenticator, api_anon, api_user;
GRANT EXECUTE ON FUNCTION auth.uid() TO api_anon, api_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.users, auth.sessions, auth.refresh_tokens, auth.signing_keys TO authenticator;
