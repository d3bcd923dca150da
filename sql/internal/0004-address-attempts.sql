-- PeSquel's own objects, version 4: the per-address limit on auth attempts (auth-rate-limit-ip), a
-- fixed one-minute window per client address, shared by every worker process and every instance over
-- the database (src/auth/service/rate-limit.ts). Only the connecting role (authenticator) touches it.
CREATE TABLE IF NOT EXISTS auth.address_attempts (
  address text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL
);
REVOKE ALL ON auth.address_attempts FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.address_attempts TO authenticator;
