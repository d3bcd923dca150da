-- PeSquel production stack: anonymous clients may read api.todos but not change it; writes need a
-- signed-in user (api_user, from the auth service's tokens). Applied by the stack's PostgreSQL init
-- hook after sql/init/ on a new volume. Development (`pesquel start`) keeps the seed's open examples.
REVOKE INSERT, UPDATE, DELETE ON api.todos FROM api_anon;
COMMENT ON TABLE api.todos IS 'Things to do. Anyone may read them; signed-in users may create, update and delete them.';

NOTIFY pgrst, 'reload schema';
