"""How fast letters render, for ``make bench``: letters per second per format.

Renders a realistic document (the group template, every section filled) so that the
figure includes template rendering, layout, font subsetting and file writing.
"""

import time

from casework.letters import rendering, wording
from casework.letters.enums import LegalBasis


def sample_document(language: str) -> dict:
    """A full letter (every section filled) in ``language``."""
    bases = [wording.LEGAL_BASIS[b][language] for b in LegalBasis.values]
    paragraph = {
        "en": "We write on behalf of 5 people from North Korea held in detention at Yanji. ",
        "ko": "저희는 연길 구류소에 구금된 북한 주민 5명을 위해 이 서한을 드립니다. ",
        "zh": "我们谨代表被关押在延吉看守所的5名朝鲜人致函。",
    }[language]
    return {
        "language": language,
        "date": "1 January 2026",
        "reference_line": "L-BENCH1 / G-BENCH1",
        "recipient": ["Minister of Public Security", "Ministry of Public Security", "Beijing"],
        "subject": paragraph[:60],
        "subject_label": wording.LABELS[language]["subject"],
        "colon": ": ",
        "salutation": wording.DEFAULT_SALUTATION[language],
        "deadline_line": "",
        "body": [{"kind": "p", "text": paragraph * 4} for _ in range(6)]
        + [{"kind": "li", "text": text} for text in bases],
        "closing": [{"kind": "p", "text": "Respectfully,"}],
        "copies_heading": wording.LABELS[language]["copies"],
        "copies": ["Minister of Foreign Affairs", "UNHCR"],
    }


def letters_bench(*, letters: int = 10) -> list[tuple[str, float]]:
    """[(label, letters per second)] for PDF and DOCX in each language."""
    rows = []
    rendering.document_pdf(sample_document("en"))  # warm fontconfig and the font cache
    for file_format in ("pdf", "docx"):
        for language in ("en", "ko", "zh"):
            document = sample_document(language)
            started = time.perf_counter()
            for _ in range(letters):
                rendering.document_file(document, file_format)
            elapsed = time.perf_counter() - started
            rows.append((f"letters/s {file_format} ({language})", letters / elapsed))
    return rows
