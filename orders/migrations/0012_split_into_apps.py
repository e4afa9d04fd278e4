"""Bounded contexts leave the orders app for apps of their own (audit, accounts, landed_cost, customs,
fit, payments). Only Django's state moves: every table keeps its name and its rows."""

from django.db import migrations

MOVED_MODELS = {
    'audit': ['auditevent'],
    'accounts': ['buyerprofile', 'address'],
    'landed_cost': ['importregime', 'dutyrule', 'taxrate', 'customsfxrate', 'shippingrate'],
    'customs': ['customsdeclaration', 'declarationreceipt'],
    'fit': ['footprofile', 'fitreport'],
    'payments': ['payment', 'webhookevent', 'refund', 'refundline', 'payout', 'ledgerentry', 'refundevent', 'payoutevent'],
}


def relabel_content_types(apps, schema_editor):
    """Permissions and admin log entries follow the models to their new apps."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED_MODELS.items():
        content_type.objects.filter(app_label="orders", model__in=models).update(app_label=app_label)


def restore_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED_MODELS.items():
        content_type.objects.filter(app_label=app_label, model__in=models).update(app_label="orders")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('orders', '0011_payoutevent_refundevent_auditevent_and_more'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='address',
                    name='buyer',
                ),
                migrations.RemoveField(
                    model_name='buyerprofile',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='customsdeclaration',
                    name='shipment',
                ),
                migrations.RemoveField(
                    model_name='declarationreceipt',
                    name='declaration',
                ),
                migrations.DeleteModel(
                    name='CustomsFxRate',
                ),
                migrations.DeleteModel(
                    name='DutyRule',
                ),
                migrations.RemoveField(
                    model_name='fitreport',
                    name='order_line',
                ),
                migrations.RemoveField(
                    model_name='fitreport',
                    name='product',
                ),
                migrations.RemoveField(
                    model_name='footprofile',
                    name='buyer',
                ),
                migrations.DeleteModel(
                    name='ImportRegime',
                ),
                migrations.RemoveField(
                    model_name='ledgerentry',
                    name='manufacturer',
                ),
                migrations.RemoveField(
                    model_name='ledgerentry',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='payment',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='refundevent',
                    name='payment',
                ),
                migrations.RemoveField(
                    model_name='refund',
                    name='payment',
                ),
                migrations.RemoveField(
                    model_name='payout',
                    name='manufacturer',
                ),
                migrations.RemoveField(
                    model_name='payout',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='payoutevent',
                    name='pgh_obj',
                ),
                migrations.RemoveField(
                    model_name='payoutevent',
                    name='manufacturer',
                ),
                migrations.RemoveField(
                    model_name='payoutevent',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='payoutevent',
                    name='pgh_context',
                ),
                migrations.RemoveField(
                    model_name='refund',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='refund',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='refundevent',
                    name='pgh_obj',
                ),
                migrations.RemoveField(
                    model_name='refundline',
                    name='refund',
                ),
                migrations.RemoveField(
                    model_name='refundevent',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='refundevent',
                    name='pgh_context',
                ),
                migrations.RemoveField(
                    model_name='refundevent',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='refundline',
                    name='order_line',
                ),
                migrations.DeleteModel(
                    name='ShippingRate',
                ),
                migrations.DeleteModel(
                    name='TaxRate',
                ),
                migrations.DeleteModel(
                    name='WebhookEvent',
                ),
                migrations.DeleteModel(
                    name='AuditEvent',
                ),
                migrations.DeleteModel(
                    name='Address',
                ),
                migrations.DeleteModel(
                    name='BuyerProfile',
                ),
                migrations.DeleteModel(
                    name='CustomsDeclaration',
                ),
                migrations.DeleteModel(
                    name='DeclarationReceipt',
                ),
                migrations.DeleteModel(
                    name='FitReport',
                ),
                migrations.DeleteModel(
                    name='FootProfile',
                ),
                migrations.DeleteModel(
                    name='LedgerEntry',
                ),
                migrations.DeleteModel(
                    name='Payment',
                ),
                migrations.DeleteModel(
                    name='Payout',
                ),
                migrations.DeleteModel(
                    name='PayoutEvent',
                ),
                migrations.DeleteModel(
                    name='Refund',
                ),
                migrations.DeleteModel(
                    name='RefundEvent',
                ),
                migrations.DeleteModel(
                    name='RefundLine',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunSQL(
            sql=[
                # The audit triggers' names derive from the app label; the payments app installs them anew.
                "DROP TRIGGER IF EXISTS pgtrigger_insert_insert_16f04 ON orders_payout",
                "DROP TRIGGER IF EXISTS pgtrigger_update_update_78ddd ON orders_payout",
                "DROP TRIGGER IF EXISTS pgtrigger_insert_insert_d614b ON orders_refund",
                "DROP TRIGGER IF EXISTS pgtrigger_update_update_7d7b9 ON orders_refund",
                "DROP FUNCTION IF EXISTS pgtrigger_insert_insert_16f04()",
                "DROP FUNCTION IF EXISTS pgtrigger_update_update_78ddd()",
                "DROP FUNCTION IF EXISTS pgtrigger_insert_insert_d614b()",
                "DROP FUNCTION IF EXISTS pgtrigger_update_update_7d7b9()",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
