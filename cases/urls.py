from django.urls import path

from core.views import RecordPages

from . import views
from .forms import BACKLOG_FIELDS
from .forms import AssignedCaseForm
from .forms import BacklogCaseForm
from .models import AssignedCase
from .models import BacklogCase

app_name = "cases"

assigned_pages = RecordPages(
    name="assigned",
    model=AssignedCase,
    form_class=AssignedCaseForm,
    columns=("village", "title", "assigned_by", "assigned_date", "due_date", "state"),
    filter_fields=("village", "state"),
    search_fields=("title", "matter", "assigned_by", "reference"),
    detail_fields=(
        "village",
        "title",
        "reference",
        "assigned_by",
        "assigned_date",
        "matter",
        "state",
        "result_reported_date",
        "result",
        "concluded_date",
    ),
    views={"list": views.AssignedList, "detail": views.AssignedDetail},
)

backlog_pages = RecordPages(
    name="backlog",
    model=BacklogCase,
    form_class=BacklogCaseForm,
    columns=("village", "title", "leader", "listed_date", "time_limit", "resolved_date"),
    filter_fields=("village", "leader"),
    search_fields=("title", "matter", "working_group", "leader__name"),
    select_related=("village", "leader"),
    detail_fields=("village", *BACKLOG_FIELDS),
    views={
        "list": views.BacklogList,
        "detail": views.BacklogDetail,
        "create": views.BacklogCreate,
        "update": views.BacklogUpdate,
    },
)


urlpatterns = [
    *assigned_pages.urls(app_name),
    path(
        "assigned/<int:pk>/step/<slug:action>/",
        views.AssignedAction.as_view(pages=assigned_pages, app_name=app_name),
        name="assigned_action",
    ),
    *backlog_pages.urls(app_name),
]
