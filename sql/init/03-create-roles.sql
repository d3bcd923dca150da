-- PeSquel init 3/3: privileges of the request roles (the seed's 03-create-roles.sql).
GRANT USAGE ON SCHEMA api TO api_anon, api_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON api.todos TO api_anon, api_user;

-- Tell running PeSquel instances to reload their schema cache.
NOTIFY pgrst, 'reload schema';
