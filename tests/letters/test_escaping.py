"""HTML typed into a case note or a letter comes out as text: escaped in the preview,
literal (inert) in the PDF, the DOCX and the plain text."""

from casework.letters.models import LetterTemplate
from casework.letters.services import letter_generate
from tests.letters.conftest import build_yanji_group
from tests.letters.files import docx_paragraphs, pdf_text

NOTE = "<script>alert('x')</script><img src=\"file:///etc/passwd\"> & <b>moved</b>"


def test_markup_in_a_case_note_is_escaped_in_the_preview_and_inert_in_files(
    cast, client_for, minister
):
    yanji = build_yanji_group(note=NOTE)
    template = LetterTemplate.objects.get(slug="group-imminent-return", language="en")
    template.facts = "The caseworker's note: {{ latest_note }}\n{{ additional_facts }}"
    template.save()
    letter = letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="en",
        recipient=minister, group=yanji.group, additional_facts="<i>typed</i> by the advocate",
    )  # fmt: skip

    page = client_for(cast.dana).get(f"/letters/{letter.reference}/").content.decode()
    assert "The caseworker&#x27;s note: &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; &amp; &lt;b&gt;moved&lt;/b&gt;" in page
    assert "&lt;i&gt;typed&lt;/i&gt; by the advocate" in page
    assert "<script>alert" not in page and '<img src="file' not in page

    files = {f.format: f.content() for f in letter.files.all()}
    pdf = pdf_text(files["pdf"])
    # Printed as text, not run or loaded (the PDF may wrap it anywhere).
    assert "".join(NOTE.split()) in "".join(pdf.split())
    paragraphs = docx_paragraphs(files["docx"])
    assert f"The caseworker's note: {NOTE}" in paragraphs
    assert "<i>typed</i> by the advocate" in paragraphs
    assert f"The caseworker's note: {NOTE}" in files["txt"].decode()
