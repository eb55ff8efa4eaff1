from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("villages/<int:village_id>/sheet.xlsx", views.village_sheet, name="village_sheet"),
    path("ranking.xlsx", views.ranking, name="ranking"),
    path("sheets/", views.sheets_job, name="sheets_job"),
]
