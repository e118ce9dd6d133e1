from django.urls import path

from portal import meetings, preferences, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("courriels/", preferences.notification_preferences, name="notification_preferences"),
    path("<int:party_id>/", views.party_home, name="party"),
    path("<int:party_id>/releve/", views.statement, name="statement"),
    path("<int:party_id>/rencontres/", meetings.meetings, name="meetings"),
    path("<int:party_id>/releve.csv", views.statement_csv, name="statement_csv"),
    path("<int:party_id>/releve.pdf", views.statement_pdf_view, name="statement_pdf"),
    path("<int:party_id>/rapports/<int:requirement_id>/", views.report, name="report"),
    path(
        "<int:party_id>/rapports/<int:requirement_id>/pieces/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
]
