"""Files on a case: content-checked, encrypted, generated names, downloads through permissions."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.accounts.models import AccessLogEntry
from casework.documents import services
from casework.documents.models import Document
from casework.erasure import services as erasure
from tests.factories import PersonFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"Canaryname Ri Sunhee passport"


def png() -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def person(cast):
    return PersonFactory(pseudonym="Spring swallow", caseworkers=[cast.alice])


def upload(client, person, name, content, kind="document"):
    return client.post(
        f"/documents/{person.reference}/",
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="image/png")},
    )


def stored_files(media):
    root = media / "documents"
    return sorted(root.iterdir()) if root.exists() else []


def test_a_caseworker_uploads_a_pdf_and_downloads_it_as_an_attachment(
    person, cast, client_for, media
):
    client = client_for(cast.alice)

    response = upload(client, person, "kim passport.pdf", PDF)

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.extension, document.size) == (
        "application/pdf",
        "pdf",
        len(PDF),
    )
    assert document.original_name == "kim passport.pdf"
    download = client.get(f"/documents/{person.reference}/{document.pk}/")
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"] == (
        f'attachment; filename="{person.reference}-document-{document.pk}.pdf"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in download["Cache-Control"]
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.reference, entry.detail) == (
        cast.alice,
        person.reference,
        f"downloaded document #{document.pk}",
    )


def test_the_stored_file_is_encrypted_under_a_generated_name(person, cast, client_for, media):
    upload(client_for(cast.alice), person, "kim passport.pdf", PDF)

    [path] = stored_files(media)
    assert path.name == Document.objects.get().stored_name
    assert len(path.name) == 40 and "kim" not in path.name
    assert b"Canaryname" not in path.read_bytes()
    assert b"%PDF" not in path.read_bytes()


def test_an_oversized_file_is_refused_and_nothing_is_kept(
    person, cast, client_for, media, settings
):
    settings.DOCUMENT_MAX_BYTES = 1024

    response = upload(client_for(cast.alice), person, "big.pdf", PDF + b"x" * 2000)

    assert response.status_code == 400
    assert "larger than the limit" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.png", b"<html><script>alert(document.cookie)</script></html>"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a Windows program
        ("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("empty.pdf", b""),
    ],
    ids=["html named png", "exe named pdf", "svg", "empty"],
)
def test_a_mistyped_file_is_refused_whatever_its_name(
    person, cast, client_for, media, name, content
):
    response = upload(client_for(cast.alice), person, name, content)

    assert response.status_code == 400
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_a_path_traversing_name_is_only_a_label(person, cast, client_for, media):
    response = upload(client_for(cast.alice), person, "../../../../etc/cron.d/evil.png", png())

    assert response.status_code == 302
    [path] = stored_files(media)
    assert path.parent == media / "documents"
    assert Document.objects.get().extension == "png"
    assert not (media.parent / "etc").exists()


def test_an_outsider_gets_404_for_the_files_and_the_download(person, cast, client_for):
    upload(client_for(cast.alice), person, "a.pdf", PDF)
    document = Document.objects.get()
    client = client_for(cast.oscar)

    assert client.get(f"/documents/{person.reference}/").status_code == 404
    assert client.get(f"/documents/{person.reference}/{document.pk}/").status_code == 404
    assert upload(client, person, "b.pdf", PDF).status_code == 404
    assert Document.objects.count() == 1


def test_a_document_id_of_another_case_is_not_found(person, cast, client_for):
    upload(client_for(cast.alice), person, "a.pdf", PDF)
    document = Document.objects.get()
    mine = PersonFactory(caseworkers=[cast.bob])

    response = client_for(cast.bob).get(f"/documents/{mine.reference}/{document.pk}/")

    assert response.status_code == 404


def test_an_advocate_who_may_not_reveal_identities_may_not_open_files(person, cast, client_for):
    upload(client_for(cast.alice), person, "a.pdf", PDF)
    client = client_for(cast.dana)

    assert client.get(f"/documents/{person.reference}/").status_code == 403
    assert client.get(f"/documents/{person.reference}/1/").status_code == 403


def test_erasure_removes_the_files_too(person, cast, media):
    services.document_upload(
        person=person, uploaded_by=cast.alice, file=SimpleUploadedFile("a.pdf", PDF)
    )
    frank = UserFactory(username="frank", role="Administrator")
    request = erasure.erasure_request(person=person, requested_by=cast.erin)

    erasure.erasure_confirm(erasure=request, confirmed_by=frank)

    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_the_content_is_read_not_the_declared_type(person, cast):
    declared_pdf = SimpleUploadedFile("x.pdf", png(), content_type="application/pdf")

    document = services.document_upload(person=person, uploaded_by=cast.alice, file=declared_pdf)

    assert (document.content_type, document.extension) == ("image/png", "png")
    assert services.document_read(document=document) == png()


@pytest.mark.parametrize("n", [1, 30])
def test_the_files_page_runs_a_bounded_number_of_queries(
    person, cast, client_for, django_assert_max_num_queries, n
):
    for _ in range(n):
        services.document_upload(
            person=person, uploaded_by=cast.alice, file=SimpleUploadedFile("a.pdf", PDF)
        )
    client = client_for(cast.alice)

    with django_assert_max_num_queries(10):
        response = client.get(f"/documents/{person.reference}/")

    assert response.content.decode().count("Download</a>") == n
