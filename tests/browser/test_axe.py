"""axe-core (static/vendor/axe-core-4.14.1, MPL-2.0) on each role's main pages of the demo
township, on a 1366 px screen and on a 390 px phone: no violation of impact critical or serious.

axe is loaded from our own static files with a <script src>, so the pages' Content-Security-Policy
(script-src 'self') stays in force while it runs. A failure lists each rule with its help link and
the first offending elements with what axe found wrong.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from sampledata.township import DEMO_PASSWORD
from villages.models import Village

pytestmark = pytest.mark.django_db(transaction=True)

AXE = "vendor/axe-core-4.14.1/axe.min.js"
SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# WCAG 2.0-2.2 A and AA and axe's best practices; only critical and serious fail the test.
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = {"critical", "serious"}
# Minor in axe, but a header with no name leaves a screen reader user with an unnamed column.
ALSO_BLOCKING = {"empty-table-header"}


def _pages(role, village, record=None):
    """(name, url) of the role's main pages: home, lists, dashboard, village scores, portal,
    periods, jobs, and a record with a history of two versions."""
    scores = reverse("assessment:village_scores", args=[village.pk])
    common = [("home", reverse("home")), ("notifications", reverse("jobs:notifications"))]
    township = [
        ("dashboard", reverse("dashboard:index")),
        ("ranking", reverse("assessment:ranking")),
        ("village-board", reverse("dashboard:village", args=[village.pk])),
        ("village-scores", scores),
        ("rewards", reverse("rewards:index")),
        ("jobs", reverse("jobs:job_list")),
    ]
    return (
        common
        + {
            "secretary": [
                ("portal", reverse("petitions:portal")),
                ("reports", reverse("petitions:report_list")),
                ("disputes", reverse("petitions:dispute_list")),
                ("assigned-cases", reverse("cases:assigned_list")),
                ("patrols", reverse("governance:patrol_list")),
                ("village-scores", scores),
                ("rewards", reverse("rewards:index")),
            ],
            "staff": [
                *township,
                ("petitions", reverse("petitions:petition_list")),
                ("villages", reverse("villages:village_list")),
                ("registers", reverse("governance:registers")),
                ("reports", reverse("petitions:report_list")),
                ("exports", reverse("exports:index")),
                ("record-with-history", reverse("petitions:petition_detail", args=[record.pk])),
            ],
            "leader": [*township, ("contests", reverse("assessment:contests"))],
            "admin": [
                *township,
                ("periods", reverse("assessment:periods")),
                ("versions", reverse("assessment:versions")),
                ("reward-lines", reverse("rewards:lines")),
                ("prior-years", reverse("rewards:prior_years")),
                ("calendar", reverse("workdays:calendar")),
                ("village", reverse("villages:village_detail", args=[village.pk])),
            ],
        }[role]
    )


def _report(findings):
    lines = []
    for where, violation in findings:
        lines.append(
            f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({len(violation['nodes'])} elements) {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


@pytest.mark.parametrize("role", ["secretary", "staff", "leader", "admin"])
def test_no_serious_accessibility_violations(page, live_server, login, role):
    """One test per role, so that the suite's two workers share them (the four roles in one
    test took 110 s, the suite's longest)."""
    from accounts.models import User
    from petitions.models import Petition

    call_command("load_demo", verbosity=0)
    # A second version, so that the history table has a row with its 恢复到此版本 button.
    record = Petition.objects.filter(village__name="青石村").order_by("pk").first()
    record.matter = f"{record.matter}(补充)"
    record.save()
    findings = []
    user = User.objects.get(username=role)
    village = user.village or Village.objects.get(name="青石村")
    page.set_viewport_size(SCREENS["desktop"])
    login(user, password=DEMO_PASSWORD)
    assert "/login/" not in page.url, f"{role} did not log in"
    for screen, viewport in SCREENS.items():
        page.set_viewport_size(viewport)
        for name, url in _pages(role, village, record):
            response = page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            assert response.status == 200, f"{role} {name} {url}: {response.status}"
            assert "/login/" not in page.url, f"{role} {name} {url}: sent to the login page"
            page.add_script_tag(url=f"{live_server.url}/static/{AXE}")
            result = page.evaluate("options => axe.run(document, options)", RUN_OPTIONS)
            where = f"{role} {screen} {name} {url}"
            findings += [
                (where, v)
                for v in result["violations"]
                if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING
            ]
    assert not findings, "axe found:\n" + _report(findings)
