"""Render a letter without the web, through the same code as the letters pages.

Writes nothing to the database except an access-log line. Without ``--user`` the
letter never names anyone (no one's role allows it); with ``--user`` that user's
access and role decide, as on the web.
"""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from casework.accounts.enums import AccessAction
from casework.accounts.models import User
from casework.accounts.services import access_log_record
from casework.cases.models import Group, Person
from casework.letters import rendering, services
from casework.letters.context import case_facts, deadline_default
from casework.letters.enums import Format, Language
from casework.letters.models import Recipient
from casework.letters.permissions import letter_write_check


class Command(BaseCommand):
    help = "Render a letter on a case to one recipient as PDF, DOCX or plain text."

    def add_arguments(self, parser):
        parser.add_argument("--template", required=True, help="template slug")
        parser.add_argument("--case", required=True, help="case reference (P-… or G-…)")
        parser.add_argument("--recipient", required=True, type=int, help="recipient id")
        parser.add_argument("--lang", required=True, choices=Language.values)
        parser.add_argument("--format", required=True, choices=Format.values)
        parser.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout)")
        parser.add_argument("--user", help="render as this user (access and naming rules)")

    def handle(self, *args, **options):
        reference = options["case"].strip().upper()
        person = Person.objects.filter(reference=reference).first()
        group = Group.objects.filter(reference=reference).first()
        if person is None and group is None:
            raise CommandError(f"No case {reference}.")
        recipient = Recipient.objects.filter(pk=options["recipient"]).first()
        if recipient is None:
            raise CommandError(f"No recipient {options['recipient']}.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['user']}.")
            try:
                letter_write_check(user, person=person, group=group)
            except Exception as exc:
                raise CommandError(f"{user.username} may not write on {reference}.") from exc
        try:
            template = services.letter_template_for(
                slug=options["template"], language=options["lang"]
            )
            services._case_kind_check(template, person=person, group=group)
            facts = case_facts(person=person, group=group)
            document, _named = services.letter_document_render(
                facts=facts,
                template=template,
                recipient=recipient,
                copies_to=[],
                user=user,
                legal_bases=template.default_legal_bases,
                deadline=deadline_default(facts),
                additional_facts="",
                letter_reference="—",
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        content = rendering.document_file(document, options["format"])
        access_log_record(
            user=user,
            action=AccessAction.GENERATED_LETTER,
            reference=reference,
            detail=f"render_letter {template.slug}/{template.language} to recipient {recipient.pk}",
        )
        if options["output"] == "-":
            sys.stdout.buffer.write(content)
            return
        Path(options["output"]).write_bytes(content)
        self.stderr.write(f"Wrote {options['output']} ({len(content)} bytes).")
