from axes.backends import AxesStandaloneBackend


class ThrottlingBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every authentication that comes with a request.

    Every login form passes the request (ours do), so every attempt from the network is
    counted and refused when locked out. Calls without a request come from our own code
    (the test client's ``login()``, a shell): there is no client to throttle, and
    django-axes would raise instead of letting the password backend answer.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
