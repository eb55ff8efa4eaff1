from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include
from django.urls import path

from core.views_home import home
from exports import rewards_book
from rewards import urls as rewards_urls

admin.site.site_header = "综治及信访工作考核 · 管理后台"
admin.site.site_title = "kaohe"
admin.site.index_title = "管理"

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("villages/", include("villages.urls")),
    path("petitions/", include("petitions.urls")),
    path("cases/", include("cases.urls")),
    path("governance/", include("governance.urls")),
    path("workdays/", include("workdays.urls")),
    path("assessment/", include("assessment.urls")),
    # The settlement workbook is built in exports (above rewards) and keeps its rewards address.
    path("rewards/", include((rewards_urls.urlpatterns + rewards_book.urlpatterns, "rewards"))),
    path("jobs/", include("jobs.urls")),
    path("exports/", include("exports.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("api/", include("api.urls")),
]
