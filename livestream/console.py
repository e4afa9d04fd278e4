"""The host console: a server-rendered page for a phone held beside the camera. It drives the host
API with the host's session cookie (CSRF-protected) and refreshes itself from the polling endpoints."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .models import Host, LineupItem, LineupStatus, LiveSession


def _host(request) -> Host:
    host = Host.objects.filter(user=request.user).first()
    if host is None:
        raise Http404("Only live hosts have a console.")
    return host


@login_required
def console_home(request):
    host = _host(request)
    sessions = LiveSession.objects.filter(host=host).exclude(status="cancelled").order_by("starts_at")
    return render(request, "livestream/console_home.html", {"host": host, "sessions": sessions})


@login_required
def console_session(request, session_id: int):
    host = _host(request)
    session = LiveSession.objects.filter(pk=session_id, host=host).first()
    if session is None:
        raise Http404("No such session of yours.")
    lineup = LineupItem.objects.filter(session=session, status=LineupStatus.APPROVED).select_related("product")
    return render(request, "livestream/console_session.html", {"host": host, "session": session, "lineup": lineup})
