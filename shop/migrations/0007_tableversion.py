"""TableVersion and its trigger function; the FX rates table moves the 'fx_rates' version on every write."""

from django.db import migrations, models

SQL = """
CREATE SEQUENCE IF NOT EXISTS shop_tableversion_seq;
CREATE OR REPLACE FUNCTION shop_tableversion_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO shop_tableversion (name, version) VALUES (TG_ARGV[0], nextval('shop_tableversion_seq'))
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS shop_fxrate_version ON shop_fxrate;
CREATE TRIGGER shop_fxrate_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shop_fxrate
    FOR EACH STATEMENT EXECUTE FUNCTION shop_tableversion_bump('fx_rates');
INSERT INTO shop_tableversion (name, version) VALUES ('fx_rates', nextval('shop_tableversion_seq'))
    ON CONFLICT (name) DO NOTHING;
"""
REVERSE = """
DROP TRIGGER IF EXISTS shop_fxrate_version ON shop_fxrate;
DROP FUNCTION IF EXISTS shop_tableversion_bump();
DROP SEQUENCE IF EXISTS shop_tableversion_seq;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0006_warehouse_code_unique_per_manufacturer'),
    ]

    operations = [
        migrations.CreateModel(
            name='TableVersion',
            fields=[
                ('name', models.CharField(max_length=40, primary_key=True, serialize=False)),
                ('version', models.BigIntegerField()),
            ],
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
