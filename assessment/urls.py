from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("periods/", views.periods_page, name="periods"),
    path("periods/<int:year>/<int:month>/action/", views.period_action, name="period_action"),
    path("periods/<int:year>/recompute/", views.recompute_year, name="recompute_year"),
    path("district-recompute/", views.district_recompute, name="district_recompute"),
    path("ranking/", views.ranking, name="ranking"),
    path("villages/<int:village_id>/", views.village_scores, name="village_scores"),
    path("mine/", views.own_scores, name="own_scores"),
    path("lines/<int:line_id>/contest/", views.contest_file, name="contest_file"),
    path("contests/", views.contests, name="contests"),
    path("contests/<int:pk>/decide/", views.contest_decide, name="contest_decide"),
    path("compare/", views.compare, name="compare"),
    path("versions/", views.versions, name="versions"),
]
