-- PeSquel init 2/3: the exposed `api` schema and the seed's todos table with row-level security.
CREATE SCHEMA IF NOT EXISTS api;

CREATE TABLE IF NOT EXISTS api.todos (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL,
  completed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE api.todos IS 'Things to do. Anonymous clients may read, create, update and delete them.';

ALTER TABLE api.todos ENABLE ROW LEVEL SECURITY;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'api' AND tablename = 'todos' AND policyname = 'Allow anonymous read') THEN
    CREATE POLICY "Allow anonymous read" ON api.todos FOR SELECT TO api_anon, api_user USING (true);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'api' AND tablename = 'todos' AND policyname = 'Allow anonymous insert') THEN
    CREATE POLICY "Allow anonymous insert" ON api.todos FOR INSERT TO api_anon, api_user WITH CHECK (true);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'api' AND tablename = 'todos' AND policyname = 'Allow anonymous update') THEN
    CREATE POLICY "Allow anonymous update" ON api.todos FOR UPDATE TO api_anon, api_user USING (true) WITH CHECK (true);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'api' AND tablename = 'todos' AND policyname = 'Allow anonymous delete') THEN
    CREATE POLICY "Allow anonymous delete" ON api.todos FOR DELETE TO api_anon, api_user USING (true);
  END IF;
END
$$;
