"""Every status has its words in every letter language: a status added without them
fails here, not when a Korean or Chinese letter is rendered."""

import pytest

from casework.cases.enums import Status
from casework.letters import wording
from casework.letters.enums import Language


@pytest.mark.parametrize("language", Language.values)
@pytest.mark.parametrize("status", Status.values)
def test_every_status_has_words_in_every_letter_language(status, language):
    words = wording.status_words(status, language)
    assert words.strip(), f"{status} has no words in {language}"
