"""Scheduling live sessions: windows checked here, double bookings refused by the database and
reported as a conflict that names the clashing session."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from .errors import IllegalSessionTransition, OutsideWindow, ScheduleConflict
from .models import SESSION_TRANSITIONS, Festival, Host, HostAvailability, LiveSession, SessionStatus, Studio


def _blocks(studio: Studio, host: Host, starts_at: dt.datetime, ends_at: dt.datetime):
    studio_block = DateTimeTZRange(starts_at, ends_at + dt.timedelta(minutes=studio.changeover_minutes), "[)")
    host_block = DateTimeTZRange(starts_at, ends_at + dt.timedelta(minutes=host.rest_minutes), "[)")
    return studio_block, host_block


def _clash(session: LiveSession, studio_block, host_block) -> LiveSession | None:
    others = LiveSession.objects.exclude(pk=session.pk).exclude(status=SessionStatus.CANCELLED)
    return (others.filter(studio=session.studio, studio_block__overlap=studio_block).first()
            or others.filter(host=session.host, host_block__overlap=host_block).first())


def live_session_schedule(*, festival: Festival, studio: Studio, host: Host, title: str,
                          starts_at: dt.datetime, ends_at: dt.datetime, is_draft: bool = False,
                          session: LiveSession | None = None) -> LiveSession:
    """Book (or move) a session. Refused with a clear error when it falls outside the festival or the
    host's availability, is too short or too long, or clashes with another booking of the studio
    (changeover included) or the host (rest gap included)."""
    minutes = (ends_at - starts_at).total_seconds() / 60
    low, high = settings.LIVEDOCK_SESSION_MINUTES
    if not low <= minutes <= high:
        raise OutsideWindow(f"A session lasts {low} to {high} minutes.", fields={"ends_at": [f"{low}-{high} min."]})
    if starts_at < festival.starts_at or ends_at > festival.ends_at:
        raise OutsideWindow(f"The session must fall inside {festival.name} ({festival.starts_at:%Y-%m-%d %H:%M} to "
                            f"{festival.ends_at:%Y-%m-%d %H:%M} UTC).", fields={"starts_at": ["Outside the festival."]})
    if studio.base_id != festival.base_id:
        raise OutsideWindow("That studio belongs to another live base.", fields={"studio": ["Other base."]})
    covered = HostAvailability.objects.filter(host=host, starts_at__lte=starts_at, ends_at__gte=ends_at).exists()
    if not covered:
        raise OutsideWindow(f"@{host.handle} has not declared availability for that time.",
                            fields={"host": ["Not available then."]})
    session = session or LiveSession()
    session.festival, session.studio, session.host, session.title = festival, studio, host, title
    session.starts_at, session.ends_at, session.is_draft = starts_at, ends_at, is_draft
    session.studio_block, session.host_block = _blocks(studio, host, starts_at, ends_at)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        clash = _clash(session, session.studio_block, session.host_block)
        if clash is None:
            raise
        what = "studio" if clash.studio_id == studio.pk else f"host @{host.handle}"
        raise ScheduleConflict(
            f"The {what} is already booked by \"{clash.title}\" ({clash.starts_at:%Y-%m-%d %H:%M}-"
            f"{clash.ends_at:%H:%M} UTC), changeover and rest gaps included.",
            extra={"clashing_session": clash.pk}) from exc
    return session


def live_session_transition(*, session_id: int, to_status: str) -> LiveSession:
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session_id)
        if to_status not in SESSION_TRANSITIONS[session.status]:
            raise IllegalSessionTransition(f"A {session.status} session cannot become {to_status}.")
        session.status = to_status
        now = timezone.now()
        if to_status == SessionStatus.LIVE:
            session.went_live_at = now
        if to_status == SessionStatus.ENDED:
            session.ended_at = now
        session.save(update_fields=["status", "went_live_at", "ended_at"])
        return session
