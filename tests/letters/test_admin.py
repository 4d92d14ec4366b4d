"""Administrators keep the directory and the templates; nobody else edits them."""

from casework.letters import services
from casework.letters.models import LetterTemplate, Recipient


def test_the_demo_directory_holds_public_institutions_only(db):
    titles = set(Recipient.objects.values_list("title", flat=True))
    assert {
        "President of the People's Republic of China",
        "Minister of Public Security",
        "Director, Jilin Provincial Public Security Department",
        "Representative, UNHCR Regional Office for China and Mongolia",
        "Special Rapporteur on the situation of human rights in the DPRK",
        "Working Group on Arbitrary Detention",
        "Minister of Unification",
    } <= titles
    # Loading again (seed_demo) changes nothing.
    before = Recipient.objects.count()
    assert services.recipients_seed_demo() == before
    assert services.letter_templates_seed_demo() == 12
    assert (Recipient.objects.count(), LetterTemplate.objects.count()) == (before, 12)


def test_an_administrator_edits_recipients_and_templates_and_others_may_not(cast, client_for):
    recipient = Recipient.objects.get(title="Minister of Public Security")
    template = LetterTemplate.objects.get(slug="group-imminent-return", language="ko")
    admin = client_for(cast.erin)
    assert admin.get("/admin/letters/recipient/").status_code == 200
    assert admin.get(f"/admin/letters/recipient/{recipient.pk}/change/").status_code == 200
    assert admin.get(f"/admin/letters/lettertemplate/{template.pk}/change/").status_code == 200
    advocate = client_for(cast.dana)
    assert advocate.get("/admin/letters/lettertemplate/add/").status_code == 403
    assert advocate.get("/admin/letters/recipient/add/").status_code == 403
