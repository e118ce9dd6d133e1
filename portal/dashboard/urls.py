from django.urls import path

from portal.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.dashboard, name="index")]
