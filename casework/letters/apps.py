from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "casework.letters"
    label = "letters"
    verbose_name = _("Appeal letters")

    def ready(self) -> None:
        from casework.cases.encryption import encrypted_files_register
        from casework.erasure.services import erasure_hooks
        from casework.letters import checks  # noqa: F401 - registers the system checks
        from casework.letters.erasure import letters_erase
        from casework.letters.files import letter_sealed_paths

        if letters_erase not in erasure_hooks:
            erasure_hooks.append(letters_erase)
        encrypted_files_register(label="letter files", paths=letter_sealed_paths)
