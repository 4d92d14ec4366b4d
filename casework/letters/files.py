"""The letters' rendered files on disk: listed for key rotation, removed or tidied at erasure.

A letter's files live under MEDIA_ROOT/letters/<letter reference>/ (``LetterFile``), so
one folder holds everything ever rendered for that letter, re-renders included.
"""

import shutil
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


def letter_folder(reference: str) -> Path:
    """The folder of one letter's files, checked to lie inside the letters' root."""
    root = letter_files_root().resolve()
    folder = (root / reference).resolve()
    if folder.parent != root:  # references are generated, but never trust a path
        raise ValueError("Letter folder outside the letters root.")
    return folder


def letter_folder_remove(reference: str) -> None:
    """Remove everything ever rendered for one letter: files of earlier renderings and
    copies an interrupted key rotation left included."""
    folder = letter_folder(reference)
    if folder.exists():
        shutil.rmtree(folder)


def letter_folder_tidy(reference: str) -> None:
    """Remove the files of one letter that no ``LetterFile`` names any more."""
    folder = letter_folder(reference)
    storage = LetterFile._meta.get_field("file").storage
    kept = {
        Path(storage.path(name)).resolve()
        for name in LetterFile.objects.filter(letter__reference=reference).values_list(
            "file", flat=True
        )
    }
    for path in folder.iterdir() if folder.exists() else []:
        if path.resolve() not in kept:
            path.unlink()
