-- PeSquel production stack: anonymous clients may read the example purchases (sql/init/06-purchases.sql)
-- but not change them; signed-in users (api_user) may. Applied after sql/init/ on a new volume.
REVOKE INSERT, UPDATE, DELETE ON api.purchases, api.purchase_items FROM api_anon;

NOTIFY pgrst, 'reload schema';
