"""The report's form: one or more periods and the day the figures are given as of."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.board.reports import MAX_PERIODS, Period


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReportForm(forms.Form):
    """Periods as ``start_1``/``stop_1`` … ``start_3``/``stop_3`` and ``as_of``.

    Periods may not overlap (a detention would count twice) nor end after the as-of
    day (what happened after it is not yet known then); the as-of day is not in the
    future."""

    as_of = forms.DateField(label=_("As of the end of"), widget=DateInput)
    exact = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_PERIODS + 1):
            self.fields[f"start_{i}"] = forms.DateField(
                label=_("Period %(n)s from") % {"n": i}, required=False, widget=DateInput
            )
            self.fields[f"stop_{i}"] = forms.DateField(
                label=_("Period %(n)s to") % {"n": i}, required=False, widget=DateInput
            )

    def period_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"start_{i}"], self[f"stop_{i}"]) for i in range(1, MAX_PERIODS + 1)]

    def clean_as_of(self) -> datetime.date:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(
                gettext("The as-of day is in the future: nothing is known of it yet.")
            )
        return as_of

    def clean(self):
        cleaned = super().clean()
        as_of = cleaned.get("as_of")
        periods = []
        for i in range(1, MAX_PERIODS + 1):
            start, stop = cleaned.get(f"start_{i}"), cleaned.get(f"stop_{i}")
            if f"start_{i}" in self.errors or f"stop_{i}" in self.errors:
                continue
            if start is None and stop is None:
                continue
            if start is None or stop is None:
                missing = f"start_{i}" if start is None else f"stop_{i}"
                self.add_error(missing, gettext("Give both the first and the last day."))
                continue
            if stop < start:
                self.add_error(f"stop_{i}", gettext("The period ends before it begins."))
                continue
            if as_of is not None and stop > as_of:
                self.add_error(
                    f"stop_{i}",
                    gettext("The period ends after the as-of day (%(day)s).")
                    % {"day": date_format(as_of, "DATE_FORMAT")},
                )
                continue
            periods.append(Period(start, stop))
        if not periods and not self.errors:
            raise forms.ValidationError(gettext("Choose at least one period."))
        ordered = sorted(periods, key=lambda p: p.start)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if later.start <= earlier.stop:
                raise forms.ValidationError(
                    gettext(
                        "Periods %(a)s and %(b)s overlap: a detention in both would be "
                        "counted twice."
                    )
                    % {"a": earlier.label, "b": later.label}
                )
        cleaned["periods"] = periods
        return cleaned

    @classmethod
    def suggested(cls, today: datetime.date | None = None) -> dict[str, str]:
        """A starting point: the twelve months to the end of last month, and since."""
        today = today or timezone.localdate()
        last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
        year_start = last_month_end.replace(day=1)
        for _month in range(11):
            year_start = (year_start - datetime.timedelta(days=1)).replace(day=1)
        initial = {
            "start_1": year_start,
            "stop_1": last_month_end,
            "as_of": today,
        }
        if last_month_end < today:
            initial.update(start_2=last_month_end + datetime.timedelta(days=1), stop_2=today)
        return {key: value.isoformat() for key, value in initial.items()}
