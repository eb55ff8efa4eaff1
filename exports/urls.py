from django.urls import path

from . import views
from . import views_imports

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("villages/<int:village_id>/sheet.xlsx", views.village_sheet, name="village_sheet"),
    path("ranking.xlsx", views.ranking, name="ranking"),
    path("sheets/", views.sheets_job, name="sheets_job"),
    path("import/<str:kind>/", views_imports.import_page, name="import"),
    path("import/<str:kind>/template.xlsx", views_imports.import_template, name="template"),
    path("imports/<int:pk>/", views_imports.import_batch, name="import_batch"),
    path("imports/<int:pk>/confirm/", views_imports.import_confirm, name="import_confirm"),
    path("records/<str:kind>.xlsx", views_imports.records_export, name="records"),
    path("district-import/", views_imports.district_import, name="district_import"),
    path("district-imports/<int:pk>/", views_imports.district_batch, name="district_batch"),
    path(
        "district-imports/<int:pk>/confirm/",
        views_imports.district_confirm,
        name="district_confirm",
    ),
]
