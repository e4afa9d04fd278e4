"""The client address behind a request: X-Forwarded-For counts only when our own proxy sent it, and only the
part our proxies wrote."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.client import client_address, client_key
from config.throttling import ClientRateThrottle, rate_parse
from tests.test_api_permissions import drf_views


def request(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_sends(settings):
    settings.LIVEDOCK_TRUSTED_PROXIES = []
    assert client_address(request("198.51.100.4", "10.7.0.1")) == "198.51.100.4"
    assert client_address(request("198.51.100.4", "10.7.0.1, 192.0.2.77")) == "198.51.100.4"
    assert client_address(request("198.51.100.4")) == "198.51.100.4"


@pytest.mark.parametrize(("remote", "forwarded", "client"), [
    # The load balancer appends the address it saw; what the client wrote before it is ignored.
    ("10.0.0.5", "203.0.113.7", "203.0.113.7"),
    ("10.0.0.5", "6.6.6.6, 203.0.113.7", "203.0.113.7"),
    ("10.0.0.5", "6.6.6.6,7.7.7.7 ,  203.0.113.7", "203.0.113.7"),
    # Two of our proxies in a row: skip both.
    ("10.0.0.5", "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
    # A peer outside the trusted range is the client, even with a header naming someone else.
    ("203.0.113.50", "203.0.113.7", "203.0.113.50"),
    # Our proxy with no header, or only our own hops: the innermost known hop.
    ("10.0.0.5", None, "10.0.0.5"),
    ("10.0.0.5", "10.0.0.3", "10.0.0.3"),
    # Something no proxy of ours writes: stop at the last proxy we trust.
    ("10.0.0.5", "203.0.113.7, not-an-address", "10.0.0.5"),
    ("10.0.0.5", "not-an-address, 10.0.0.9", "10.0.0.9"),
    # IPv6, and IPv4 seen through an IPv6 socket.
    ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
    ("::ffff:198.51.100.4", None, "198.51.100.4"),
])
def test_behind_trusted_proxies_the_header_is_read_from_the_right(settings, remote, forwarded, client):
    settings.LIVEDOCK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request(remote, forwarded)) == client


def test_trusted_proxies_may_be_single_addresses_and_ipv6_ranges(settings):
    settings.LIVEDOCK_TRUSTED_PROXIES = ["192.0.2.10", "fd00::/8"]
    assert client_address(request("192.0.2.10", "203.0.113.7")) == "203.0.113.7"
    assert client_address(request("192.0.2.11", "203.0.113.7")) == "192.0.2.11"
    assert client_address(request("fd00::1", "6.6.6.6, 2001:db8::5")) == "2001:db8::5"


def test_a_misspelt_trusted_proxy_is_a_configuration_error(settings):
    settings.LIVEDOCK_TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="LIVEDOCK_TRUSTED_PROXIES"):
        client_address(request("10.0.0.5", "203.0.113.7"))


def test_rate_limits_count_an_ipv6_client_by_its_64():
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")


def test_rates_read_like_drfs():
    assert rate_parse("10/min") == (10, 60)
    assert rate_parse("5/s") == (5, 1)
    assert rate_parse("100/hour") == (100, 3600)
    assert rate_parse("1000/day") == (1000, 86400)


def test_every_api_throttle_counts_by_the_client_address():
    throttled = {route: view.throttle_classes for route, view in drf_views().items() if view.throttle_classes}
    assert "/api/v1/auth/login/" in throttled
    assert {route: classes for route, classes in throttled.items()
            if not all(issubclass(c, ClientRateThrottle) for c in classes)} == {}
