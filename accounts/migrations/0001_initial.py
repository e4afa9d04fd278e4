"""The models moved here from the orders app without moving data: their tables keep their names
(Meta.db_table), so this migration only tells Django's state where they live now."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BuyerProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('full_name', models.CharField(blank=True, max_length=150)),
                        ('preferred_currency', models.CharField(default='USD', max_length=3)),
                        ('language', models.CharField(default='en', max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='buyer_profile', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'orders_buyerprofile',
                    },
                ),
                migrations.CreateModel(
                    name='Address',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('full_name', models.CharField(max_length=150)),
                        ('line1', models.CharField(max_length=200)),
                        ('line2', models.CharField(blank=True, max_length=200)),
                        ('city', models.CharField(max_length=100)),
                        ('region', models.CharField(blank=True, help_text='State, province or prefecture.', max_length=100)),
                        ('postal_code', models.CharField(max_length=12)),
                        ('country', models.CharField(max_length=2)),
                        ('phone', models.CharField(blank=True, max_length=30)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('buyer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addresses', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'orders_address',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('country__regex', '^[A-Z]{2}$')), name='address_country_iso')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
