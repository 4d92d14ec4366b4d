from django.utils.functional import SimpleLazyObject


def inbox(request) -> dict:
    """``inbox_count``: the user's pending reminders, counted in one query when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from casework.reminders.services import inbox_for

    return {"inbox_count": SimpleLazyObject(lambda: inbox_for(user).count())}
