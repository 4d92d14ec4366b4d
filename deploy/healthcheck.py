"""The web container's health check: /healthz over plain HTTP from inside the container.

It names a host from ALLOWED_HOSTS (anything else is refused with 400) and exits 0 only
on a 200; /healthz is exempt from the redirect to HTTPS (SECURE_REDIRECT_EXEMPT).
"""

import os
import sys
import urllib.error
import urllib.request

host, _, port = os.environ.get("CASEWORK_BIND", "0.0.0.0:8000").rpartition(":")
# Bound to every interface: ask the loopback.
address = "127.0.0.1" if host in ("", "0.0.0.0") else host  # noqa: S104 # nosec B104
allowed = [name for name in os.environ.get("ALLOWED_HOSTS", "").split(",") if name.strip()]
name = allowed[0].strip().lstrip(".") if allowed else "localhost"
request = urllib.request.Request(  # noqa: S310 - a fixed http URL to ourselves
    f"http://{address}:{port}/healthz", headers={"Host": name}
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 # nosec B310
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as exc:
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
