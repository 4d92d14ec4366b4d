"""Choice widgets whose options are written in one template.

Django renders every option of a select or a list of checkboxes through a template
include of its own; the board and the case pages render dozens of options on every
request, and those includes cost more than the pages' own queries. These write the same
HTML in one pass. They have no optgroups (no choice list here uses them).
"""

from django import forms


class InlineSelect(forms.Select):
    template_name = "cases/widgets/select.html"


class InlineCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "cases/widgets/checkboxes.html"
