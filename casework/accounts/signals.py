"""Receivers that keep sessions honest; connected in AccountsConfig.ready."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from casework.accounts.middleware import LAST_SEEN_KEY, SESSION_STARTED_KEY
from casework.accounts.models import User, UserSession
from casework.accounts.reauth import auth_stamp
from casework.accounts.services import user_session_remember, user_sessions_end


@receiver(user_logged_in, dispatch_uid="casework_session_start")
def session_start(sender, request, user, **kwargs):
    # django.contrib.auth.login has already given the session a new key (no fixation).
    now = time.time()
    request.session[SESSION_STARTED_KEY] = now
    request.session[LAST_SEEN_KEY] = now
    # Our login view calls login() only after the second factor: this is a full proof.
    auth_stamp(request)
    if request.session.session_key:
        user_session_remember(user=user, session_key=request.session.session_key)


@receiver(user_logged_out, dispatch_uid="casework_session_forget")
def session_forget(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(post_save, sender=User, dispatch_uid="casework_deactivation_ends_sessions")
def deactivation_ends_sessions(sender, instance: User, created: bool, **kwargs):
    if not created and not instance.is_active:
        user_sessions_end(user=instance)
