"""The models moved here from the orders app without moving data: their tables keep their names
(Meta.db_table), so this migration only tells Django's state where they live now."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CustomsFxRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('valid_from', models.DateField()),
                        ('valid_to', models.DateField(blank=True, help_text='Exclusive; empty = still in force.', null=True)),
                        ('source', models.CharField(max_length=500)),
                        ('confidence', models.CharField(choices=[('C', 'Confirmed'), ('S', 'Secondary source'), ('I', 'Inferred'), ('U', 'Unverified'), ('X', 'Sources conflict')], max_length=1)),
                        ('note', models.TextField(blank=True)),
                        ('authority', models.CharField(max_length=10)),
                        ('base', models.CharField(max_length=3)),
                        ('quote', models.CharField(max_length=3)),
                        ('rate', models.DecimalField(decimal_places=10, max_digits=20)),
                    ],
                    options={
                        'db_table': 'orders_customsfxrate',
                        'ordering': ['authority', 'base', 'quote', 'valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='DutyRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('valid_from', models.DateField()),
                        ('valid_to', models.DateField(blank=True, help_text='Exclusive; empty = still in force.', null=True)),
                        ('source', models.CharField(max_length=500)),
                        ('confidence', models.CharField(choices=[('C', 'Confirmed'), ('S', 'Secondary source'), ('I', 'Inferred'), ('U', 'Unverified'), ('X', 'Sources conflict')], max_length=1)),
                        ('note', models.TextField(blank=True)),
                        ('territory', models.CharField(max_length=2)),
                        ('hs_prefix', models.CharField(help_text='The longest matching prefix of the HS code wins.', max_length=10)),
                        ('origin', models.CharField(default='*', help_text='ISO origin country, or * for any.', max_length=2)),
                        ('scheme', models.CharField(choices=[('MFN', 'Most favoured nation / general'), ('RCEP', 'RCEP preference')], default='MFN', max_length=10)),
                        ('kind', models.CharField(choices=[('ad_valorem', 'Percent of customs value'), ('specific', 'Amount per unit'), ('max_of', 'Greater of percent and amount per unit')], max_length=20)),
                        ('rate', models.DecimalField(decimal_places=5, default=0, help_text='Fraction: 0.08 = 8%.', max_digits=7)),
                        ('specific_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                        ('specific_currency', models.CharField(blank=True, max_length=3)),
                        ('specific_unit', models.CharField(blank=True, help_text='pair, item or kg', max_length=10)),
                        ('additional', models.BooleanField(default=False, help_text='Stacks on top of the chosen MFN/RCEP rule.')),
                        ('genders', models.JSONField(blank=True, default=list, help_text='Only for these product genders, if set.')),
                    ],
                    options={
                        'db_table': 'orders_dutyrule',
                        'ordering': ['territory', 'hs_prefix', 'scheme', 'valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='ShippingRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('valid_from', models.DateField()),
                        ('valid_to', models.DateField(blank=True, help_text='Exclusive; empty = still in force.', null=True)),
                        ('source', models.CharField(max_length=500)),
                        ('confidence', models.CharField(choices=[('C', 'Confirmed'), ('S', 'Secondary source'), ('I', 'Inferred'), ('U', 'Unverified'), ('X', 'Sources conflict')], max_length=1)),
                        ('note', models.TextField(blank=True)),
                        ('territory', models.CharField(max_length=2)),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=10)),
                        ('currency', models.CharField(max_length=3)),
                        ('per_extra_kg', models.DecimalField(decimal_places=2, default=0, max_digits=10)),
                        ('included_kg', models.DecimalField(decimal_places=3, default=1, max_digits=6)),
                    ],
                    options={
                        'db_table': 'orders_shippingrate',
                        'ordering': ['territory', 'valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='TaxRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('valid_from', models.DateField()),
                        ('valid_to', models.DateField(blank=True, help_text='Exclusive; empty = still in force.', null=True)),
                        ('source', models.CharField(max_length=500)),
                        ('confidence', models.CharField(choices=[('C', 'Confirmed'), ('S', 'Secondary source'), ('I', 'Inferred'), ('U', 'Unverified'), ('X', 'Sources conflict')], max_length=1)),
                        ('note', models.TextField(blank=True)),
                        ('country', models.CharField(max_length=2)),
                        ('name', models.CharField(default='VAT', max_length=20)),
                        ('rate', models.DecimalField(decimal_places=4, max_digits=6)),
                    ],
                    options={
                        'db_table': 'orders_taxrate',
                        'ordering': ['country', 'valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='ImportRegime',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('valid_from', models.DateField()),
                        ('valid_to', models.DateField(blank=True, help_text='Exclusive; empty = still in force.', null=True)),
                        ('source', models.CharField(max_length=500)),
                        ('confidence', models.CharField(choices=[('C', 'Confirmed'), ('S', 'Secondary source'), ('I', 'Inferred'), ('U', 'Unverified'), ('X', 'Sources conflict')], max_length=1)),
                        ('note', models.TextField(blank=True)),
                        ('territory', models.CharField(help_text='ISO country code, or EU for the Union.', max_length=2)),
                        ('code', models.CharField(max_length=30)),
                        ('threshold_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('threshold_currency', models.CharField(blank=True, max_length=3)),
                        ('threshold_basis', models.CharField(blank=True, choices=[('intrinsic', 'Intrinsic value (goods, no transport)'), ('customs_value', 'Customs value (per the value basis)')], max_length=20)),
                        ('value_basis', models.CharField(choices=[('CIF', 'CIF: goods + transport to the border'), ('FOB', 'FOB: goods only')], max_length=3)),
                        ('duty_mode', models.CharField(choices=[('rules', 'Duty by tariff rules'), ('relief', 'No duty (low-value relief)'), ('flat_per_subheading', 'Flat amount per distinct subheading')], max_length=30)),
                        ('flat_duty_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                        ('flat_duty_currency', models.CharField(blank=True, max_length=3)),
                        ('vat_base', models.CharField(choices=[('sale_price', 'Price charged to the buyer (goods + shipping + duty)'), ('cv_plus_duty', 'Customs value + duty'), ('none', 'No VAT/GST collected')], max_length=20)),
                        ('collection', models.CharField(choices=[('DDP', 'DDP: collected at checkout'), ('DAP', 'DAP: buyer pays on delivery')], default='DDP', max_length=3)),
                        ('excluded_hs_prefixes', models.JSONField(blank=True, default=list, help_text='Goods never covered by this low-value regime.')),
                        ('rounding', models.CharField(choices=[('half_up', 'Half up to the minor unit'), ('jp_customs', 'Japan: truncations of Customs Answer 1111')], default='half_up', max_length=20)),
                        ('currency', models.CharField(help_text='Currency customs assesses in.', max_length=3)),
                    ],
                    options={
                        'db_table': 'orders_importregime',
                        'ordering': ['territory', 'threshold_amount', 'valid_from'],
                        'constraints': [models.UniqueConstraint(fields=('territory', 'code', 'valid_from'), name='regime_unique'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gt', models.F('valid_from')), _connector='OR'), name='regime_dates_ordered')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
