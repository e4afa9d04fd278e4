import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from livestream import services
from livestream.errors import OutsideWindow, ScheduleConflict
from livestream.models import Festival, Host, HostAvailability, LiveBase, LiveSession, Studio
from tests.shop.factories import UserFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


# Tomorrow (UTC) is "day 24": the festival runs from then for three days, always in the future.
_TOMORROW = (dt.datetime.now(UTC) + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def at(hour, minute=0, day=24):
    return _TOMORROW + dt.timedelta(days=day - 24, hours=hour, minutes=minute)


@pytest.fixture
def world():
    base = LiveBase.objects.create(name="Wenzhou Shoe Live Base", city="Wenzhou")
    festival = Festival.objects.create(base=base, name="Winter Boots Festival", slug="winter-boots",
                                       starts_at=at(0), ends_at=at(0, day=27))
    studios = [Studio.objects.create(base=base, name=f"Studio {n}", changeover_minutes=15) for n in "AB"]
    hosts = []
    for handle in ("lily", "max"):
        host = Host.objects.create(user=UserFactory(), handle=handle, display_name=handle.title(), rest_minutes=30)
        HostAvailability.objects.create(host=host, starts_at=at(8), ends_at=at(23, 59))
        hosts.append(host)
    return festival, studios, hosts


NOON, ONE = at(12), at(13)


def book(world, studio=0, host=0, start=NOON, end=ONE, title="Boots live"):
    festival, studios, hosts = world
    return services.live_session_schedule(festival=festival, studio=studios[studio], host=hosts[host], title=title,
                                          starts_at=start, ends_at=end)


def test_a_studio_is_never_double_booked_including_its_changeover(world):
    first = book(world, title="Chelsea boots hour")
    with pytest.raises(ScheduleConflict) as err:
        book(world, host=1, start=at(13, 10), end=at(14))  # inside the 15-minute changeover
    assert '"Chelsea boots hour"' in err.value.message and err.value.extra["clashing_session"] == first.pk
    assert book(world, host=1, start=at(13, 15), end=at(14)).pk  # right after the changeover
    assert LiveSession.objects.count() == 2


def test_a_host_is_never_booked_twice_including_the_rest_gap(world):
    book(world)
    with pytest.raises(ScheduleConflict) as err:
        book(world, studio=1, start=at(13, 20), end=at(14))
    assert "host @lily" in err.value.message
    assert book(world, studio=1, start=at(13, 30), end=at(14, 30)).pk


def test_the_database_refuses_overlaps_even_without_the_service(world):
    session = book(world)
    clone = LiveSession(festival=session.festival, studio=session.studio, host=world[2][1], title="sneaky",
                        starts_at=session.starts_at, ends_at=session.ends_at, studio_block=session.studio_block,
                        host_block=(session.starts_at, session.ends_at))
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_cancelled_sessions_free_their_slot(world):
    session = book(world)
    services.live_session_transition(session_id=session.pk, to_status="cancelled")
    assert book(world, host=1).pk


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(at(7), at(8, 30), "host"),  # before the host's availability
     (at(23, 0), at(0, 30, day=25), "host"),  # past the availability window
     (at(12), at(12, 10), "ends_at"),  # too short
     (at(12, day=28), at(13, day=28), "starts_at")],  # after the festival
)
def test_sessions_must_fall_inside_the_festival_and_availability(world, start, end, field):
    with pytest.raises(OutsideWindow) as err:
        book(world, start=start, end=end)
    assert field in err.value.fields
    assert not LiveSession.objects.exists()


def test_operator_api_schedules_and_reports_conflicts_in_the_error_shape(world, api_client):
    api_client.force_authenticate(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("livestream:operator-session-schedule")
    body = {"festival": "winter-boots", "studio_id": world[1][0].pk, "host": "lily", "title": "Boots",
            "starts_at": at(12).isoformat(), "ends_at": at(13).isoformat()}
    assert api_client.post(url, body, format="json").status_code == 201
    response = api_client.post(url, {**body, "host": "max"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "schedule_conflict"
    buyer = api_client
    buyer.force_authenticate(UserFactory())
    assert buyer.post(url, body, format="json").status_code == 403


def test_buyers_list_upcoming_sessions(world, api_client):
    book(world)
    book(world, studio=1, host=1, title="Sneaker drop")
    sessions = api_client.get(reverse("livestream:session-list"), {"host": "max"}).json()["results"]
    assert [s["title"] for s in sessions] == ["Sneaker drop"]
    assert api_client.get(reverse("livestream:session-list"), {"festival": "nope"}).json()["results"] == []


def test_admin_scheduling_goes_through_the_service(client, world):
    festival, studios, hosts = world
    book(world, title="Existing")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    day = at(0).date().isoformat()
    response = client.post(reverse("admin:livestream_livesession_add"), {
        "festival": festival.pk, "studio": studios[0].pk, "host": hosts[1].pk, "title": "Clash",
        "starts_at_0": day, "starts_at_1": "12:30:00", "ends_at_0": day, "ends_at_1": "13:30:00"})
    assert response.status_code == 200
    assert "already booked" in response.content.decode()
    assert not LiveSession.objects.filter(title="Clash").exists()


def test_festival_timeline_picture_in_the_admin(client, world):
    book(world, title="Chelsea <boots> hour")
    book(world, studio=1, host=1, title="Sneaker drop")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:livestream_festival_timeline", args=[world[0].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "Studio A" in body and "Sneaker drop" in body
    assert "Chelsea &lt;boots&gt; hour" in body  # titles are escaped


def test_demo_live_data_is_usable_and_idempotent():
    from io import StringIO

    from django.core.management import call_command

    from livestream.models import LineupItem

    call_command("demo_data", stdout=StringIO())
    call_command("demo_live", stdout=StringIO())
    call_command("demo_live", stdout=StringIO())
    session = LiveSession.objects.get()
    assert session.host.handle == "lily" and session.status == "scheduled"
    items = LineupItem.objects.filter(session=session)
    assert items.count() == 3 and set(items.values_list("status", flat=True)) == {"approved"}


def test_auto_schedule_places_requests_without_clashes_and_explains_the_rest(world, api_client):
    from livestream.models import SessionRequest

    festival, studios, hosts = world
    lily, max_ = hosts
    def iso(hhmm):
        hour, minute = (int(part) for part in hhmm.split(":"))
        return at(hour, minute).isoformat()

    requests = [
        SessionRequest.objects.create(festival=festival, host=lily, title="Lily boots", duration_minutes=60,
                                      wished_windows=[[iso("10:00"), iso("14:00")]]),
        SessionRequest.objects.create(festival=festival, host=lily, title="Lily loafers", duration_minutes=60,
                                      wished_windows=[[iso("10:00"), iso("14:00")]]),
        SessionRequest.objects.create(festival=festival, host=max_, title="Max sneakers", duration_minutes=90,
                                      wished_windows=[[iso("10:00"), iso("14:00")]]),
        SessionRequest.objects.create(festival=festival, host=max_, title="Too early", duration_minutes=60,
                                      wished_windows=[[iso("05:00"), iso("07:00")]]),
    ]
    api_client.force_authenticate(UserFactory(is_staff=True, is_superuser=True))
    body = api_client.post(reverse("livestream:operator-auto-schedule", args=["winter-boots"])).json()
    assert body["placed"] == 3, body
    assert list(body["unplaced"]) == [str(requests[3].pk)]
    assert "availability" in body["unplaced"][str(requests[3].pk)]
    drafts = list(LiveSession.objects.filter(is_draft=True).order_by("starts_at"))
    assert len(drafts) == 3
    lily_sessions = sorted((s for s in drafts if s.host_id == lily.pk), key=lambda s: s.starts_at)
    assert lily_sessions[1].starts_at >= lily_sessions[0].ends_at + dt.timedelta(minutes=30)  # rest gap
    for session in drafts:
        assert at(10) <= session.starts_at and session.ends_at <= at(14)
    # Drafts are invisible to buyers until published.
    assert api_client.get(reverse("livestream:session-list")).json()["results"] == []
    api_client.post(reverse("livestream:operator-publish", args=["winter-boots"]))
    assert len(api_client.get(reverse("livestream:session-list")).json()["results"]) == 3
