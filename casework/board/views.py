"""The status board: headline figures, panels, charts, a filtered list and its exports.

Every view starts from ``board_persons(user)`` (which goes through
``persons_visible_to``), hands that queryset to the filter, and counts nothing else.
"""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django_filters.views import FilterView

from casework.accounts import roles
from casework.accounts.enums import AccessAction
from casework.accounts.reauth import require_recent_auth
from casework.accounts.services import access_log_record
from casework.board import exports
from casework.board.filters import FILTER_PARAMS, BoardFilter
from casework.board.forms import ReportForm
from casework.board.labels import FIGURE_RULES
from casework.board.reports import report_build, report_sheet
from casework.board.selectors import (
    COUNT_CAP,
    BoardPeople,
    BoardRows,
    board_at_risk,
    board_by_arrest_province,
    board_by_province,
    board_charts,
    board_count,
    board_headline,
    board_list,
    board_people,
    board_persons,
    board_stale,
    board_unidentified_others,
    unidentified_others,
)


class CountedPaginator(Paginator):
    """A paginator told its number of rows instead of counting them."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


# Anyone who may read case records may use the board (coordinators, advocates,
# administrators, and caseworkers for their own visible cases).
BOARD_PERMISSION = roles.VIEW_PERSON


def filter_query(request, **overrides) -> str:
    """The board's filter parameters from ``request``, with ``overrides`` applied."""
    params = {key: request.GET[key] for key in FILTER_PARAMS if request.GET.get(key)}
    params.update(overrides)
    return urlencode(params)


@method_decorator(never_cache, name="dispatch")
class BoardAccessMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(BOARD_PERMISSION):
            raise PermissionDenied(
                _("The status board is for caseworkers, coordinators and advocates.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return board_persons(self.request.user)

    def filterset_for_request(self) -> BoardFilter:
        return BoardFilter(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )

    @property
    def exact_counts(self) -> bool:
        """The coordinator chose to see small counts exactly (not for publication)."""
        return self.request.GET.get("exact") in ("1", "on", "true")


class BoardView(BoardAccessMixin, FilterView):
    filterset_class = BoardFilter
    template_name = "board/person_filter.html"
    paginate_by = 25

    def get_queryset(self):
        return board_persons(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        valid = not filterset.is_bound or filterset.is_valid()
        people = self.people
        start, stop = filterset.period
        headline = board_headline(
            people,
            start=start,
            stop=stop,
            as_of=filterset.as_of_day,
            others=board_unidentified_others(self.request.user, filterset),
        )
        charts = board_charts(people, start=start, stop=stop)
        provinces = board_by_province(people)
        arrest_provinces = board_by_arrest_province(people)
        at_risk_count, at_risk = board_at_risk(people)
        stale_count, stale = board_stale(people)

        def link(figure):
            return "?" + filter_query(self.request, **figure.params)

        def linked(figure, words):
            return format_html(
                '<a href="{}" data-figure="{}">{}</a>', link(figure), figure.key, words
            )

        suppress = not self.exact_counts
        active_filters = sum(1 for key in FILTER_PARAMS if self.request.GET.get(key))
        context.update(
            filter_errors=[] if valid else filterset.error_messages(),
            active_filters=active_filters,
            headline=headline,
            headline_html=headline.text(suppress=suppress, link=linked),
            summary=headline.text(suppress=suppress),
            tiles=[
                (figure, link(figure))
                for figure in [
                    headline.total,
                    *headline.outcomes,
                    *(f for f in headline.including if f.n),
                ]
            ],
            exact=self.exact_counts,
            rules=FIGURE_RULES,
            at_risk=at_risk,
            at_risk_count=at_risk_count,
            at_risk_link="?" + filter_query(self.request, status="at_risk"),
            stale=stale,
            stale_count=stale_count,
            caseworker_names=filterset.filters["caseworker"].queryset.values_list(
                "username", flat=True
            ),
            count_cap=COUNT_CAP,
            count_cap_text=f"{COUNT_CAP:,}",
            stale_link="?" + filter_query(self.request, stale="true"),
            query=filter_query(self.request),
            chart_data={
                "months": charts.months,
                "byStatus": [
                    {"status": status, "label": label, "counts": counts}
                    for status, label, counts in charts.series
                ],
                "provinces": provinces,
                "arrestProvinces": arrest_provinces,
                "transitions": charts.transitions,
                # Every word the charts draw, in the reader's language (board.js has none).
                "words": {
                    "people": _("People"),
                    "changes": pgettext("chart axis", "Changes"),
                    "month": _("Month"),
                    "province": _("Place now"),
                    "arrestProvince": _("Province of arrest"),
                    "change": _("Change of status"),
                },
            },
        )
        return context

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(BoardRows(queryset, self.people), page_size)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # The list's length comes from the tallies where it can: counting every visible
        # row for the page links would cost more than the rest of the board together.
        return CountedPaginator(
            queryset, per_page, orphans, allow_empty_first_page, count=board_count(self.people)
        )

    @cached_property
    def people(self) -> BoardPeople:
        """Who this view counts, worked out once for the list and the figures."""
        filterset = self.filterset
        if filterset.is_bound and not filterset.is_valid():
            return BoardPeople(filterset.queryset.none())
        return board_people(self.request.user, filterset)


@method_decorator(require_recent_auth, name="dispatch")
class BoardExportView(BoardAccessMixin, View):
    """The filtered list as a file. Logged in the access log with the filter, never values.

    Exporting takes records out of Casework, so it needs a recent password and code.
    """

    format = "csv"

    def get(self, request):
        filterset = self.filterset_for_request()
        if filterset.is_bound and not filterset.is_valid():
            message = _("The export was not made. %(errors)s") % {
                "errors": " ".join(filterset.error_messages())
            }
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        identities = exports.export_may_show_identities(
            request.user, asked=request.GET.get("identities") == "1"
        )
        query = filter_query(request, **({"identities": "1"} if identities else {}))
        access_log_record(
            user=request.user,
            action=AccessAction.EXPORTED,
            reference="board",
            detail=f"board.{self.format}?{query}",
        )
        header = exports.export_header(identities=identities)
        rows = exports.export_rows(board_list(filterset.qs), identities=identities)
        filename = f"casework-board.{self.format}"
        if self.format == "csv":
            response = StreamingHttpResponse(
                exports.export_csv_lines(header, rows), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                exports.export_xlsx(header, rows),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class BoardSummaryView(BoardAccessMixin, View):
    """The headline as publishable text; small counts hidden unless ``exact=1``."""

    def get(self, request):
        filterset = self.filterset_for_request()
        if filterset.is_bound and not filterset.is_valid():
            message = _("No summary was made. %(errors)s") % {
                "errors": " ".join(filterset.error_messages())
            }
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        start, stop = filterset.period
        headline = board_headline(
            board_people(request.user, filterset),
            start=start,
            stop=stop,
            as_of=filterset.as_of_day,
            others=board_unidentified_others(request.user, filterset),
        )
        text = headline.text(suppress=not self.exact_counts) + "\n"
        return HttpResponse(text, content_type="text/plain; charset=utf-8")


def report_query(request) -> str:
    """The report's parameters from ``request``, and nothing else: what its export links
    carry and the access log records (as ``filter_query`` does for the board)."""
    names = ReportForm().fields.keys()
    return urlencode([(key, request.GET[key]) for key in sorted(names) if request.GET.get(key)])


class ReportMixin(BoardAccessMixin):
    """The report's form and figures, from the query string."""

    def report_form(self) -> ReportForm:
        data = self.request.GET
        return ReportForm(data if data else None, initial=ReportForm.suggested())

    def report(self, form: ReportForm):
        periods, as_of = form.cleaned_data["periods"], form.cleaned_data["as_of"]
        user = self.request.user
        return report_build(
            board_persons(user),
            periods,
            as_of,
            others=[unidentified_others(user, p.start, min(p.stop, as_of)) for p in periods],
        )

    @property
    def exact_counts(self) -> bool:
        return self.request.GET.get("exact") in ("1", "on", "true")


class ReportView(ReportMixin, TemplateView):
    """Figures for publication: periods side by side, as of a day, with the paragraph."""

    template_name = "board/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.report_form()
        suppress = not self.exact_counts
        context.update(form=form, exact=self.exact_counts, rules=FIGURE_RULES)
        if form.is_bound and form.is_valid():
            report = self.report(form)
            query = report_query(self.request)
            context.update(
                report=report,
                paragraph=report.paragraph(suppress=suppress),
                sections=[
                    (section, section.headline.text(suppress=suppress))
                    for section in report.sections
                ],
                suppress=suppress,
                query=query,
            )
        return context


@method_decorator(require_recent_auth, name="dispatch")
class ReportExportView(ReportMixin, View):
    """The report's tables as a file; logged in the access log with the query."""

    format = "csv"

    def get(self, request):
        form = self.report_form()
        if not form.is_bound or not form.is_valid():
            errors = " ".join(
                str(error) for field_errors in form.errors.values() for error in field_errors
            ) or _("Choose at least one period.")
            message = _("The export was not made. %(errors)s") % {"errors": errors}
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        access_log_record(
            user=request.user,
            action=AccessAction.EXPORTED,
            reference="board",
            detail=f"report.{self.format}?{report_query(request)}",
        )
        rows = report_sheet(self.report(form), suppress=not self.exact_counts)
        filename = f"casework-report.{self.format}"
        if self.format == "csv":
            response = HttpResponse(
                "".join(exports.export_csv_lines(rows[0], rows[1:])),
                content_type="text/csv; charset=utf-8",
            )
        else:
            response = HttpResponse(
                exports.export_xlsx(rows[0], rows[1:], title=_("Report")),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
