"""Buyers keep a preferred size system, and their language becomes one of the catalog's languages.

The language column took any text of up to 10 characters: a stored tag with a region (`de-DE`, `zh_CN`) keeps
its language, anything else (`pt`, ``, junk) becomes English, the default, before the check is added."""

from django.conf import settings
from django.db import migrations, models

# A frozen copy of the catalog's languages this migration was written with.
LANGUAGES = ("en", "de", "fr", "es", "it", "ja", "ko", "zh")


def languages_to_catalog_codes(apps, schema_editor):
    profile_model = apps.get_model("accounts", "BuyerProfile")
    for stored in profile_model.objects.exclude(language__in=LANGUAGES).values_list("language", flat=True).distinct():
        primary = stored.strip().replace("_", "-").split("-", 1)[0].lower()
        profile_model.objects.filter(language=stored).update(language=primary if primary in LANGUAGES else "en")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_account_names_normalise'),
        ('orders', '0012_split_into_apps'),  # the table was created by orders before the app split
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='buyerprofile',
            name='size_system',
            field=models.CharField(choices=[('EU', 'EU (Paris point)'), ('UK', 'UK'), ('US_M', 'US men'), ('US_W', 'US women'), ('JP', 'JP (cm)'), ('CN', 'CN / Mondopoint (mm)')], default='EU', help_text='Size recommendations answer in this system unless asked for another.', max_length=10),
        ),
        migrations.AlterField(
            model_name='buyerprofile',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('de', 'Deutsch'), ('fr', 'Français'), ('es', 'Español'), ('it', 'Italiano'), ('ja', '日本語'), ('ko', '한국어'), ('zh', '中文')], default='en', help_text='The catalog answers in this language unless a request asks for another.', max_length=10),
        ),
        migrations.RunPython(languages_to_catalog_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='buyerprofile',
            constraint=models.CheckConstraint(condition=models.Q(('language__in', ['en', 'de', 'fr', 'es', 'it', 'ja', 'ko', 'zh'])), name='buyer_profile_language_valid'),
        ),
        migrations.AddConstraint(
            model_name='buyerprofile',
            constraint=models.CheckConstraint(condition=models.Q(('size_system__in', ['EU', 'UK', 'US_M', 'US_W', 'JP', 'CN'])), name='buyer_profile_size_system_valid'),
        ),
    ]
