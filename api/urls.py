"""/api/: a ModelViewSet per record kind, scores and rankings, periods, exports, token and the
OpenAPI schema with its interactive docs (Swagger UI and ReDoc served from our static files)."""

from django.http import JsonResponse
from django.urls import path
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularRedocView
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import assessment
from . import cases
from . import contests
from . import exports
from . import governance
from . import petitions
from . import rewards
from . import villages
from .auth import ObtainToken
from .docs_csp import redoc_csp
from .docs_csp import swagger_csp

app_name = "api"

router = SimpleRouter()
for prefix, viewset, basename in [
    ("petitions", petitions.PetitionViewSet, "petition"),
    ("reception-logs", petitions.ReceptionLogViewSet, "reception-log"),
    ("baobao-entries", petitions.BaobaoEntryViewSet, "baobao-entry"),
    ("disputes", petitions.DisputeViewSet, "dispute"),
    ("dispute-reports", petitions.DisputeReportViewSet, "dispute-report"),
    ("dossiers", petitions.DossierViewSet, "dossier"),
    ("assigned-cases", cases.AssignedCaseViewSet, "assigned-case"),
    ("backlog-cases", cases.BacklogCaseViewSet, "backlog-case"),
    ("centre-inspections", governance.CentreInspectionViewSet, "centre-inspection"),
    ("special-persons", governance.SpecialPersonViewSet, "special-person"),
    ("zero-reports", governance.ZeroReportViewSet, "zero-report"),
    ("leadership-groups", governance.LeadershipGroupViewSet, "leadership-group"),
    ("landline-households", governance.LandlineHouseholdViewSet, "landline-household"),
    ("patrols", governance.PatrolViewSet, "patrol"),
    ("village-meetings", governance.VillageMeetingViewSet, "village-meeting"),
    ("township-meetings", governance.TownshipMeetingViewSet, "township-meeting"),
    ("meeting-attendances", governance.MeetingAttendanceViewSet, "meeting-attendance"),
    ("surveys", governance.SurveyViewSet, "survey"),
    ("adjustment-events", governance.AdjustmentEventViewSet, "adjustment-event"),
    ("sensitive-periods", governance.SensitivePeriodViewSet, "sensitive-period"),
    ("villages", villages.VillageViewSet, "village"),
    ("people", villages.PersonViewSet, "person"),
    ("responsibilities", villages.ResponsibilityViewSet, "responsibility"),
    ("sheets", assessment.ScoreSheetViewSet, "sheet"),
    ("rubric-versions", assessment.RubricVersionViewSet, "rubric-version"),
    ("periods", assessment.PeriodViewSet, "period"),
    ("contests", contests.ContestViewSet, "contest"),
    ("settlements", rewards.SettlementViewSet, "settlement"),
    ("deposits", rewards.DepositViewSet, "deposit"),
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("token/", ObtainToken.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from this URL (?script), not inline.
    path(
        "docs/",
        swagger_csp(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("redoc/", redoc_csp(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path("rankings/", assessment.RankingView.as_view(), name="rankings"),
    path(
        "exports/villages/<int:village_id>/sheet/",
        exports.VillageSheetExport.as_view(),
        name="export-village-sheet",
    ),
    path("exports/ranking/", exports.RankingExport.as_view(), name="export-ranking"),
    path("exports/sheets/", exports.SheetsJobExport.as_view(), name="export-sheets"),
    path("jobs/<int:job_id>/", exports.JobView.as_view(), name="job-detail"),
    path("jobs/<int:job_id>/download/", exports.JobDownload.as_view(), name="job-download"),
    *router.urls,
]


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other path under /api/ answers like the API does: JSON, not the site's HTML page."""
    return JsonResponse({"detail": _("未找到。")}, status=404)


urlpatterns.append(re_path(r"", not_found))
