-- PeSquel's own objects, version 3: sign-in backoff per account (the submitted email, known or
-- not), shared by every instance over the database. An attempt is counted here before its password
-- is checked (src/auth/service/account-gate.ts), so concurrent guesses cannot outrun the limit.
-- Only the connecting role (authenticator) touches it.
CREATE TABLE IF NOT EXISTS auth.login_attempts (
  account text PRIMARY KEY,
  failures integer NOT NULL,
  blocked_until timestamptz,
  last_at timestamptz NOT NULL
);
REVOKE ALL ON auth.login_attempts FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.login_attempts TO authenticator;
