-- Benchmark fixture, applied after the bundled init SQL (sql/init): owners, 100k todos (the count is
-- substituted for __TODOS__ by bench/stack.ts), comments on the newest half, and a write-only table.
-- Todo n has the key md5('todo' || n)::uuid so that load generators and pgbench can address rows.
CREATE TABLE api.owners (
  id int PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL
);
INSERT INTO api.owners SELECT i, 'owner ' || i, 'owner' || i || '@example.com' FROM generate_series(1, 1000) i;

ALTER TABLE api.todos
  ADD COLUMN owner_id int REFERENCES api.owners(id),
  ADD COLUMN priority int NOT NULL DEFAULT 0;
INSERT INTO api.todos (id, title, completed, created_at, owner_id, priority)
SELECT md5('todo' || i)::uuid, 'todo number ' || i, i % 3 = 0,
       timestamptz '2026-01-01 00:00:00+00' - make_interval(mins => i), 1 + i % 1000, i % 5
FROM generate_series(1, __TODOS__) i;
CREATE INDEX todos_created_at ON api.todos (created_at);
CREATE INDEX todos_owner ON api.todos (owner_id);

CREATE TABLE api.comments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  todo_id uuid NOT NULL REFERENCES api.todos(id),
  body text NOT NULL
);
INSERT INTO api.comments (todo_id, body)
SELECT md5('todo' || i)::uuid, 'comment ' || c || ' on todo ' || i
FROM generate_series(1, __TODOS__ / 2) i, generate_series(1, 2) c;
CREATE INDEX comments_todo ON api.comments (todo_id);

-- POST scenarios write here so that the read fixture keeps its size; truncated between runs.
CREATE TABLE api.activity (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id int NOT NULL REFERENCES api.owners(id),
  title text NOT NULL,
  done boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Same shape of security as api.todos: RLS on, permissive policies, grants to both request roles.
ALTER TABLE api.owners ENABLE ROW LEVEL SECURITY;
ALTER TABLE api.comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE api.activity ENABLE ROW LEVEL SECURITY;
CREATE POLICY owners_read ON api.owners FOR SELECT TO api_anon, api_user USING (true);
CREATE POLICY comments_read ON api.comments FOR SELECT TO api_anon, api_user USING (true);
CREATE POLICY activity_all ON api.activity FOR ALL TO api_anon, api_user USING (true) WITH CHECK (true);
GRANT SELECT ON api.owners, api.comments TO api_anon, api_user;
GRANT SELECT, INSERT, UPDATE ON api.activity TO api_anon, api_user;

-- The nested-insert scenarios (post-nested, bench/nested-insert.ts) write purchases with their items: an
-- existing history, analyzed, as a real database has. Into an empty, never-analyzed table every pooled
-- connection plans its foreign-key check (purchase_items → purchases) as a sequential scan and keeps
-- that cached plan until the statistics change, so each insert got slower as the table grew (ten scans
-- of the whole table per order) and the cell measured the age of the table, not PeSquel.
INSERT INTO api.purchases (title, created_at)
SELECT 'fixture purchase ' || i, timestamptz '2026-01-01 00:00:00+00' - make_interval(mins => i)
FROM generate_series(1, __TODOS__ / 10) i;
INSERT INTO api.purchase_items (purchase_id, sku, qty)
SELECT p.id, 'sku-' || k, 1 + k FROM api.purchases p, generate_series(0, 9) k;

-- The RPC scenario: a small aggregate over one owner's todos.
CREATE FUNCTION api.owner_summary(owner int) RETURNS TABLE (open bigint, done bigint)
LANGUAGE sql STABLE AS $$
  SELECT count(*) FILTER (WHERE NOT completed), count(*) FILTER (WHERE completed)
  FROM api.todos WHERE owner_id = owner
$$;
GRANT EXECUTE ON FUNCTION api.owner_summary(int) TO api_anon, api_user;

ANALYZE;
NOTIFY pgrst, 'reload schema';
