"""The role matrix: which Django permissions each role's group holds.

One table for every app, so a reviewer reads who may do what in one place. Apps that
come later add their rows here and call ``roles_sync`` from a data migration.
"""

from casework.accounts.enums import Role

# The permissions code asks for by name. Views, admin, services and selectors ask
# ``user.has_perm(roles.X)`` or pick users with ``selectors.users_with_perm(roles.X)``,
# never a role's group by name: a permission given to one account directly counts, and a
# group that loses a permission loses what came with it.
VIEW_PERSON = "cases.view_person"
CHANGE_PERSON = "cases.change_person"
VIEW_GROUP = "cases.view_group"
CHANGE_GROUP = "cases.change_group"
ADD_CUSTODY_EVENT = "cases.add_custodyevent"
VIEW_IDENTITY = "cases.view_identity"
VIEW_ALL_CASES = "cases.view_all_cases"
ASSIGN_CASEWORKER = "cases.assign_caseworker"
ARCHIVE_PERSON = "cases.archive_person"
# Whom cases are assigned to (the assign form, the board's caseworker filter).
FOLLOW_CASE = "cases.follow_case"
# Who hears of every case's reminders when nobody follows it, and of escalations.
RECEIVE_ESCALATIONS = "cases.receive_escalations"
VIEW_LETTER = "letters.view_letter"
ADD_LETTER = "letters.add_letter"
CHANGE_LETTER = "letters.change_letter"
APPROVE_LETTER = "letters.approve_letter"
CHANGE_USER = "accounts.change_user"
ERASE_PERSON = "erasure.erase_person"

_CASE_READ = [
    "cases.view_person",
    "cases.view_group",
    "cases.view_custodyevent",
    "cases.view_facility",
    "cases.view_source",
]
_CASE_WRITE = [
    "cases.add_person",
    "cases.change_person",
    "cases.add_group",
    "cases.change_group",
    "cases.add_custodyevent",
    "cases.add_source",
    "cases.change_source",
    "cases.add_familycontact",
    "cases.change_familycontact",
    "cases.view_familycontact",
    "cases.view_identity",
]

# Letters: advocates write them, coordinators approve them, administrators keep the
# templates and the recipient directory; caseworkers read them on their case pages.
_LETTERS_READ = ["letters.view_letter", "letters.view_recipient", "letters.view_lettertemplate"]
_LETTERS_WRITE = _LETTERS_READ + ["letters.add_letter", "letters.change_letter"]
_LETTERS_ADMIN = _LETTERS_READ + [
    "letters.add_recipient",
    "letters.change_recipient",
    "letters.add_lettertemplate",
    "letters.change_lettertemplate",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CASEWORKER: _CASE_READ + _CASE_WRITE + [FOLLOW_CASE, VIEW_LETTER],
    Role.COORDINATOR: _CASE_READ
    + _CASE_WRITE
    + [
        VIEW_ALL_CASES,
        ASSIGN_CASEWORKER,
        ARCHIVE_PERSON,
        RECEIVE_ESCALATIONS,
        "accounts.view_accesslogentry",
    ]
    + _LETTERS_WRITE
    + [APPROVE_LETTER],
    Role.ADVOCATE: _CASE_READ + ["cases.view_all_cases"] + _LETTERS_WRITE,
    Role.ADMINISTRATOR: _CASE_READ
    + _CASE_WRITE
    + [
        "cases.view_all_cases",
        "cases.assign_caseworker",
        "cases.archive_person",
        "cases.add_facility",
        "cases.change_facility",
        "accounts.view_accesslogentry",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
        "auth.view_group",
        "erasure.erase_person",
        "erasure.view_erasure",
        "reminders.view_reminderrule",
        "reminders.add_reminderrule",
        "reminders.change_reminderrule",
        "reminders.view_reminder",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "django_celery_beat.view_intervalschedule",
        "django_celery_beat.view_crontabschedule",
    ]
    + _LETTERS_ADMIN,
}

# Permissions an account manager hands out with the roles without holding them: writing
# and approving letters, being offered cases to follow, receiving escalations. They let
# an account do more with letters or be given duties, not see more people or manage
# more accounts (a case is assigned by someone who may assign; an escalation reaches
# only those who may see every case), so holding them does not put an account beyond
# the reach of whoever manages accounts (``services.user_may_manage``). Any other
# permission does.
DELEGABLE_PERMISSIONS = [
    ADD_LETTER,
    CHANGE_LETTER,
    APPROVE_LETTER,
    FOLLOW_CASE,
    RECEIVE_ESCALATIONS,
]


def landing_url_name(user) -> str:
    """The page ``user`` starts from, after login and at ``/``: the one their daily work
    begins on. Decided by what they may do, as everything else here, never by the name
    of their group: those who manage accounts (administrators) open the admin, those who
    see every case and write letters but record no events (advocates) their letters,
    those who see every case (coordinators) the board, everyone else their cases."""
    if user.has_perm(CHANGE_USER) and user.is_staff:
        return "admin:index"
    if user.has_perm(VIEW_ALL_CASES):
        if user.has_perm(ADD_LETTER) and not user.has_perm(ADD_CUSTODY_EVENT):
            return "letters:list"
        return "board:index"
    return "cases:list"


def roles_sync(apps) -> None:
    """Create the role groups and grant them exactly the permissions of the matrix.

    Takes the migration's ``apps`` so it runs against historical models; permissions
    of apps not installed yet are skipped and granted by that app's own migration.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs have no models module, which create_permissions needs.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
