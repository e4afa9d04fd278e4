"""The models moved here from the orders app without moving data: their tables keep their names
(Meta.db_table), so this migration only tells Django's state where they live now."""

import django.db.models.manager
from django.db import migrations


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('pghistory', '0007_auto_20250421_0444'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                    ],
                    options={
                        'verbose_name': 'audit event',
                        'verbose_name_plural': 'audit trail',
                        'proxy': True,
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=('pghistory.events',),
                    managers=[
                        ('no_objects', django.db.models.manager.Manager()),
                    ],
                ),
            ],
            database_operations=[],
        ),
    ]
