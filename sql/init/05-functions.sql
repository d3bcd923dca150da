-- PeSquel init 5: two example functions, called as /rpc/add and /rpc/search_todos (README).
CREATE OR REPLACE FUNCTION api.add(a integer, b integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
COMMENT ON FUNCTION api.add(integer, integer) IS 'Adds two numbers: POST /rpc/add {"a":1,"b":2}.';

CREATE OR REPLACE FUNCTION api.search_todos(q text) RETURNS SETOF api.todos
LANGUAGE sql STABLE AS $$
  SELECT * FROM api.todos WHERE title ILIKE '%' || q || '%'
$$;
COMMENT ON FUNCTION api.search_todos(text) IS 'Todos whose title contains q (any case): GET /rpc/search_todos?q=milk.';

GRANT EXECUTE ON FUNCTION api.add(integer, integer), api.search_todos(text) TO api_anon, api_user;

NOTIFY pgrst, 'reload schema';
