"""The erasure ledger: who a restore from an older backup must erase again.

A restored dump taken before an erasure brings the person back, without a tombstone. The
ledger lives outside the database (``ERASURE_LEDGER_PATH``, kept with the backups): one
JSON line per confirmed erasure, ``{"reference_digest": …, "erased_at": …, "key_check":
…}``: the keyed digest the tombstone holds, the time, and a digest of a constant — never a
name, pseudonym or reference. ``erasure_reapply`` reads it after a restore and erases
again every person whose reference has a digest in it. The digests are keyed by
BLIND_INDEX_KEY: a ledger is useful only with the key it was written under (``key_check``
tells, so that a restore under another key fails loudly instead of erasing no one), and
reveals nothing without it.
"""

import datetime
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from casework.cases.encryption import blind_index

DIGEST_LENGTH = 64


class LedgerError(ValueError):
    """A ledger file that cannot be read as a ledger."""


@dataclass(frozen=True)
class LedgerEntry:
    reference_digest: str
    erased_at: datetime.datetime

    def line(self) -> str:
        return json.dumps(
            {
                "reference_digest": self.reference_digest,
                "erased_at": self.erased_at.isoformat(),
                "key_check": key_check(),
            }
        )


def key_check() -> str:
    """Which BLIND_INDEX_KEY made a ledger's digests, without revealing anything of it."""
    return blind_index("erasure ledger key check")[:16]


def ledger_path() -> Path:
    return Path(settings.ERASURE_LEDGER_PATH)


def _entry(text: str) -> tuple[LedgerEntry, str]:
    data = json.loads(text)
    digest, erased_at = data["reference_digest"], data["erased_at"]
    if not (
        isinstance(digest, str)
        and len(digest) == DIGEST_LENGTH
        and all(c in "0123456789abcdef" for c in digest)
    ):
        raise ValueError("not a digest")
    return LedgerEntry(digest, datetime.datetime.fromisoformat(erased_at)), data["key_check"]


def ledger_read(path: Path) -> list[LedgerEntry]:
    """The entries of ``path``, each digest once (its first erasure), in file order."""
    entries: dict[str, LedgerEntry] = {}
    expected = key_check()
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                entry, made_with = _entry(text)
            except (ValueError, KeyError, TypeError) as exc:
                raise LedgerError(
                    _("Line %(number)d of %(path)s is not an erasure ledger entry.")
                    % {"number": number, "path": path}
                ) from exc
            if made_with != expected:
                raise LedgerError(
                    _(
                        "The erasure ledger %(path)s was written under another "
                        "BLIND_INDEX_KEY: its digests match no reference under this one."
                    )
                    % {"path": path}
                )
            entries.setdefault(entry.reference_digest, entry)
    return list(entries.values())


def ledger_append(entries: Iterable[LedgerEntry], *, path: Path | None = None) -> int:
    """Append the entries the ledger lacks (flushed to disk); how many were written.

    One ``write`` on a file opened for appending: concurrent erasures add whole lines.
    """
    path = path or ledger_path()
    known = {e.reference_digest for e in ledger_read(path)} if path.exists() else set()
    new = []
    for entry in entries:
        if entry.reference_digest not in known:
            known.add(entry.reference_digest)
            new.append(entry)
    if not new:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("".join(entry.line() + "\n" for entry in new))
        handle.flush()
        os.fsync(handle.fileno())
    return len(new)
