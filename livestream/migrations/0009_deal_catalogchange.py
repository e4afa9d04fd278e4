"""A flash deal launched, moved, ended or sold out moves the catalog's live-deal answers (shop/models/changes.py,
kind 'deal'); the units it sells one by one do not."""

from django.db import migrations

SQL = """
CREATE TRIGGER livestream_flashdeal_catalogchange AFTER INSERT OR DELETE
    ON livestream_flashdeal FOR EACH ROW EXECUTE FUNCTION shop_catalogchange_everything('deal');
CREATE TRIGGER livestream_flashdeal_window_catalogchange AFTER UPDATE ON livestream_flashdeal FOR EACH ROW
    WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.ends_at IS DISTINCT FROM NEW.ends_at
          OR OLD.ended_early_at IS DISTINCT FROM NEW.ended_early_at OR (OLD.remaining > 0) <> (NEW.remaining > 0))
    EXECUTE FUNCTION shop_catalogchange_everything('deal');
"""
REVERSE = """
DROP TRIGGER IF EXISTS livestream_flashdeal_catalogchange ON livestream_flashdeal;
DROP TRIGGER IF EXISTS livestream_flashdeal_window_catalogchange ON livestream_flashdeal;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("livestream", "0008_deal_waitlist"),
        ("shop", "0009_catalogchange"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
