from django.urls import path

from portal.review import travel, views

app_name = "review"

urlpatterns = [
    path("", views.review_index, name="index"),
    path("<int:year>/", views.review_page, name="year"),
    path("<int:year>/deplacements/", travel.review_travel, name="travel"),
    path("<int:year>/revue-<int:year_again>.xlsx", views.review_xlsx, name="xlsx"),
    path("<int:year>/revue-<int:year_again>.pdf", views.review_pdf, name="pdf"),
]
