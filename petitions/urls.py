from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/<int:year>/<int:month>/<int:half>/", views.portal, name="portal_half"),
    path("report/<int:pk>/seal/", views.report_seal, name="report_seal"),
    path("dossier/<int:pk>/file/<str:field_name>/", views.dossier_file, name="dossier_file"),
    path("dossier/<int:pk>/review/", views.dossier_review, name="dossier_review"),
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("candidates/refresh/", views.candidate_refresh, name="candidate_refresh"),
    path(
        "candidates/<int:pk>/<str:decision>/",
        views.candidate_decide,
        name="candidate_decide",
    ),
]
for pages in views.PAGES:
    urlpatterns += pages.urls(app_name)
