"""The one-template choice widgets write the same HTML as Django's own."""

from django import forms
from django.test.html import parse_html

from casework.cases.widgets import InlineCheckboxes, InlineSelect

CHOICES = [("", "Any"), ("detained", "Detained"), ("returned", "Returned <forcibly>")]


def same_html(ours: str, django: str) -> bool:
    return parse_html(ours) == parse_html(django)


def test_the_select_matches_djangos_with_the_chosen_option_selected():
    attrs = {"id": "id_status", "class": "wide"}
    ours = InlineSelect(attrs, choices=CHOICES).render("status", "detained")
    django = forms.Select(attrs, choices=CHOICES).render("status", "detained")

    assert same_html(ours, django)
    assert '<option value="detained" selected>' in ours
    assert "&lt;forcibly&gt;" in ours


def test_the_checkboxes_match_djangos_with_the_chosen_ones_ticked():
    attrs = {"id": "id_members"}
    value = ["detained", "returned"]
    ours = InlineCheckboxes(attrs, choices=CHOICES).render("members", value)
    django = forms.CheckboxSelectMultiple(attrs, choices=CHOICES).render("members", value)

    assert same_html(ours, django)
    assert ours.count(" checked") == 2
