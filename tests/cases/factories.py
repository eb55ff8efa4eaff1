"""Factories of cases. AssignedCaseFactory computes the due date as the service does."""

from datetime import date

import factory

from cases.models import AssignedCase
from cases.models import BacklogCase
from cases.models import BacklogRelapse
from cases.models import CaseReview
from cases.services import compute_due_date
from tests.factories import PersonFactory
from tests.factories import VillageFactory


class AssignedCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignedCase

    village = factory.SubFactory(VillageFactory)
    title = factory.Sequence(lambda n: f"交办件{n}")
    assigned_by = "区信访局"
    assigned_date = date(2026, 3, 2)
    due_date = factory.LazyAttribute(lambda o: compute_due_date(o.assigned_date).date)


class CaseReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReview

    case = factory.SubFactory(AssignedCaseFactory)
    decision = "rejected_improper"
    reason = "答复不规范"
    review_date = date(2026, 3, 20)


class BacklogCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BacklogCase

    village = factory.SubFactory(VillageFactory)
    title = factory.Sequence(lambda n: f"积案{n}")
    listed_date = date(2026, 1, 5)
    leader = factory.SubFactory(PersonFactory, township=factory.SelfAttribute("..village.township"))
    working_group = "镇信访办、村两委"
    resolution_plan = "依法依规解决"
    stabilisation_measures = "专人稳控"
    time_limit = date(2026, 6, 30)


class BacklogRelapseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BacklogRelapse

    case = factory.SubFactory(BacklogCaseFactory)
    date = date(2026, 4, 10)
