"""The Celery app, configured from Django settings (``CELERY_`` namespace).

Redis when ``REDIS_URL`` is set; otherwise kombu's filesystem transport, whose folders
are created here so a worker and beat run on a fresh machine with no server at all.
"""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")


def broker_folders_create() -> None:
    options = app.conf.broker_transport_options or {}
    if not str(app.conf.broker_url or "").startswith("filesystem"):
        return
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _on_configure(sender, **kwargs) -> None:
    broker_folders_create()


app.autodiscover_tasks()
