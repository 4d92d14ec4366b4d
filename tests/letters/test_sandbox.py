"""A template author cannot reach settings, model attributes or other cases, and an
unknown placeholder is an error shown when saving, never a silent blank."""

import pytest
from django.core.exceptions import ValidationError

from casework.letters import sandbox
from casework.letters.models import LetterTemplate
from casework.letters.services import letter_generate

GOOD = {
    "subject": "Urgent: {{ group_size }} people ({{ reference }})",
    "asks": "We ask you to:\n- stop the return{% if deadline %} before {{ deadline }}{% endif %}",
    "facts": "{% for v in vulnerabilities %}{{ forloop.counter }}. {{ v|capfirst }}\n{% endfor %}",
    "risk": "Risk.",
    "legal_basis": "{{ legal_bases|join:' ' }}",
    "closing": "Respectfully,",
}


def form_data(**changes):
    data = {
        "slug": "custom-appeal",
        "language": "en",
        "title": "Custom appeal",
        "topic": "imminent_return",
        "case_kind": "any",
        "active": "on",
        **GOOD,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "source, problem",
    [
        ("{{ settings.SECRET_KEY }}", "unknown placeholder 'settings.SECRET_KEY'"),
        ("{{ person.legal_name }}", "unknown placeholder 'person.legal_name'"),
        ("{{ name.upper }}", "'name.upper' reaches into a value"),
        ("{{ reference.__class__ }}", "may not begin with underscores"),
        ("{{ case_P_7K3QX }}", "unknown placeholder 'case_P_7K3QX'"),
        ("{% for p in cases %}{{ p }}{% endfor %}", "unknown placeholder 'cases'"),
        ("{% if request.user %}x{% endif %}", "unknown placeholder 'request.user'"),
        ("{% load static %}", "the tag 'load' is not allowed"),
        ('{% include "letters/_document.html" %}', "the tag 'include' is not allowed"),
        ("{% debug %}", "the tag 'debug' is not allowed"),
        ("{{ today|date:'Y' }}", "the filter 'date' is not allowed"),
        ("{{ nmae }}", "unknown placeholder 'nmae'"),
    ],
)
def test_a_section_reaching_outside_the_whitelist_is_refused(source, problem):
    problems = sandbox.section_check(source)
    assert len(problems) >= 1
    assert problem in problems[0]


def test_the_whitelisted_placeholders_tags_and_filters_pass():
    for source in GOOD.values():
        assert sandbox.section_check(source) == []


def test_the_admin_shows_the_unknown_placeholder_when_saving_and_saves_nothing(cast, client_for):
    client = client_for(cast.erin)
    response = client.post(
        "/admin/letters/lettertemplate/add/",
        form_data(facts="Held at {{ facility }} since {{ detained_since }}."),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["facts"]
    assert "unknown placeholder 'detained_since'" in errors["facts"][0]
    assert "unknown placeholder &#x27;detained_since&#x27;" in response.content.decode()
    assert not LetterTemplate.objects.filter(slug="custom-appeal").exists()


def test_the_admin_refuses_a_template_reaching_for_settings(cast, client_for):
    client = client_for(cast.erin)
    response = client.post(
        "/admin/letters/lettertemplate/add/",
        form_data(closing="Signed, {{ settings.SECRET_KEY }}"),
    )
    assert response.status_code == 200
    assert (
        "unknown placeholder 'settings.SECRET_KEY'"
        in (response.context["adminform"].form.errors["closing"][0])
    )
    assert not LetterTemplate.objects.filter(slug="custom-appeal").exists()


def test_the_admin_saves_a_sound_template(cast, client_for):
    response = client_for(cast.erin).post("/admin/letters/lettertemplate/add/", form_data())
    assert response.status_code == 302
    assert LetterTemplate.objects.get(slug="custom-appeal").subject == GOOD["subject"]


def test_a_template_edited_behind_the_admin_still_does_not_render(cast, yanji, minister):
    LetterTemplate.objects.filter(slug="group-imminent-return", language="en").update(
        risk="{{ person.legal_name }}"
    )
    with pytest.raises(ValidationError) as caught:
        letter_generate(
            user=cast.dana, template_slug="group-imminent-return", language="en",
            recipient=minister, group=yanji.group,
        )  # fmt: skip
    assert "unknown placeholder 'person.legal_name'" in caught.value.messages[0]


def test_rendering_never_takes_values_outside_the_whitelist():
    with pytest.raises(ValueError, match="outside the whitelist"):
        sandbox.section_render("{{ name }}", {"name": "x", "settings": object()})
