-- PeSquel's own objects, version 1: the roles (the seed's 01-init-db.sql). Idempotent: an older
-- database that has them already is upgraded without change.
-- authenticator: the role PeSquel connects as (LOGIN, NOINHERIT: it holds no privileges of
-- its own and only switches to the request roles below, per transaction).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticator') THEN
    CREATE ROLE authenticator LOGIN NOINHERIT NOCREATEDB NOCREATEROLE NOSUPERUSER;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'api_anon') THEN
    CREATE ROLE api_anon NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'api_user') THEN
    CREATE ROLE api_user NOLOGIN NOINHERIT;
  END IF;
END
$$;

GRANT api_anon TO authenticator;
GRANT api_user TO authenticator;
