-- PeSquel production stack: anonymous clients may read the example orders (sql/init/06-orders.sql)
-- but not change them; signed-in users (api_user) may. Applied after sql/init/ on a new volume.
REVOKE INSERT, UPDATE, DELETE ON api.orders, api.order_lines FROM api_anon;

NOTIFY pgrst, 'reload schema';
