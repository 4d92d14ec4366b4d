"""The letters' rendered files on disk, listed for key rotation.

A letter's files live under MEDIA_ROOT/letters/<letter reference>/ (``LetterFile``), so
one folder holds everything ever rendered for that letter, re-renders included.
"""

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from casework.letters.models import LetterFile


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
