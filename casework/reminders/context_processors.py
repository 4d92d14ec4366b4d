from django.utils.functional import SimpleLazyObject

# The badge stops counting here and reads "99+": a coordinator's reminders grow with the
# cases, and counting them all on every page would cost more than the page.
INBOX_BADGE_CAP = 99


def inbox(request) -> dict:
    """``inbox_count``: the user's pending reminders as the badge shows them ("", "7",
    "99+"), counted in one query, only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from casework.reminders.services import inbox_for

    def badge() -> str:
        n = inbox_for(user).order_by().values("pk")[: INBOX_BADGE_CAP + 1].count()
        return f"{INBOX_BADGE_CAP}+" if n > INBOX_BADGE_CAP else (str(n) if n else "")

    return {"inbox_count": SimpleLazyObject(badge)}
