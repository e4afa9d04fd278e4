"""The operators' view over the audit trail: every tracked change (prices, counted stock, flash deals,
refunds, payouts) with the context it happened in (who, through which URL or Celery task, request id)."""

import pghistory
from django.conf import settings
from django.db import models
from pghistory.models import Events


class AuditEvent(Events):
    user = pghistory.ProxyField("pgh_context__user", models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, db_constraint=False,
        help_text="Who made the change (empty for Celery tasks and management commands)."))
    url = pghistory.ProxyField("pgh_context__url", models.TextField(null=True, help_text="The request's path."))
    task = pghistory.ProxyField("pgh_context__task", models.TextField(null=True, help_text="The Celery task."))
    request_id = pghistory.ProxyField("pgh_context__request_id", models.TextField(
        null=True, help_text="The request id, the same as in the logs."))

    class Meta:
        proxy = True
        verbose_name = "audit event"
        verbose_name_plural = "audit trail"
