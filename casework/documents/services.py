"""Uploads: checked by content, encrypted, stored under generated names outside the web root.

A file is accepted only if its bytes are one of ACCEPTED types (the name and the
browser's declared type are ignored: both are chosen by the uploader) and it is at most
settings.DOCUMENT_MAX_BYTES. It is stored Fernet-encrypted with the field encryption
keys (``casework.cases.encryption``, which also rotates them) under
MEDIA_ROOT/documents/<random hex>, a name that says nothing and cannot point anywhere
else, and read back only through the permission-checked download view.
"""

import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from casework.accounts.models import User
from casework.cases.encryption import decrypt_bytes, encrypt_bytes, encrypted_file_remove
from casework.cases.models import Person
from casework.cases.permissions import can_change_case
from casework.documents.models import Document, DocumentKind

# Detected MIME type -> extension of the stored copy.
ACCEPTED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}


def document_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents"


def _path(stored_name: str) -> Path:
    root = document_root().resolve()
    path = (root / stored_name).resolve()
    if path.parent != root:  # stored names are generated, but never trust a path
        raise ValueError("Document path outside the document root.")
    return path


def _too_large(limit: int) -> str:
    return _("This file is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)}


def document_check(*, file: UploadedFile) -> tuple[bytes, str]:
    """The file's bytes and detected type, or ValidationError with a clear message."""
    limit = settings.DOCUMENT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError({"file": _too_large(limit)})
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": _too_large(limit)})
    if not data:
        raise ValidationError({"file": _("This file is empty.")})
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(
            {"file": _("Only PDF documents and JPEG, PNG or WebP photos can be uploaded.")}
        )
    return data, kind.mime


def document_upload(
    *, person: Person, uploaded_by: User, file: UploadedFile, kind: str = DocumentKind.DOCUMENT
) -> Document:
    if not can_change_case(uploaded_by, person):
        raise PermissionDenied(_("You may not add files to this case."))
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose document or photo.")})
    data, mime = document_check(file=file)
    stored_name = secrets.token_hex(20)
    path = _path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with transaction.atomic():
        document = Document.objects.create(
            person=person,
            kind=kind,
            original_name=(file.name or "")[:255],
            stored_name=stored_name,
            content_type=mime,
            extension=ACCEPTED[mime],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=uploaded_by,
        )
        with open(path, "xb") as handle:  # x: never overwrite an existing file
            handle.write(encrypt_bytes(data))
        path.chmod(0o600)
    return document


def document_read(*, document: Document) -> bytes:
    """The decrypted content; a wrong key raises FieldDecryptionError, loudly."""
    return decrypt_bytes(
        _path(document.stored_name).read_bytes(), label=f"the file of document #{document.pk}"
    )


def document_paths(*, limit: int | None = None) -> Iterator[Path]:
    """The stored documents, newest first (all, or the newest ``limit``): key rotation and
    the wrong-key check walk them."""
    names = Document.objects.order_by("-pk").values_list("stored_name", flat=True)
    for stored_name in names[:limit] if limit else names.iterator():
        yield _path(stored_name)


def document_files_erase(person: Person) -> None:
    """Erasure hook: remove the files of ``person``'s documents (the rows go with the person).

    Removed before the rows, in the erasure's transaction: an erasure that fails after
    this has still removed files two administrators agreed to erase, while the other
    order could leave an erased person's files behind for good.
    """
    for stored_name in Document.objects.filter(person=person).values_list("stored_name", flat=True):
        encrypted_file_remove(_path(stored_name))
