from django.db import migrations

# The ledger is append-only in the database too: no role the application uses can rewrite history.
SQL = """
CREATE OR REPLACE FUNCTION orders_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'orders_ledgerentry is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS orders_ledger_no_update ON orders_ledgerentry;
CREATE TRIGGER orders_ledger_no_update BEFORE UPDATE OR DELETE ON orders_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION orders_ledger_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS orders_ledger_no_update ON orders_ledgerentry;
DROP FUNCTION IF EXISTS orders_ledger_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_customs")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
