"""The petitioner-count rule (petitions.rules.check_petitioner_count) is written once: the form,
the API and the import refuse the same petitions with the same words."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from exports.importing import run_import
from petitions import rules
from petitions.forms import PetitionForm
from petitions.models import Petition
from tests.exports.helpers import PETITION_HEADERS
from tests.exports.helpers import petition_row
from tests.exports.helpers import xlsx

NONE_NAMED = "请至少登记一名信访人。"
FEWER = "登记了 2 名信访人,人次不能少于登记人数。"


@pytest.mark.parametrize(
    ("named", "person_count", "field", "message"),
    [
        (0, 1, "petitioners", NONE_NAMED),
        (0, None, "petitioners", NONE_NAMED),
        (2, 1, "person_count", FEWER),
        (1, 1, None, None),
        (2, None, None, None),
        (2, 5, None, None),
    ],
)
def test_the_rule(named, person_count, field, message):
    if field is None:
        rules.check_petitioner_count(named, person_count)
        return
    with pytest.raises(ValidationError) as caught:
        rules.check_petitioner_count(named, person_count)
    assert caught.value.message_dict == {field: [message]}


def _form_errors(user, village, names, person_count):
    data = {
        "village": village.pk,
        "date": "2026-04-10",
        "level": "district",
        "channel": "online",
        "nature": "normal",
        "person_count": str(person_count),
        "matter": "反映征地补偿款未到位",
        "stabilised_in_time": "True",
        "carried_village_opinion": "unknown",
        "source": "township_reception",
        "petitioners-TOTAL_FORMS": str(max(len(names), 1)),
        "petitioners-INITIAL_FORMS": "0",
        "petitioners-MIN_NUM_FORMS": "0",
        "petitioners-MAX_NUM_FORMS": "1000",
    }
    for index, name in enumerate(names):
        data[f"petitioners-{index}-name"] = name
    form = PetitionForm(data=data, user=user)
    assert not form.is_valid()
    return [m for messages in form.errors.values() for m in messages]


def _api_errors(user, village, names, person_count):
    client = APIClient()
    client.force_authenticate(user)
    body = {
        "village": village.pk,
        "date": "2026-04-10",
        "level": "district",
        "channel": "online",
        "matter": "反映征地补偿款未到位",
        "person_count": person_count,
        "petitioners": [{"name": n} for n in names],
    }
    response = client.post("/api/petitions/", body, format="json")
    assert response.status_code == 400
    return [m for messages in response.json().values() for m in messages]


def _import_errors(user, village, names, person_count):
    row = petition_row("YG-9", people="、".join(names), count=person_count)
    data = xlsx(PETITION_HEADERS, row)
    outcome = run_import(
        "petitions", data, township=village.township, user=user, filename="x.xlsx", dry_run=True
    )
    return [message for _column, message in outcome.error_rows[0].errors]


@pytest.mark.parametrize("entry", [_form_errors, _api_errors, _import_errors])
@pytest.mark.parametrize(
    ("names", "person_count", "message"), [([], 1, NONE_NAMED), (["张三", "李四"], 1, FEWER)]
)
def test_every_entry_refuses_with_the_same_words(
    staff_user, village_a, entry, names, person_count, message
):
    assert message in entry(staff_user, village_a, names, person_count)
    assert not Petition.objects.exists()
