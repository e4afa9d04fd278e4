from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from config.errors import NotFound

from .models import LiveSession, SessionStatus


def session_list(*, festival_slug: str | None = None, host_handle: str | None = None,
                 include_past: bool = False) -> QuerySet[LiveSession]:
    """Published sessions that are live or still to come (buyers' view)."""
    qs = (LiveSession.objects.filter(is_draft=False, status__in=[SessionStatus.SCHEDULED, SessionStatus.LIVE])
          .select_related("festival", "studio__base", "host"))
    if not include_past:
        qs = qs.filter(ends_at__gte=timezone.now())
    if festival_slug:
        qs = qs.filter(festival__slug=festival_slug)
    if host_handle:
        qs = qs.filter(host__handle=host_handle)
    return qs.order_by("starts_at", "id")


def session_get(*, session_id: int) -> LiveSession:
    session = LiveSession.objects.select_related("festival", "host", "studio__base").filter(
        pk=session_id, is_draft=False).first()
    if session is None:
        raise NotFound("No such session.")
    return session
