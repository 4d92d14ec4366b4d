"""Load the demo data of fixtures/demo.json and create one demo login per role.

Events go through ``custody_event_record`` like real updates, so the demo obeys the
same rules. Running it again leaves the records as they are and only resets the
demo passwords, which it prints.
"""

import datetime
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework.accounts.enums import Role
from casework.accounts.models import Team, User
from casework.cases import services
from casework.cases.models import (
    Facility,
    FamilyContact,
    Group,
    Person,
    Source,
)

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
DEMO_MARKER = "Suizhong group of eight"

# username, role, team
DEMO_USERS = [
    ("caseworker", Role.CASEWORKER, "North"),
    ("caseworker2", Role.CASEWORKER, "South"),
    ("coordinator", Role.COORDINATOR, None),
    ("advocate", Role.ADVOCATE, None),
    ("admin", Role.ADMINISTRATOR, None),
]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = "Load pseudonymous demo cases and create one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo login (default: a new random one, printed).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though CASEWORK_DEMO_MODE is off (never on a real installation).",
        )

    def handle(self, *args, password=None, allow_production=False, **options):
        if not settings.DEMO_MODE and not allow_production:
            raise CommandError(
                "Refusing to create demo logins outside demo mode (CASEWORK_DEMO_MODE=0)."
            )
        users = self._users(password or secrets.token_urlsafe(9))
        if Group.objects.filter(name=DEMO_MARKER).exists():
            self.stdout.write("Demo records already present; left as they are.")
        else:
            self._load(json.loads(DEMO_FILE.read_text(encoding="utf-8")), users)
        self.stdout.write(self.style.SUCCESS("Demo logins (username / password / role):"))
        for username, role, _team in DEMO_USERS:
            self.stdout.write(f"  {username:12} {users[username].demo_password:14} {role.label}")

    def _users(self, password: str) -> dict[str, User]:
        users = {}
        for username, role, team in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.team = Team.objects.get_or_create(name=team)[0] if team else None
            user.set_password(password)
            user.save()
            user.groups.set([AuthGroup.objects.get(name=role.value)])
            user.demo_password = password
            users[username] = user
        return users

    @transaction.atomic
    def _load(self, data: dict, users: dict[str, User]) -> None:
        facilities = {}
        for item in data["facilities"]:
            key = item.pop("key")
            facilities[key], _ = Facility.objects.update_or_create(
                name_en=item["name_en"], province=item["province"], defaults=item
            )
        sources = {}
        for item in data["sources"]:
            key = item.pop("key")
            sources[key] = Source.objects.create(**item)
        people = {}
        for item in data["people"]:
            key = item.pop("key")
            vulnerabilities = item.pop("vulnerabilities")
            family = item.pop("family")
            caseworker = users[item.pop("caseworker")]
            person = services.person_create(
                person=Person(**item),
                created_by=None,
                caseworkers=[caseworker],
                vulnerabilities=vulnerabilities,
            )
            for contact in family:
                FamilyContact.objects.create(person=person, **contact)
            people[key] = person
        groups = {}
        for item in data["groups"]:
            group = services.group_create(
                group=Group(name=item["name"], notes=item["notes"]),
                created_by=None,
                members=[people[key] for key in item["members"]],
                unidentified_others=item.get("unidentified_others", 0),
            )
            groups[item["key"]] = group
        recorder = users["caseworker"]
        for item in data["events"]:
            group = groups.get(item.get("group"))
            if group is not None:
                chosen = item.get("members")
                persons = [people[k] for k in chosen] if chosen else None
            else:
                persons = [people[item["person"]]]
            services.custody_event_record(
                persons=persons,
                group=group,
                status=item["status"],
                occurred_on=_date(item["on"]),
                date_precision=item["precision"],
                facility=facilities.get(item["facility"]),
                place=item["place"],
                source=sources.get(item["source"]),
                confidence=item["confidence"],
                planned_on=_date(item["planned_on"]),
                note=item["note"],
                recorded_by=recorder,
            )
        self.stdout.write(
            f"Loaded {len(people)} people, {len(groups)} groups, "
            f"{len(facilities)} facilities and {len(data['events'])} recorded events."
        )
