"""The letters' rendered files on disk: listed for key rotation, removed with an erased person.

A letter's files live under MEDIA_ROOT/letters/<letter reference>/ (``LetterFile``), so
one folder holds everything ever rendered for that letter, re-renders included.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from casework.cases.models import Person
from casework.letters.models import Letter, LetterFile


def letter_files_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "letters"


def letter_sealed_paths(*, limit: int | None = None) -> Iterator[Path]:
    """The encrypted letter files, newest first (all, or the newest ``limit``): key
    rotation and the wrong-key check walk them (files from before encryption are plain
    and need no key)."""
    storage = LetterFile._meta.get_field("file").storage
    names = (
        LetterFile.objects.filter(file__endswith=".sealed")
        .order_by("-pk")
        .values_list("file", flat=True)
    )
    for name in names[:limit] if limit else names.iterator():
        yield Path(storage.path(name))


def letter_files_erase(person: Person) -> None:
    """Erasure hook: remove the files of every letter about ``person`` (the rows go with
    the person), the whole folder of each letter, so that an older rendering or a copy
    left by an interrupted key rotation goes too.

    Letters about a group the person belonged to stay: they name none of its members
    (``letters.context`` gives a group letter counts, places and dates, never a member's
    pseudonym, reference or name), and they are the record of what was sent.
    Removed before the rows, in the erasure's transaction, as the documents' files are.
    """
    root = letter_files_root().resolve()
    storage = LetterFile._meta.get_field("file").storage
    letters = Letter.objects.filter(person=person)
    for name in LetterFile.objects.filter(letter__in=letters).values_list("file", flat=True):
        storage.delete(name)
    for reference in letters.values_list("reference", flat=True):
        folder = (root / reference).resolve()
        if folder.parent != root:  # references are generated, but never trust a path
            raise ValueError("Letter folder outside the letters root.")
        if folder.exists():
            shutil.rmtree(folder)
