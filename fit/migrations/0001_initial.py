"""The models moved here from the orders app without moving data: their tables keep their names
(Meta.db_table), so this migration only tells Django's state where they live now."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orders', '0012_split_into_apps'),
        ('shop', '0005_priceevent_stocklevelevent_price_insert_insert_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FitReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('verdict', models.CharField(choices=[('too_small', 'Too small'), ('right', 'Right'), ('too_large', 'Too large'), ('too_narrow', 'Too narrow'), ('too_wide', 'Too wide')], max_length=12)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('order_line', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='fit_report', to='orders.orderline')),
                        ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='shop.product')),
                    ],
                    options={
                        'db_table': 'orders_fitreport',
                        'constraints': [models.CheckConstraint(condition=models.Q(('verdict__in', ['too_small', 'right', 'too_large', 'too_narrow', 'too_wide'])), name='fit_verdict_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='FootProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(default='Me', max_length=60)),
                        ('gender', models.CharField(choices=[('men', 'Men'), ('women', 'Women')], default='men', max_length=10)),
                        ('left_length_mm', models.PositiveSmallIntegerField()),
                        ('right_length_mm', models.PositiveSmallIntegerField()),
                        ('left_girth_mm', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('right_girth_mm', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('method', models.CharField(choices=[('tape', 'Tape and paper'), ('scanner', '3D foot scanner'), ('app', 'Phone app'), ('shoe', 'From a shoe that fits')], default='tape', max_length=10)),
                        ('measured_on', models.DateField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('buyer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='foot_profiles', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'orders_footprofile',
                        'ordering': ['buyer_id', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('left_length_mm__gte', 100), ('left_length_mm__lte', 350), ('right_length_mm__gte', 100), ('right_length_mm__lte', 350)), name='foot_length_human'), models.CheckConstraint(condition=models.Q(models.Q(('left_girth_mm__isnull', True), models.Q(('left_girth_mm__gte', 150), ('left_girth_mm__lte', 350)), _connector='OR'), models.Q(('right_girth_mm__isnull', True), models.Q(('right_girth_mm__gte', 150), ('right_girth_mm__lte', 350)), _connector='OR')), name='foot_girth_human')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
