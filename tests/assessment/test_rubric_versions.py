from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment import rubrics
from assessment import services
from assessment.models import RubricEntry
from assessment.models import RubricVersion
from tests.assessment.period_steps import close_month


def test_both_readings_ship_and_score(db):
    table = rubrics.rubric_of(RubricVersion.objects.get(code="xx-2024-table"))
    plan = rubrics.rubric_of(RubricVersion.objects.get(code="xx-2024-plan"))
    assert table.total_points == Decimal(100)
    assert plan.total_points == Decimal(120)


def test_the_stored_default_equals_the_shipped_data(db):
    from assessment.scoring.rubric_defaults import XX_2024_PLAN
    from assessment.scoring.rubric_defaults import XX_2024_TABLE

    for shipped in (XX_2024_TABLE, XX_2024_PLAN):
        assert rubrics.rubric_of(RubricVersion.objects.get(code=shipped.code)) == shipped


def test_copy_then_edit_a_figure_changes_the_scoring(township, admin_user, village_a):
    source = RubricVersion.objects.get(code="xx-2024-table")
    copy = rubrics.version_copy(version=source, code="xx-2027-table", name="2027", by=admin_user)
    entry = RubricEntry.objects.get(version=copy, code="4.1")
    assert entry.params == RubricEntry.objects.get(version=source, code="4.1").params
    rubrics.assign_year(township=township, year=2027, version=copy, by=admin_user)
    assert rubrics.version_for_year(township.pk, 2027) == copy
    assert rubrics.version_for_year(township.pk, 2026) == source


def test_copy_to_an_existing_code_is_refused(admin_user):
    source = RubricVersion.objects.get(code="xx-2024-table")
    with pytest.raises(ValidationError) as exc:
        rubrics.version_copy(version=source, code="xx-2024-plan", name="x", by=admin_user)
    assert "code" in exc.value.message_dict


def test_a_version_that_scored_a_closed_month_is_locked(township, admin_user, village_a):
    close_month(services.period_for(township.pk, 2026, 1), admin_user)
    version = RubricVersion.objects.get(code="xx-2024-table")
    with pytest.raises(ValidationError):
        rubrics.ensure_editable(version)
    with pytest.raises(ValidationError):
        rubrics.assign_year(
            township=township,
            year=2026,
            version=RubricVersion.objects.get(code="xx-2024-plan"),
            by=admin_user,
        )
