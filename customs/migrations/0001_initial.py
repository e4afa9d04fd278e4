"""The models moved here from the orders app without moving data: their tables keep their names
(Meta.db_table), so this migration only tells Django's state where they live now."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orders', '0012_split_into_apps'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CustomsDeclaration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('message_type', models.CharField(choices=[('CEB303', 'CEB303 order'), ('CEB505', 'CEB505 waybill'), ('CEB603', 'CEB603 export inventory list'), ('CEB701', 'CEB701 summary declaration')], max_length=6)),
                        ('generation', models.PositiveSmallIntegerField(default=1, help_text='Resubmissions count up.')),
                        ('guid', models.CharField(max_length=36, unique=True)),
                        ('business_no', models.CharField(help_text='orderNo, logisticsNo or copNo of the message.', max_length=60)),
                        ('status', models.CharField(choices=[('invalid', 'Invalid: fix the data and resubmit'), ('ready', 'Built and validated'), ('sent', 'Sent'), ('accepted', 'Accepted by customs'), ('released', 'Released (800)'), ('rejected', 'Rejected: correct and resubmit')], default='ready', max_length=20)),
                        ('xml', models.TextField(blank=True)),
                        ('validation_error', models.TextField(blank=True)),
                        ('destination_data', models.JSONField(blank=True, default=dict, help_text="The destination's low-value data set (EU H7-style etc.).")),
                        ('transport_ref', models.CharField(blank=True, max_length=500)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('period', models.CharField(blank=True, help_text='YYYY-MM for monthly summaries.', max_length=7)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('shipment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='declarations', to='orders.shipment')),
                    ],
                    options={
                        'db_table': 'orders_customsdeclaration',
                        'ordering': ['shipment_id', 'message_type', 'generation'],
                    },
                ),
                migrations.CreateModel(
                    name='DeclarationReceipt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('return_status', models.IntegerField()),
                        ('return_time', models.CharField(max_length=17)),
                        ('return_info', models.TextField(blank=True)),
                        ('received_at', models.DateTimeField(auto_now_add=True)),
                        ('declaration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='receipts', to='customs.customsdeclaration')),
                    ],
                    options={
                        'db_table': 'orders_declarationreceipt',
                        'ordering': ['received_at', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='customsdeclaration',
                    constraint=models.UniqueConstraint(condition=models.Q(('shipment__isnull', False)), fields=('shipment', 'message_type', 'generation'), name='declaration_once_per_generation'),
                ),
                migrations.AddConstraint(
                    model_name='customsdeclaration',
                    constraint=models.UniqueConstraint(condition=models.Q(('message_type', 'CEB701')), fields=('period',), name='summary_once_per_period'),
                ),
                migrations.AddConstraint(
                    model_name='declarationreceipt',
                    constraint=models.UniqueConstraint(fields=('declaration', 'return_status', 'return_time'), name='receipt_once'),
                ),
            ],
            database_operations=[],
        ),
    ]
