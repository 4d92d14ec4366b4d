"""Right to erasure: purge one person everywhere, on the word of two administrators.

``erasure_request`` by one administrator, ``erasure_confirm`` by another: only then is
``person_purge`` run, in the same transaction, and the request becomes a tombstone.

What the purge removes (everything else in Casework is kept and versioned; this, on
purpose, is not):
- every row of every model with a foreign key to the person (custody events, group
  memberships, family contacts, vulnerabilities, caseworker assignments, and the rows of
  apps added later: letters, reminders, documents), then the person;
- every history row of every history table that refers to the person, including the
  rows the deletions above have just written;
- the admin's change log entries for all of those rows;
- the access log's values for the person: entries stay (who did what, when) but no
  longer name the reference.
Apps whose data needs more than a delete (files on disk, a search index) append a
callable to ``erasure_hooks``; it gets the person before anything is deleted (documents'
files, letters' rendered files).

Each confirmed erasure is also appended, once committed, to the erasure ledger
(``casework.erasure.ledger``), which outlives a restore of an older backup:
``erasure_ledger_reapply`` erases again whoever such a restore brought back.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from casework.accounts import roles
from casework.accounts.models import ERASED_REFERENCE, AccessLogEntry, User
from casework.cases.encryption import blind_index
from casework.cases.models import Person
from casework.cases.tallies import tallies_forget
from casework.erasure.ledger import LedgerEntry, LedgerError, ledger_append
from casework.erasure.models import Erasure, ErasureState

logger = logging.getLogger(__name__)

PERMISSION = roles.ERASE_PERSON

erasure_hooks: list[Callable[[Person], None]] = []


def _check_may_erase(user: User) -> None:
    if not (user.is_active and user.has_perm(PERMISSION)):
        raise PermissionDenied("Only administrators may erase a person.")


def reference_digest(reference: str) -> str:
    return blind_index("erasure:" + reference)


@transaction.atomic
def erasure_request(*, person: Person, requested_by: User) -> Erasure:
    """First administrator: ask for ``person`` to be erased. Nothing is deleted yet."""
    _check_may_erase(requested_by)
    if Erasure.objects.filter(person=person, state=ErasureState.REQUESTED).exists():
        raise ValidationError(
            {
                "person": _("An erasure of %(reference)s is already waiting for confirmation.")
                % {"reference": person.reference}
            }
        )
    return Erasure.objects.create(
        person=person,
        reference_digest=reference_digest(person.reference),
        requested_by=requested_by,
    )


@transaction.atomic
def erasure_confirm(*, erasure: Erasure, confirmed_by: User) -> Erasure:
    """Second administrator: confirm, and the person is purged everywhere."""
    _check_may_erase(confirmed_by)
    erasure = Erasure.objects.select_for_update().get(pk=erasure.pk)
    if erasure.state != ErasureState.REQUESTED or erasure.person_id is None:
        raise ValidationError(_("This erasure is not waiting for confirmation."))
    if erasure.requested_by_id == confirmed_by.pk:
        raise ValidationError(
            _("A second administrator must confirm: you asked for this erasure yourself.")
        )
    person = erasure.person
    person_purge(person=person)
    erasure.person = None
    erasure.state = ErasureState.ERASED
    erasure.decided_by = confirmed_by
    erasure.decided_at = timezone.now()
    erasure.save()
    entry = LedgerEntry(erasure.reference_digest, erasure.decided_at)
    transaction.on_commit(partial(_ledger_record, entry))
    return erasure


def _ledger_record(entry: LedgerEntry) -> None:
    """After the commit, never before: a rolled-back erasure must not be re-applied."""
    try:
        ledger_append([entry])
    except (OSError, LedgerError):
        # The erasure stands and its tombstone holds the digest: the next
        # ``erasure_ledger_export`` (a step of every backup) writes it.
        logger.exception("The erasure ledger could not be written")


@transaction.atomic
def erasure_cancel(*, erasure: Erasure, cancelled_by: User) -> Erasure:
    _check_may_erase(cancelled_by)
    erasure = Erasure.objects.select_for_update().get(pk=erasure.pk)
    if erasure.state != ErasureState.REQUESTED:
        raise ValidationError(_("This erasure is not waiting for confirmation."))
    erasure.person = None
    erasure.state = ErasureState.CANCELLED
    erasure.decided_by = cancelled_by
    erasure.decided_at = timezone.now()
    erasure.save()
    return erasure


def _references_to(model: type[models.Model]) -> list[tuple[type[models.Model], models.Field]]:
    """Every (model, foreign key) pointing at ``model``, history and through tables included."""
    found = []
    for candidate in apps.get_models(include_auto_created=True):
        if candidate._meta.app_label == "erasure":
            continue
        for field in candidate._meta.concrete_fields:
            if field.is_relation and field.related_model is model:
                found.append((candidate, field))
    return found


def _is_history(model: type[models.Model]) -> bool:
    return issubclass(model, HistoricalChanges) or any(
        f.is_relation
        and f.related_model is not None
        and issubclass(f.related_model, HistoricalChanges)
        for f in model._meta.concrete_fields
        if f.name == "history"
    )


@transaction.atomic
def person_purge(*, person: Person) -> dict[str, int]:
    """Delete ``person`` and everything about them; return rows removed per table."""
    pk, reference = person.pk, person.reference
    for hook in erasure_hooks:
        hook(person)
    # The board's kept counts hold no row of the person, but they count them.
    tallies_forget([pk])

    removed: dict[str, int] = {}
    references = _references_to(Person)
    live = [(m, f) for m, f in references if not _is_history(m)]
    history = [(m, f) for m, f in references if _is_history(m)]

    # The admin's change log names rows by their str(), e.g. "Pseudonym (P-7K3QX)".
    logged: list[tuple[type[models.Model], list]] = [(Person, [pk])]
    for model, field in live:
        rows = model._base_manager.filter(**{field.attname: pk})
        logged.append((model, list(rows.values_list("pk", flat=True))))
        removed[model._meta.db_table] = rows.delete()[0]
    removed[Person._meta.db_table] = Person._base_manager.filter(pk=pk).delete()[0]

    # History last: the deletions above have just written "deleted" history rows.
    for model, field in history:
        count = model._base_manager.filter(**{field.attname: pk}).delete()[0]
        removed[model._meta.db_table] = removed.get(model._meta.db_table, 0) + count
    history_of_person = Person.history.model
    removed[history_of_person._meta.db_table] = history_of_person._base_manager.filter(
        id=pk
    ).delete()[0]

    for model, pks in logged:
        if not pks:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(p) for p in pks]
        ).delete()

    removed[AccessLogEntry._meta.db_table] = AccessLogEntry.objects.filter(
        reference=reference
    ).update(reference=ERASED_REFERENCE, detail="")
    return removed


def _tombstones() -> "models.QuerySet[Erasure]":
    return Erasure.objects.filter(state=ErasureState.ERASED)


def erasure_ledger_export() -> int:
    """Append to the ledger every tombstone it lacks (an append that failed, a ledger
    lost with its server); how many were added. Run before each backup."""
    tombstones = _tombstones().order_by("decided_at", "pk")
    return ledger_append(
        LedgerEntry(digest, decided_at or requested_at)
        for digest, decided_at, requested_at in tombstones.values_list(
            "reference_digest", "decided_at", "requested_at"
        )
    )


@dataclass(frozen=True)
class Reapplied:
    persons: int  # people a restore had brought back, erased again
    tombstones: int  # tombstones the restored database lacked, written again


def erasure_ledger_reapply(*, entries: Iterable[LedgerEntry]) -> Reapplied:
    """Erase again everyone the ledger names, and give each erasure its tombstone.

    For a database restored from a backup older than some erasures: each person whose
    reference digest is in the ledger is purged as ``erasure_confirm`` would (files
    included), and each ledger entry without a tombstone gets one, dated from the ledger
    (an erasure request the backup still held pending becomes that tombstone). Safe to
    run twice, and to stop and run again: a second run finds nothing to do. The entries
    end up in the configured ledger as well, so the next restore has them too.
    """
    wanted = {entry.reference_digest: entry for entry in entries}
    # A digest is keyed, so each reference is hashed to compare (no index can help).
    people = Person._base_manager.order_by("pk").values_list("pk", "reference")
    back = [pk for pk, reference in people.iterator() if reference_digest(reference) in wanted]
    for pk in back:
        with transaction.atomic():
            person = Person._base_manager.select_for_update().filter(pk=pk).first()
            if person is not None:
                person_purge(person=person)

    written = 0
    with transaction.atomic():
        present = set(
            _tombstones()
            .filter(reference_digest__in=wanted)
            .values_list("reference_digest", flat=True)
        )
        for digest, entry in wanted.items():
            if digest in present:
                continue
            pending = Erasure.objects.filter(
                state=ErasureState.REQUESTED, reference_digest=digest
            ).first()
            tombstone = pending or Erasure(reference_digest=digest)
            tombstone.person = None
            tombstone.state = ErasureState.ERASED
            tombstone.decided_at = entry.erased_at
            tombstone.save()
            written += 1
    ledger_append(wanted.values())
    return Reapplied(persons=len(back), tombstones=written)
