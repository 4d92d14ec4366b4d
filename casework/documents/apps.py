from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "casework.documents"
    label = "documents"
    verbose_name = _("Documents and photos")

    def ready(self):
        from casework.cases.encryption import encrypted_files_register
        from casework.documents.services import document_files_erase, document_paths
        from casework.erasure.services import erasure_hooks

        if document_files_erase not in erasure_hooks:
            erasure_hooks.append(document_files_erase)
        encrypted_files_register(label="documents", paths=document_paths)
