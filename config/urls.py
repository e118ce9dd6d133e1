from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from ledger.admin_actions import delete_selection

admin.site.site_header = _("Aire ouverte · back office")
admin.site.site_title = _("Aire ouverte · back office")
admin.site.index_title = _("Partnership books")
# The lists need the width: the models are one click away on the index and the dashboard.
admin.site.enable_nav_sidebar = False
admin.site.add_action(delete_selection, "delete_selected")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("comptes/", include("django.contrib.auth.urls")),
    path("portail/", include("portal.urls")),
    path("revue/", include("portal.review.urls")),
    path("tableau-de-bord/", include("portal.dashboard.urls")),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
]

handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
