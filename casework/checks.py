"""System checks for the deployment as a whole, beside each app's own (`checks.py`)."""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages


@register(Tags.staticfiles, deploy=True)
def static_manifest_complete(app_configs, **kwargs) -> list[Error]:
    """Outside DEBUG the manifest storage names every static file by its manifest entry,
    and a page asking for a file the manifest lacks is a 500: without a manifest, every
    page. Deployment-only, so `collectstatic`, which writes the manifest, is not held up.
    """
    if settings.DEBUG:
        return []
    hint = "Run `python manage.py collectstatic --noinput` with the production settings."
    try:
        # A fresh storage reads the manifest now, not when this process first needed it.
        storage = storages.create_storage(settings.STORAGES["staticfiles"])
    except ValueError as exc:
        return [
            Error(f"The static files manifest cannot be read: {exc}", hint=hint, id="casework.E040")
        ]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    collected = storage.hashed_files
    if not collected:
        return [
            Error(
                f"No static files manifest in {settings.STATIC_ROOT}: every page would answer 500.",
                hint=hint,
                id="casework.E040",
            )
        ]
    ignore_patterns = apps.get_app_config("staticfiles").ignore_patterns
    missing = sorted(
        {
            path
            for finder in finders.get_finders()
            for path, _ in finder.list(ignore_patterns)
            if path not in collected
        }
    )
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        return [
            Error(
                f"{len(missing)} static files are missing from the manifest ({shown}): "
                "pages using them would answer 500.",
                hint=hint,
                id="casework.E041",
            )
        ]
    return []
