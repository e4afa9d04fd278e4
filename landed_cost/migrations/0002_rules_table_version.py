"""Every write to the customs rule tables moves the 'customs_rules' table version (shop.TableVersion)."""

from django.db import migrations

TABLES = ["orders_importregime", "orders_dutyrule", "orders_taxrate", "orders_customsfxrate", "orders_shippingrate"]
SQL = "".join(f"""
DROP TRIGGER IF EXISTS {table}_version ON {table};
CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION shop_tableversion_bump('customs_rules');
""" for table in TABLES) + """
INSERT INTO shop_tableversion (name, version) VALUES ('customs_rules', nextval('shop_tableversion_seq'))
    ON CONFLICT (name) DO NOTHING;
"""
REVERSE = "".join(f"DROP TRIGGER IF EXISTS {table}_version ON {table};\n" for table in TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ("landed_cost", "0001_initial"),
        ("shop", "0007_tableversion"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
