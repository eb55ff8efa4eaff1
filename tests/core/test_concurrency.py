"""Issue 12 items 4 and 7 in the browser and in core.records: two edits from the same read never
overwrite each other (the second is told what the first changed), and a create form sent twice
saves one record."""

from datetime import date
from datetime import timedelta

import pytest
from django.forms import CheckboxInput
from django.urls import reverse
from django.utils import timezone

from core import submissions
from core.models import SubmissionToken
from core.records import RecordConflict
from core.records import record_delete
from core.records import record_save
from governance.models import Patrol

pytestmark = pytest.mark.django_db


def edit_url(patrol):
    return reverse("governance:patrol_update", args=[patrol.pk])


def edit_form(client, patrol) -> dict:
    """What the edit page sends back unchanged: the record's fields and the version read."""
    form = client.get(edit_url(patrol)).context["form"]
    names = ("village", "date", "participants", "route", "note", "version")
    return {name: "" if form[name].value() is None else form[name].value() for name in names}


@pytest.fixture
def patrol(village_a, staff_user):
    patrol = Patrol(village=village_a, date=date(2026, 4, 7), participants="张三")
    return record_save(instance=patrol, user=staff_user, reason="")


# --- core.records -------------------------------------------------------------------------------


def test_every_save_counts_a_version_and_history_keeps_it(patrol, staff_user):
    assert patrol.version == 1
    patrol.route = "东线"
    record_save(instance=patrol, user=staff_user, reason="补录")
    stored = Patrol.objects.get(pk=patrol.pk)
    assert stored.version == 2
    assert sorted(stored.history.values_list("version", flat=True)) == [1, 2]


def test_a_save_from_a_stale_read_is_refused_naming_what_changed(patrol, staff_user, admin_user):
    mine = Patrol.objects.get(pk=patrol.pk)
    theirs = Patrol.objects.get(pk=patrol.pk)
    theirs.route = "东线"
    record_save(instance=theirs, user=admin_user, reason="补录路线", expected_version=1)

    mine.participants = "李四"
    with pytest.raises(RecordConflict) as caught:
        record_save(instance=mine, user=staff_user, reason="改人员", expected_version=1)

    conflict = caught.value
    assert (conflict.expected, conflict.current) == (1, 2)
    assert [(c.label, c.text) for c in conflict.changes] == [("巡逻路线", "东线")]
    assert conflict.users == [admin_user]
    stored = Patrol.objects.get(pk=patrol.pk)
    assert (stored.participants, stored.route, stored.version) == ("张三", "东线", 2)


def test_a_delete_from_a_stale_read_is_refused(patrol, staff_user, admin_user):
    theirs = Patrol.objects.get(pk=patrol.pk)
    theirs.route = "东线"
    record_save(instance=theirs, user=admin_user, reason="补录路线")
    with pytest.raises(RecordConflict):
        record_delete(instance=patrol, user=staff_user, reason="重复", expected_version=1)
    assert Patrol.objects.filter(pk=patrol.pk).exists()


# --- the edit form ----------------------------------------------------------------------------


def test_two_edits_from_the_same_read_lose_nothing(client_for, cast, patrol):
    alice, bob = client_for(cast["staff"]), cast["admin"]
    read = edit_form(alice, patrol)
    assert read["version"] == 1

    # Bob saves a route from the same read, in his own session.
    from django.test import Client

    other = Client()
    other.force_login(bob)
    saved = other.post(edit_url(patrol), {**read, "route": "东线", "change_reason": "补录路线"})
    assert saved.status_code == 302

    # Alice then saves the participants from her (now stale) read.
    stale = alice.post(edit_url(patrol), {**read, "participants": "李四", "change_reason": "改"})

    assert stale.status_code == 200
    page = stale.content.decode()
    assert "已被他人修改" in page
    assert "巡逻路线:东线" in page  # what Bob changed, with his value
    stored = Patrol.objects.get(pk=patrol.pk)
    assert (stored.participants, stored.route) == ("张三", "东线")  # nothing overwritten

    # The form comes back on the version now stored: her input kept, his change taken in.
    form = stale.context["form"]
    assert form["participants"].value() == "李四"
    assert form["route"].value() == "东线"
    assert str(form["version"].value()) == "2"

    # Saving it again keeps both changes.
    again = {name: form[name].value() for name in read}
    again["change_reason"] = "改"
    assert alice.post(edit_url(patrol), again).status_code == 302
    stored = Patrol.objects.get(pk=patrol.pk)
    assert (stored.participants, stored.route, stored.version) == ("李四", "东线", 3)


def test_a_retry_after_reading_again_saves(client_for, cast, patrol, admin_user):
    client = client_for(cast["staff"])
    read = edit_form(client, patrol)
    theirs = Patrol.objects.get(pk=patrol.pk)
    theirs.note = "夜巡"
    record_save(instance=theirs, user=admin_user, reason="补")
    stale = client.post(edit_url(patrol), {**read, "route": "西线", "change_reason": "改"})
    assert stale.status_code == 200

    fresh = edit_form(client, patrol)
    saved = client.post(edit_url(patrol), {**fresh, "route": "西线", "change_reason": "改"})
    assert saved.status_code == 302
    stored = Patrol.objects.get(pk=patrol.pk)
    assert (stored.note, stored.route) == ("夜巡", "西线")


def page_data(form) -> dict:
    """What a browser sends back for an unchanged form (and its formsets)."""
    data = {}
    for each in [form, *getattr(form, "formsets", [])]:
        forms = [each.management_form, *each.forms] if hasattr(each, "management_form") else [each]
        for one in forms:
            for bf in one:
                value = bf.value()
                if value is None:
                    continue
                if isinstance(bf.field.widget, CheckboxInput):  # sent only when ticked
                    if value:
                        data[bf.html_name] = "on"
                    continue
                data[bf.html_name] = value  # a 是/否 radio sends its answer, 否 too
    return data


def test_a_form_with_its_own_save_record_honours_the_version(client_for, cast, village_a):
    """The petition form saves its petitioners too (its own save_record): a stale read is
    refused before it runs, and the petition and its petitioners stay as the other left them."""
    from petitions.models import Petition
    from tests.petitions.factories import PetitionerFactory
    from tests.petitions.factories import PetitionFactory

    petition = PetitionFactory(village=village_a)
    PetitionerFactory(petition=petition, name="王五")
    client = client_for(cast["staff"])
    url = reverse("petitions:petition_update", args=[petition.pk])
    read = page_data(client.get(url).context["form"])
    assert read["version"] == 1

    theirs = Petition.objects.get(pk=petition.pk)
    theirs.matter = "反映宅基地纠纷"
    record_save(instance=theirs, user=cast["admin"], reason="他人修改")
    stale = client.post(url, {**read, "person_count": "3", "change_reason": "改人次"})

    assert stale.status_code == 200
    assert "已被他人修改" in stale.content.decode()
    stored = Petition.objects.get(pk=petition.pk)
    assert (stored.matter, stored.person_count, stored.version) == ("反映宅基地纠纷", 1, 2)
    assert stale.context["form"]["matter"].value() == "反映宅基地纠纷"


# --- resubmitted create forms -----------------------------------------------------------------


def test_a_resubmitted_create_form_saves_one_record(client_for, cast, village_a):
    client = client_for(cast["staff"])
    create = reverse("governance:patrol_create")
    token = client.get(create).context["form"]["submission_token"].value()
    assert token
    data = {
        "village": village_a.pk,
        "date": "2026-04-07",
        "participants": "张三",
        "submission_token": token,
    }

    first = client.post(create, data)
    assert first.status_code == 302
    (patrol,) = Patrol.objects.all()

    # Back, then 保存 again: the same page, the same token.
    again = client.post(create, data, follow=True)
    assert Patrol.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("governance:patrol_detail", args=[patrol.pk])
    assert "该记录已保存" in again.content.decode()


def test_a_create_refused_leaves_its_token_unused(client_for, cast, village_a):
    client = client_for(cast["staff"])
    create = reverse("governance:patrol_create")
    token = client.get(create).context["form"]["submission_token"].value()
    data = {"village": village_a.pk, "date": "2026-04-07", "submission_token": token}
    assert client.post(create, data).status_code == 200  # participants missing
    assert not SubmissionToken.objects.exists()
    assert client.post(create, {**data, "participants": "张三"}).status_code == 302
    assert Patrol.objects.count() == 1


def test_each_create_page_gets_its_own_token(client_for, cast, village_a):
    client = client_for(cast["staff"])
    create = reverse("governance:patrol_create")
    tokens = [client.get(create).context["form"]["submission_token"].value() for _ in range(2)]
    assert len(set(tokens)) == 2
    for token, who in zip(tokens, ("张三", "李四"), strict=True):
        data = {"village": village_a.pk, "date": "2026-04-07", "participants": who}
        assert client.post(create, {**data, "submission_token": token}).status_code == 302
    assert Patrol.objects.count() == 2


def _patrol_entry(village, token):
    return {
        "village": village.pk,
        "date": "2026-04-07",
        "participants": "张三",
        "submission_token": token,
    }


def test_the_identical_entry_on_a_fresh_form_is_shown_not_saved_twice(client_for, cast, village_a):
    """Chromium's Back fetches the form again (a new token) and restores what was typed: the
    second 保存 is recognised by its entry, shown with a link, and saved only when confirmed."""
    client = client_for(cast["staff"])
    create = reverse("governance:patrol_create")
    token = client.get(create).context["form"]["submission_token"].value()
    assert client.post(create, _patrol_entry(village_a, token)).status_code == 302
    (patrol,) = Patrol.objects.all()

    fresh = client.get(create).context["form"]["submission_token"].value()
    again = client.post(create, _patrol_entry(village_a, fresh))
    assert again.status_code == 200
    assert Patrol.objects.count() == 1
    page = again.content.decode()
    assert reverse("governance:patrol_detail", args=[patrol.pk]) in page
    assert "这条记录刚才已保存过" in page
    assert 'name="confirm_duplicate"' in page
    assert SubmissionToken.objects.count() == 1  # the refused one's claim rolled back

    # Sent again without ticking the box: still refused.
    assert client.post(create, _patrol_entry(village_a, fresh)).status_code == 200
    assert Patrol.objects.count() == 1

    confirmed = client.post(create, {**_patrol_entry(village_a, fresh), "confirm_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Patrol.objects.count() == 2


def test_an_identical_entry_after_the_window_saves(client_for, cast, village_a):
    client = client_for(cast["staff"])
    create = reverse("governance:patrol_create")
    token = client.get(create).context["form"]["submission_token"].value()
    client.post(create, _patrol_entry(village_a, token))
    SubmissionToken.objects.update(created=timezone.now() - submissions.DUPLICATE_WINDOW * 2)
    fresh = client.get(create).context["form"]["submission_token"].value()
    assert client.post(create, _patrol_entry(village_a, fresh)).status_code == 302
    assert Patrol.objects.count() == 2


def test_another_users_identical_entry_is_not_a_duplicate(client_for, cast, village_a, admin_user):
    create = reverse("governance:patrol_create")
    for user in (cast["staff"], admin_user):
        client = client_for(user)
        token = client.get(create).context["form"]["submission_token"].value()
        assert client.post(create, _patrol_entry(village_a, token)).status_code == 302
    assert Patrol.objects.count() == 2


def test_tokens_are_pruned_after_their_keep(client_for, cast, village_a):
    client = client_for(cast["staff"])
    create = reverse("governance:patrol_create")
    token = client.get(create).context["form"]["submission_token"].value()
    client.post(create, _patrol_entry(village_a, token))
    assert submissions.prune() == 0
    SubmissionToken.objects.update(
        created=timezone.now() - timedelta(days=submissions.KEEP_DAYS + 1)
    )
    assert submissions.prune() == 1
    assert not SubmissionToken.objects.exists()


def test_a_delete_confirmed_on_a_stale_page_deletes_nothing(client_for, cast, patrol, admin_user):
    client = client_for(cast["staff"])
    url = reverse("governance:patrol_delete", args=[patrol.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    theirs = Patrol.objects.get(pk=patrol.pk)
    theirs.route = "东线"
    record_save(instance=theirs, user=admin_user, reason="补录路线")

    response = client.post(url, {"reason": "重复", "version": "1"}, follow=True)
    assert Patrol.objects.filter(pk=patrol.pk).exists()
    assert "已被他人修改" in response.content.decode()


def test_a_restore_from_a_stale_page_restores_nothing(client_for, cast, patrol, admin_user):
    """恢复到此版本 carries the version the page showed: someone's later change is kept."""
    client = client_for(cast["staff"])
    detail = reverse("governance:patrol_detail", args=[patrol.pk])
    theirs = Patrol.objects.get(pk=patrol.pk)
    theirs.route = "东线"
    record_save(instance=theirs, user=admin_user, reason="补录路线")
    page = client.get(detail).content.decode()
    assert f'name="version" value="{theirs.version}"' in page
    first = patrol.history.earliest()
    later = Patrol.objects.get(pk=patrol.pk)
    later.route = "西线"
    record_save(instance=later, user=admin_user, reason="再改路线")

    revert = reverse("governance:patrol_revert", args=[patrol.pk, first.history_id])
    response = client.post(revert, {"version": str(theirs.version)}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert Patrol.objects.get(pk=patrol.pk).route == "西线"

    fresh = client.post(revert, {"version": str(later.version)}, follow=True)
    assert "已恢复到所选版本" in fresh.content.decode()
    assert Patrol.objects.get(pk=patrol.pk).route == first.route
