"""The settlement workbook (奖惩兑现台账): a township's year of ledger lines, print-ready.

Excel belongs to exports, a layer above rewards, so the workbook is built here from the rows
rewards.selectors gives (the rewards never import exports). The download keeps its address in
the rewards menu, /rewards/export.xlsx (`rewards:export`): config/urls.py mounts `urlpatterns`
below inside the rewards namespace.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import township_of
from core.params import int_param
from rewards import selectors

from .styles import workbook_bytes
from .tables import write_table
from .views import xlsx_response

VIEW = "kaohe.view_dashboard"


def settlement_workbook(township, year: int) -> bytes:
    """Every ledger line of the township's year, with what the signs and statuses mean."""
    workbook = write_table(
        f"{township.name}{year}年度综治及信访工作奖惩兑现台账",
        selectors.SETTLEMENT_HEADERS,
        selectors.settlement_rows(township, year),
        subtitle=_("金额:正数为发放给村(居)或个人,负数为其缴纳或被罚。"),
        notes=[_("状态:已计算(待审批)→ 已审批 → 已兑现;“差额调整”为重算后与已审批金额的差额。")],
        sheet_title=_("奖惩台账"),
    )
    return workbook_bytes(workbook)


@login_required
def download(request):
    """The year's ledger (?year=, default this year) for admins, staff and leaders."""
    township = township_of(request.user)
    if not request.user.has_perm(VIEW, township):
        raise PermissionDenied
    year = int_param(request.GET.get("year"), timezone.localdate().year, 2000, 2100)
    return xlsx_response(settlement_workbook(township, year), f"奖惩兑现台账-{year}.xlsx")


# Included by config/urls.py under "rewards/", in the rewards namespace.
urlpatterns = [path("export.xlsx", download, name="export")]
