"""Catalog terms are kept per process (shop/translations.py): every write to them moves the 'catalog_terms'
version, whatever writes it (the admin, the demo data, a shell)."""

from django.db import migrations

SQL = """
DROP TRIGGER IF EXISTS shop_catalogterm_version ON shop_catalogterm;
CREATE TRIGGER shop_catalogterm_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shop_catalogterm
    FOR EACH STATEMENT EXECUTE FUNCTION shop_tableversion_bump('catalog_terms');
INSERT INTO shop_tableversion (name, version) VALUES ('catalog_terms', nextval('shop_tableversion_seq'))
    ON CONFLICT (name) DO NOTHING;
"""
REVERSE = """
DROP TRIGGER IF EXISTS shop_catalogterm_version ON shop_catalogterm;
DELETE FROM shop_tableversion WHERE name = 'catalog_terms';
"""


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0010_product_search'),
    ]

    operations = [
        migrations.RunSQL(SQL, REVERSE),
    ]
