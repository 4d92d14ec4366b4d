from django.urls import path

from casework.board import views

app_name = "board"

urlpatterns = [
    path("", views.BoardView.as_view(), name="index"),
    path("export.csv", views.BoardExportView.as_view(format="csv"), name="export_csv"),
    path("export.xlsx", views.BoardExportView.as_view(format="xlsx"), name="export_xlsx"),
    path("summary.txt", views.BoardSummaryView.as_view(), name="summary"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report.csv", views.ReportExportView.as_view(format="csv"), name="report_csv"),
    path("report.xlsx", views.ReportExportView.as_view(format="xlsx"), name="report_xlsx"),
]
