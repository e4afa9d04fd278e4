from django.db import migrations, models


class Migration(migrations.Migration):
    """The statuses' constraints, in a transaction of their own: the rows moved by 0014 are committed first
    (PostgreSQL refuses to alter a table with deferred checks of changed rows still pending)."""

    dependencies = [
        ("orders", "0014_order_payment_status"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='order',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending_payment', 'paid', 'in_fulfilment', 'shipped', 'delivered', 'cancelled', 'expired'])), name='order_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='order',
            constraint=models.CheckConstraint(condition=models.Q(('payment_status__in', ['unpaid', 'authorized', 'paid', 'partially_refunded', 'refunded'])), name='order_payment_status_valid'),
        ),
    ]
