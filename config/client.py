"""Who is asking: the address of the client behind a request.

`X-Forwarded-For` is written by whoever sends the request, so it is read only when the peer that connected
(REMOTE_ADDR) is one of our own proxies, listed in LIVEDOCK_TRUSTED_PROXIES. Each proxy appends the address
it saw, so the header is read from the right, past our proxies, and the first address that is not one of
them is the client; anything to its left was sent by the client itself and is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"LIVEDOCK_TRUSTED_PROXIES: {exc}") from exc


def _address(value: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # an IPv4 client seen through an IPv6 socket is the same client
    return address


def _trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or, when that is a trusted proxy, the rightmost address in
    X-Forwarded-For that is not one. Works for Django and DRF requests alike."""
    remote = request.META.get("REMOTE_ADDR", "")
    client = _address(remote)
    if client is None:
        return remote
    networks = _networks(tuple(settings.LIVEDOCK_TRUSTED_PROXIES))
    if not _trusted(client, networks):
        return str(client)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # not written by a proxy of ours: the last proxy we trust is all we know
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def client_key(address: str) -> str:
    """What rate limits count by: the address, or for IPv6 its /64, which one subscriber holds whole and
    could otherwise rotate through."""
    parsed = _address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed) if parsed is not None else address
