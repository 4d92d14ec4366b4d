"""System checks `manage.py check --deploy` runs for letters: what they need of the
machine itself, which neither pip nor the migrations install."""

from django.core.checks import Tags, Warning, register

from casework.letters import fonts


@register(Tags.compatibility, deploy=True)
def letter_fonts_installed(app_configs, **kwargs) -> list[Warning]:
    """A Korean letter set without a Korean font reaches an official as boxes."""
    try:
        used = fonts.pdf_fonts_probe()
    except (fonts.RendererFailed, OSError, ValueError) as exc:
        return [
            Warning(
                f"PDF letters could not be rendered on this machine ({exc}).",
                hint="Install Pango and the letters' fonts (Debian: libpango-1.0-0 "
                f"libpangoft2-1.0-0 {fonts.ALL_PACKAGES}).",
                id="casework.W010",
            )
        ]
    problems = []
    for language, (wanted, packages) in fonts.PDF_FONTS.items():
        strangers = used.get(language, set()) - wanted
        if strangers or not used.get(language):
            found = ", ".join(sorted(strangers)) or "no font"
            problems.append(
                Warning(
                    f"PDF letters in {language} are set in {found}, not in their own fonts "
                    f"({', '.join(sorted(wanted))}).",
                    hint=f"Install the letters' fonts (Debian: {packages}).",
                    id="casework.W011",
                )
            )
    return problems
