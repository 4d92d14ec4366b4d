"""Gunicorn for Casework's web service, behind the reverse proxy (deploy/Caddyfile).

Started by deploy/web.sh, in the container and in CI's production smoke alike.
"""

import logging
import os

from casework.logs import RedactQueryStrings

# Every interface of the container, which publishes no port: only the proxy reaches it.
bind = [os.environ.get("CASEWORK_BIND", "0.0.0.0:8000")]  # nosec B104
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))

# Only our proxy may set the scheme (X-Forwarded-Proto) for gunicorn, as for the app
# (casework/proxy.py): the same TRUSTED_PROXIES, and nobody when it is empty.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")

# One line a request: the path, never its query string or the Referer (which carries
# the previous page's), since a search term may be a person's name.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def on_starting(server):
    """gunicorn's own messages ("Error handling request /cases/?q=…") lose it too."""
    for name in ("gunicorn.error", "gunicorn.access"):
        logging.getLogger(name).addFilter(RedactQueryStrings())
