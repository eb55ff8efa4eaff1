from django.urls import path

from . import views

# The settlement workbook (export.xlsx) is exports.rewards_book's, mounted here by config/urls.
app_name = "rewards"

urlpatterns = [
    path("", views.index, name="index"),
    path("villages/<int:village_id>/", views.village_statement, name="village"),
    path("people/<int:person_id>/", views.person_statement, name="person"),
    path("lines/", views.lines, name="lines"),
    path("lines/action/", views.lines_action, name="lines_action"),
    path("lines/<int:pk>/", views.entry_detail, name="entry"),
    path("settle/", views.settle, name="settle"),
    path("prior-years/", views.prior_years, name="prior_years"),
]
