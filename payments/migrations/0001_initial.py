"""The models moved here from the orders app without moving data: their tables keep their names
(Meta.db_table), so this migration only tells Django's state where they live now."""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orders', '0012_split_into_apps'),
        ('pghistory', '0007_auto_20250421_0444'),
        ('shop', '0005_priceevent_stocklevelevent_price_insert_insert_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WebhookEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event_id', models.CharField(max_length=255, unique=True)),
                        ('type', models.CharField(max_length=100)),
                        ('object_id', models.CharField(blank=True, max_length=255)),
                        ('payload', models.JSONField()),
                        ('received_at', models.DateTimeField(auto_now_add=True)),
                        ('processed_at', models.DateTimeField(blank=True, null=True)),
                        ('outcome', models.TextField(blank=True)),
                    ],
                    options={
                        'db_table': 'orders_webhookevent',
                        'ordering': ['-received_at'],
                    },
                ),
                migrations.CreateModel(
                    name='LedgerEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('charge', 'Charge captured'), ('manufacturer_payable', 'Owed to manufacturer'), ('platform_fee', 'Platform fee'), ('host_commission', 'Owed to live host'), ('duties_taxes', 'Duties and taxes collected'), ('shipping', 'Shipping collected'), ('refund', 'Refund to buyer'), ('transfer', 'Transfer to connected account'), ('transfer_reversal', 'Transfer reversal')], max_length=30)),
                        ('host_id', models.BigIntegerField(blank=True, null=True)),
                        ('amount', models.DecimalField(decimal_places=3, help_text='Signed: refunds are negative.', max_digits=14)),
                        ('currency', models.CharField(max_length=3)),
                        ('stripe_object_id', models.CharField(blank=True, max_length=255)),
                        ('memo', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('manufacturer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='shop.manufacturer')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ledger_entries', to='orders.order')),
                    ],
                    options={
                        'verbose_name_plural': 'ledger entries',
                        'db_table': 'orders_ledgerentry',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Payment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('creating', 'Creating'), ('requires_action', 'Awaiting the buyer'), ('processing', 'Processing'), ('authorized', 'Authorised, awaiting capture'), ('succeeded', 'Succeeded'), ('failed', 'Failed'), ('canceled', 'Canceled')], default='creating', max_length=20)),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=14)),
                        ('currency', models.CharField(max_length=3)),
                        ('amount_minor', models.BigIntegerField(help_text="What Stripe charges, in the currency's minor unit.")),
                        ('idempotency_key', models.CharField(max_length=255, unique=True)),
                        ('intent_id', models.CharField(blank=True, max_length=255, null=True, unique=True)),
                        ('client_secret', models.CharField(blank=True, max_length=255)),
                        ('charge_id', models.CharField(blank=True, max_length=255)),
                        ('last_error', models.TextField(blank=True)),
                        ('succeeded_at', models.DateTimeField(blank=True, null=True)),
                        ('captured_amount', models.DecimalField(blank=True, decimal_places=3, help_text='What was charged: the total, or less after a partial capture.', max_digits=14, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('order', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='payment', to='orders.order')),
                    ],
                    options={
                        'db_table': 'orders_payment',
                    },
                ),
                migrations.CreateModel(
                    name='Payout',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('recipient_kind', models.CharField(choices=[('manufacturer', 'Manufacturer'), ('host', 'Live host')], max_length=20)),
                        ('host_id', models.BigIntegerField(blank=True, null=True)),
                        ('destination_account', models.CharField(blank=True, max_length=64)),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=14)),
                        ('currency', models.CharField(max_length=3)),
                        ('amount_minor', models.BigIntegerField()),
                        ('reversed_amount', models.DecimalField(decimal_places=3, default=0, max_digits=14)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('awaiting_account', 'Awaiting payout account'), ('paid', 'Paid'), ('failed', 'Failed')], default='pending', max_length=20)),
                        ('idempotency_key', models.CharField(max_length=255, unique=True)),
                        ('stripe_transfer_id', models.CharField(blank=True, max_length=255)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('paid_at', models.DateTimeField(blank=True, null=True)),
                        ('manufacturer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payouts', to='shop.manufacturer')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payouts', to='orders.order')),
                    ],
                    options={
                        'db_table': 'orders_payout',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='PayoutEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('recipient_kind', models.CharField(choices=[('manufacturer', 'Manufacturer'), ('host', 'Live host')], max_length=20)),
                        ('host_id', models.BigIntegerField(blank=True, null=True)),
                        ('destination_account', models.CharField(blank=True, max_length=64)),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=14)),
                        ('currency', models.CharField(max_length=3)),
                        ('amount_minor', models.BigIntegerField()),
                        ('reversed_amount', models.DecimalField(decimal_places=3, default=0, max_digits=14)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('awaiting_account', 'Awaiting payout account'), ('paid', 'Paid'), ('failed', 'Failed')], default='pending', max_length=20)),
                        ('idempotency_key', models.CharField(max_length=255)),
                        ('stripe_transfer_id', models.CharField(blank=True, max_length=255)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('paid_at', models.DateTimeField(blank=True, null=True)),
                        ('manufacturer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='shop.manufacturer')),
                        ('order', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='orders.order')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='payments.payout')),
                    ],
                    options={
                        'db_table': 'orders_payoutevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Refund',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=14)),
                        ('currency', models.CharField(max_length=3)),
                        ('amount_minor', models.BigIntegerField()),
                        ('reason', models.TextField()),
                        ('status', models.CharField(choices=[('requested', 'Requested'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='requested', max_length=20)),
                        ('idempotency_key', models.CharField(max_length=255, unique=True)),
                        ('stripe_refund_id', models.CharField(blank=True, max_length=255)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('completed_at', models.DateTimeField(blank=True, null=True)),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='refunds', to='orders.order')),
                        ('payment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='refunds', to='payments.payment')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'orders_refund',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='RefundEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=14)),
                        ('currency', models.CharField(max_length=3)),
                        ('amount_minor', models.BigIntegerField()),
                        ('reason', models.TextField()),
                        ('status', models.CharField(choices=[('requested', 'Requested'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='requested', max_length=20)),
                        ('idempotency_key', models.CharField(max_length=255)),
                        ('stripe_refund_id', models.CharField(blank=True, max_length=255)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('completed_at', models.DateTimeField(blank=True, null=True)),
                        ('order', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='orders.order')),
                        ('payment', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='payments.payment')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='payments.refund')),
                        ('requested_by', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'orders_refundevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='RefundLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quantity', models.PositiveIntegerField()),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=14)),
                        ('restock', models.BooleanField(default=False, help_text='Units not yet shipped go back on sale.')),
                        ('fit_reason', models.CharField(blank=True, help_text='Returned because it did not fit: too_small, too_large, too_narrow...', max_length=12)),
                        ('order_line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='refund_lines', to='orders.orderline')),
                        ('refund', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='payments.refund')),
                    ],
                    options={
                        'db_table': 'orders_refundline',
                    },
                ),
                migrations.AddConstraint(
                    model_name='payment',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['creating', 'requires_action', 'processing', 'authorized', 'succeeded', 'failed', 'canceled'])), name='payment_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='payment',
                    constraint=models.CheckConstraint(condition=models.Q(('amount_minor__gt', 0)), name='payment_amount_positive'),
                ),
                migrations.AddConstraint(
                    model_name='payout',
                    constraint=models.UniqueConstraint(condition=models.Q(('recipient_kind', 'manufacturer')), fields=('order', 'manufacturer'), name='payout_one_per_manufacturer'),
                ),
                migrations.AddConstraint(
                    model_name='payout',
                    constraint=models.UniqueConstraint(condition=models.Q(('recipient_kind', 'host')), fields=('order', 'host_id'), name='payout_one_per_host'),
                ),
                migrations.AddConstraint(
                    model_name='payout',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='payout_amount_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='refund',
                    constraint=models.CheckConstraint(condition=models.Q(('amount_minor__gt', 0)), name='refund_amount_positive'),
                ),
                migrations.AddConstraint(
                    model_name='refund',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['requested', 'succeeded', 'failed'])), name='refund_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='refundline',
                    constraint=models.CheckConstraint(condition=models.Q(('quantity__gte', 1)), name='refundline_quantity_positive'),
                ),
            ],
            database_operations=[],
        ),
        # The audit triggers are named after the model's app: install them under the new names (the old
        # ones were dropped by orders.0012).
        pgtrigger.migrations.AddTrigger(
            model_name='payout',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "orders_payoutevent" ("amount", "amount_minor", "created_at", "currency", "destination_account", "error", "host_id", "id", "idempotency_key", "manufacturer_id", "order_id", "paid_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recipient_kind", "reversed_amount", "status", "stripe_transfer_id") VALUES (NEW."amount", NEW."amount_minor", NEW."created_at", NEW."currency", NEW."destination_account", NEW."error", NEW."host_id", NEW."id", NEW."idempotency_key", NEW."manufacturer_id", NEW."order_id", NEW."paid_at", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recipient_kind", NEW."reversed_amount", NEW."status", NEW."stripe_transfer_id"); RETURN NULL;', hash='91b1a2405c0bd5b721b27bd5da29dd965bd03cee', operation='INSERT', pgid='pgtrigger_insert_insert_991c8', table='orders_payout', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='payout',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "orders_payoutevent" ("amount", "amount_minor", "created_at", "currency", "destination_account", "error", "host_id", "id", "idempotency_key", "manufacturer_id", "order_id", "paid_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recipient_kind", "reversed_amount", "status", "stripe_transfer_id") VALUES (NEW."amount", NEW."amount_minor", NEW."created_at", NEW."currency", NEW."destination_account", NEW."error", NEW."host_id", NEW."id", NEW."idempotency_key", NEW."manufacturer_id", NEW."order_id", NEW."paid_at", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recipient_kind", NEW."reversed_amount", NEW."status", NEW."stripe_transfer_id"); RETURN NULL;', hash='70ff11b23d031a72a703e72bb6bf677ac5f80a68', operation='UPDATE', pgid='pgtrigger_update_update_9c9c9', table='orders_payout', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='refund',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "orders_refundevent" ("amount", "amount_minor", "completed_at", "created_at", "currency", "error", "id", "idempotency_key", "order_id", "payment_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "requested_by_id", "status", "stripe_refund_id") VALUES (NEW."amount", NEW."amount_minor", NEW."completed_at", NEW."created_at", NEW."currency", NEW."error", NEW."id", NEW."idempotency_key", NEW."order_id", NEW."payment_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reason", NEW."requested_by_id", NEW."status", NEW."stripe_refund_id"); RETURN NULL;', hash='e52b51fd32e9e552ad6b7a152b0e8590cfe85ec5', operation='INSERT', pgid='pgtrigger_insert_insert_eff19', table='orders_refund', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='refund',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "orders_refundevent" ("amount", "amount_minor", "completed_at", "created_at", "currency", "error", "id", "idempotency_key", "order_id", "payment_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "requested_by_id", "status", "stripe_refund_id") VALUES (NEW."amount", NEW."amount_minor", NEW."completed_at", NEW."created_at", NEW."currency", NEW."error", NEW."id", NEW."idempotency_key", NEW."order_id", NEW."payment_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reason", NEW."requested_by_id", NEW."status", NEW."stripe_refund_id"); RETURN NULL;', hash='1cc32e6cad07e9f7edbd1336b0b1a2e1d332e3d9', operation='UPDATE', pgid='pgtrigger_update_update_1c17b', table='orders_refund', when='AFTER')),
        ),
    ]
