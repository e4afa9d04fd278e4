"""The catalog change log and the triggers that write it (shop/models/changes.py says what each kind reaches)."""


SQL = """
-- A write to a row of a product's own tables: one change for its product.
CREATE OR REPLACE FUNCTION shop_catalogchange_product() RETURNS trigger AS $$
DECLARE
    row_product integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_product := OLD.product_id;
    ELSE
        row_product := NEW.product_id;
    END IF;
    INSERT INTO shop_catalogchange (product_id, kind) VALUES (row_product, TG_ARGV[0]);
    IF TG_OP = 'UPDATE' AND OLD.product_id IS DISTINCT FROM NEW.product_id THEN
        INSERT INTO shop_catalogchange (product_id, kind) VALUES (OLD.product_id, TG_ARGV[0]);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- The product row itself.
CREATE OR REPLACE FUNCTION shop_catalogchange_product_row() RETURNS trigger AS $$
BEGIN
    INSERT INTO shop_catalogchange (product_id, kind)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, 'listing');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A write to a variant's row (a price): a change for the variant's product.
CREATE OR REPLACE FUNCTION shop_catalogchange_variant_row() RETURNS trigger AS $$
BEGIN
    INSERT INTO shop_catalogchange (product_id, kind)
    SELECT v.product_id, TG_ARGV[0] FROM shop_variant v
    WHERE v.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.variant_id ELSE NEW.variant_id END;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A stock row: 'stock' when it crosses between units free and none (lists show in stock or not), else
-- 'avail' (product pages show the units).
CREATE OR REPLACE FUNCTION shop_catalogchange_stock() RETURNS trigger AS $$
DECLARE
    kind text := 'stock';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.on_hand = NEW.on_hand AND OLD.reserved = NEW.reserved AND OLD.variant_id = NEW.variant_id THEN
            RETURN NULL;
        END IF;
        IF OLD.variant_id = NEW.variant_id
           AND (OLD.on_hand > OLD.reserved) = (NEW.on_hand > NEW.reserved) THEN
            kind := 'avail';
        END IF;
    END IF;
    INSERT INTO shop_catalogchange (product_id, kind)
    SELECT v.product_id, kind FROM shop_variant v
    WHERE v.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.variant_id ELSE NEW.variant_id END;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A write that reaches every page: one change without a product per statement.
CREATE OR REPLACE FUNCTION shop_catalogchange_everything() RETURNS trigger AS $$
BEGIN
    INSERT INTO shop_catalogchange (product_id, kind) VALUES (NULL, TG_ARGV[0]);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER shop_product_catalogchange AFTER INSERT OR UPDATE OR DELETE ON shop_product
    FOR EACH ROW EXECUTE FUNCTION shop_catalogchange_product_row();
CREATE TRIGGER shop_producttranslation_catalogchange AFTER INSERT OR UPDATE OR DELETE ON shop_producttranslation
    FOR EACH ROW EXECUTE FUNCTION shop_catalogchange_product('text');
CREATE TRIGGER shop_productimage_catalogchange AFTER INSERT OR UPDATE OR DELETE ON shop_productimage
    FOR EACH ROW EXECUTE FUNCTION shop_catalogchange_product('shown');
CREATE TRIGGER shop_variant_catalogchange AFTER INSERT OR UPDATE OR DELETE ON shop_variant
    FOR EACH ROW EXECUTE FUNCTION shop_catalogchange_product('listing');
CREATE TRIGGER shop_productlisting_catalogchange AFTER INSERT OR DELETE ON shop_productlisting
    FOR EACH ROW EXECUTE FUNCTION shop_catalogchange_product('price');
CREATE TRIGGER shop_productlisting_price_catalogchange AFTER UPDATE ON shop_productlisting
    FOR EACH ROW WHEN (OLD.from_price IS DISTINCT FROM NEW.from_price)
    EXECUTE FUNCTION shop_catalogchange_product('price');
CREATE TRIGGER shop_price_catalogchange AFTER INSERT OR UPDATE OR DELETE ON shop_price
    FOR EACH ROW EXECUTE FUNCTION shop_catalogchange_variant_row('price');
CREATE TRIGGER shop_stocklevel_catalogchange AFTER INSERT OR UPDATE OR DELETE ON shop_stocklevel
    FOR EACH ROW EXECUTE FUNCTION shop_catalogchange_stock();
CREATE TRIGGER shop_brand_catalogchange AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shop_brand
    FOR EACH STATEMENT EXECUTE FUNCTION shop_catalogchange_everything('all');
CREATE TRIGGER shop_category_catalogchange AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shop_category
    FOR EACH STATEMENT EXECUTE FUNCTION shop_catalogchange_everything('all');
CREATE TRIGGER shop_manufacturer_catalogchange AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shop_manufacturer
    FOR EACH STATEMENT EXECUTE FUNCTION shop_catalogchange_everything('all');
CREATE TRIGGER shop_brandtranslation_catalogchange AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON shop_brandtranslation FOR EACH STATEMENT EXECUTE FUNCTION shop_catalogchange_everything('all');
CREATE TRIGGER shop_categorytranslation_catalogchange AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON shop_categorytranslation FOR EACH STATEMENT EXECUTE FUNCTION shop_catalogchange_everything('all');
CREATE TRIGGER shop_catalogterm_catalogchange AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shop_catalogterm
    FOR EACH STATEMENT EXECUTE FUNCTION shop_catalogchange_everything('all');
CREATE TRIGGER shop_fxrate_catalogchange AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shop_fxrate
    FOR EACH STATEMENT EXECUTE FUNCTION shop_catalogchange_everything('all');
CREATE TRIGGER shop_product_truncate_catalogchange AFTER TRUNCATE ON shop_product
    FOR EACH STATEMENT EXECUTE FUNCTION shop_catalogchange_everything('all');
"""

TABLES = ["product", "producttranslation", "productimage", "variant", "productlisting", "price", "stocklevel",
          "brand", "category", "manufacturer", "brandtranslation", "categorytranslation", "catalogterm", "fxrate"]
REVERSE = "\\n".join(
    [f"DROP TRIGGER IF EXISTS shop_{table}_catalogchange ON shop_{table};" for table in TABLES]
    + ["DROP TRIGGER IF EXISTS shop_productlisting_price_catalogchange ON shop_productlisting;",
       "DROP TRIGGER IF EXISTS shop_product_truncate_catalogchange ON shop_product;"]
    + [f"DROP FUNCTION IF EXISTS shop_catalogchange_{name}();"
       for name in ("product", "product_row", "variant_row", "stock", "everything")]
)

# Generated by Django 5.2.19 on 2026-11-30 16:04

import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0008_translations'),
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogChange',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('product_id', models.IntegerField(null=True)),
                ('kind', models.CharField(choices=[('shown', 'Shown only (an image)'), ('avail', 'Units available (product pages only; lists show in stock or not)'), ('price', 'Price (also pages ordered or filtered by price)'), ('stock', 'In stock or sold out (also pages filtered by stock)'), ('text', 'Name or description (also searches and pages ordered by name)'), ('listing', 'Listed, unlisted, variants (any list may gain or lose it)'), ('all', 'Every page (brand, category, manufacturer, FX rates, terms)'), ('deal', 'Live deals (pages filtered or faceted by live deal)')], max_length=10)),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
            ],
            options={
                'indexes': [models.Index(fields=['created_at'], name='catalogchange_created')],
            },
        ),        migrations.RunSQL(SQL, REVERSE),
    ]
