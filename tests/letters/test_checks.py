"""`manage.py check --deploy` tells a deployment whose letters would lack their fonts,
before a Korean letter reaches an official as boxes."""

from pathlib import Path

from casework.letters.checks import letter_fonts_installed


def only_these_fonts(tmp_path: Path, monkeypatch, directory: Path | None) -> None:
    """Show fontconfig (in the renderer's process) the fonts of ``directory`` only."""
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{directory or empty}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))


def test_a_machine_with_the_letters_fonts_passes():
    assert letter_fonts_installed(None) == []


def test_a_machine_with_only_a_korean_font_is_told_which_letters_lack_theirs(tmp_path, monkeypatch):
    nanum = next(Path("/usr/share/fonts").rglob("NanumGothic.ttf"), None)
    assert nanum is not None, "the letters' fonts are installed (apt-get install fonts-nanum)"
    only_these_fonts(tmp_path, monkeypatch, nanum.parent)

    warnings = letter_fonts_installed(None)

    said = {warning.msg.split(" are set in")[0]: warning for warning in warnings}
    assert set(said) == {"PDF letters in en", "PDF letters in zh"}
    assert all(warning.id == "casework.W011" for warning in warnings)
    assert "NanumGothic" in said["PDF letters in en"].msg
    assert "fonts-noto-core" in said["PDF letters in en"].hint
    assert "fonts-arphic-uming" in said["PDF letters in zh"].hint


def test_a_machine_without_any_font_is_warned_and_the_check_survives(tmp_path, monkeypatch):
    only_these_fonts(tmp_path, monkeypatch, None)

    warnings = letter_fonts_installed(None)

    # Pango crashes without any font (W010); were it to set letters in nothing, W011.
    assert warnings and {warning.id for warning in warnings} <= {"casework.W010", "casework.W011"}
    assert all(
        "fonts-nanum" in warning.hint or "fonts-noto" in warning.hint for warning in warnings
    )


def test_a_renderer_that_fails_is_reported_with_what_it_said(monkeypatch):
    # The renderer's process reads its settings from the environment, as it would
    # read a broken deployment's.
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "no_such_settings")

    (warning,) = letter_fonts_installed(None)

    assert warning.id == "casework.W010"
    assert "No module named 'no_such_settings'" in warning.msg
    assert "libpango-1.0-0" in warning.hint
