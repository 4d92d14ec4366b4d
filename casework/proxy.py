"""Whether a request came over HTTPS, as only our own reverse proxy may say.

Behind the proxy that terminates TLS the app sees plain HTTP, so Django reads the
scheme from X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER). Any client can write that
header; believed from anyone, it would let a plain-HTTP request skip the redirect to
HTTPS and be handed Secure cookies. So it is believed only from an address in
TRUSTED_PROXIES, the same list that vouches for X-Forwarded-For (client_ip); from
anyone else it is dropped and the scheme is the one the server itself saw.
"""

from django.conf import settings

from casework.accounts.client_ip import is_trusted_proxy


class TrustedProxySchemeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header, _ = settings.SECURE_PROXY_SSL_HEADER or (None, None)
        if header in request.META and not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            del request.META[header]
        return self.get_response(request)
