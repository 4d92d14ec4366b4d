"""Which fonts this machine sets each language's PDF letters in.

``python -m casework.letters.fonts`` prints them as JSON. The deploy check runs it in a
child process: on a machine with no fonts at all, Pango does not fail, it crashes.
"""

import json
import os
import subprocess  # nosec B404
import sys
from pathlib import Path

# The fonts ``pdf.css`` sets each language's letters in, with the Debian packages that
# carry them. A machine without them sets a letter in whatever it has, or draws boxes
# where it has no glyph, and is slower for searching each letter for substitutes.
PDF_FONTS = {
    "en": ({"Noto Sans"}, "fonts-noto-core"),
    "ko": ({"NanumGothic", "Noto Sans CJK KR"}, "fonts-nanum fonts-noto-cjk"),
    "zh": (
        {"Noto Serif", "AR PL UMing CN", "WenQuanYi Micro Hei", "Noto Sans CJK SC"},
        "fonts-noto-core fonts-arphic-uming fonts-wqy-microhei fonts-noto-cjk",
    ),
}
ALL_PACKAGES = "fonts-noto-core fonts-noto-cjk fonts-nanum fonts-arphic-uming fonts-wqy-microhei"
_SAMPLES = {"en": "Dear Minister", "ko": "장관님께", "zh": "尊敬的部长"}


def pdf_fonts_used(language: str) -> set[str]:
    """The font families a short letter in ``language`` is set in, in this process."""
    import weasyprint

    from casework.letters import rendering

    stylesheet, fonts = rendering._pdf_style()
    sample = _SAMPLES[language]
    lang = rendering.HTML_LANG[language]
    html = f'<html lang="{lang}"><p>{sample}</p><p><strong>{sample}</strong></p></html>'
    document = weasyprint.HTML(string=html, url_fetcher=rendering._refuse_fetch).render(
        stylesheets=[stylesheet], font_config=fonts
    )
    document.write_pdf()  # the fonts are gathered as the pages are drawn
    return {font.family for font in document.fonts.values()}


class RendererFailed(Exception):
    pass


def pdf_fonts_probe(timeout: float = 120) -> dict[str, set[str]]:
    """``pdf_fonts_used`` for every language, found by a child process."""
    env = {"DJANGO_SETTINGS_MODULE": "casework.settings", **os.environ}
    # Our own interpreter and module; nothing a user sent reaches the command line.
    done = subprocess.run(  # nosec B603
        [sys.executable, "-m", "casework.letters.fonts"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode < 0:
        raise RendererFailed(f"the renderer crashed, signal {-done.returncode}")
    if done.returncode:
        said = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise RendererFailed(f"the renderer failed: {said[0]}")
    return {language: set(families) for language, families in json.loads(done.stdout).items()}


if __name__ == "__main__":
    import django

    django.setup()
    found = {language: sorted(pdf_fonts_used(language)) for language in PDF_FONTS}
    print(json.dumps(found))
