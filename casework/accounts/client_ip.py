"""The client's address, as seen through the reverse proxies we run ourselves.

X-Forwarded-For is a list any client can write to; only the entries appended by a
proxy listed in settings.TRUSTED_PROXIES are believed. Walking the list from the right
and skipping our own proxies gives the first address nobody of ours vouched for: the
client. Without trusted proxies the header is ignored and REMOTE_ADDR is the client,
so a forged header cannot dodge the login throttle or frame someone else's address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _is_valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def is_trusted_proxy(address: str) -> bool:
    """Whether ``address`` is one of our own proxies (settings.TRUSTED_PROXIES)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_valid(hop):
            # A malformed entry means the chain cannot be read: fall back to the peer.
            return remote
        if not is_trusted_proxy(hop):
            return hop
    return hops[0] if hops else remote
