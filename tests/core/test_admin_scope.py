"""The Django admin reads only the user's own township (issue 12: 0 reads across townships),
and only a superuser can grant superuser powers."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role
from accounts.models import User
from core.admin_scope import SHARED
from core.admin_scope import scoped
from core.admin_scope import township_path
from tests.factories import UserFactory
from tests.governance.factories import PatrolFactory


@pytest.fixture
def township_admin(township):
    user = UserFactory(username="tadmin", role=Role.ADMIN, township=township, is_staff=True)
    user.user_permissions.set(Permission.objects.all())  # as the demo gives it
    return user


def test_every_registered_model_has_a_township_path_or_is_shared_or_superuser_only():
    """A model nobody classified would show empty to township admins: list them here."""
    superuser_only = set()
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label in SHARED or township_path(model) is not None:
            continue
        superuser_only.add(label)
    assert "governance.patrol" not in superuser_only
    assert "villages.village" not in superuser_only
    assert "accounts.user" not in superuser_only
    # Township-free configuration that only a superuser may change (beat schedules, rubrics
    # shared by all, groups); asserting the set keeps a new model from slipping in unseen.
    assert superuser_only <= {
        "auth.group",
        "django_celery_beat.periodictask",
        "django_celery_beat.intervalschedule",
        "django_celery_beat.crontabschedule",
        "django_celery_beat.solarschedule",
        "django_celery_beat.clockedschedule",
        "rest_framework.tokenproxy",
        "authtoken.tokenproxy",
        "assessment.rubricversion",
        "assessment.rubricsection",
        "assessment.rubricentry",
        "axes.accessattempt",
        "axes.accesslog",
        "axes.accessfailurelog",
        "villages.district",  # above every township: districts are a superuser's to make
    }


def test_changelists_and_change_pages_stop_at_the_township(
    client, township_admin, village_a, other_village
):
    ours = PatrolFactory(village=village_a)
    theirs = PatrolFactory(village=other_village)
    outsider = UserFactory(username="outsider", role=Role.STAFF, township=other_village.township)
    client.force_login(township_admin)

    page = client.get(reverse("admin:governance_patrol_changelist"))
    assert page.status_code == 200
    shown = {obj.pk for obj in page.context["cl"].result_list}
    assert ours.pk in shown and theirs.pk not in shown

    for name, pk in [
        ("admin:governance_patrol_change", theirs.pk),
        ("admin:villages_village_change", other_village.pk),
        ("admin:villages_township_change", other_village.township_id),
        ("admin:accounts_user_change", outsider.pk),
    ]:
        response = client.get(reverse(name, args=[pk]), follow=True)
        assert response.status_code == 200
        # Django's admin answers an object outside the queryset with "does not exist".
        assert response.redirect_chain, (name, "showed a row of another township")
    # simple-history's pages read the model's manager: they must stop at the township too.
    history = theirs.history.first()
    for url in [
        reverse("admin:governance_patrol_history", args=[theirs.pk]),
        reverse("admin:governance_patrol_simple_history", args=[theirs.pk, history.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_the_village_choices_of_an_add_form_stop_at_the_township(
    client, township_admin, village_a, other_village
):
    client.force_login(township_admin)
    page = client.get(reverse("admin:governance_patrol_add"))
    choices = set(page.context["adminform"].form.fields["village"].queryset)
    assert village_a in choices and other_village not in choices


def test_a_township_admin_cannot_grant_superuser(client, township_admin, staff_user):
    client.force_login(township_admin)
    page = client.get(reverse("admin:accounts_user_change", args=[staff_user.pk]))
    fields = page.context["adminform"].form.fields
    assert "is_superuser" not in fields and "user_permissions" not in fields


def test_scoped_keeps_everything_for_a_superuser(township, other_village):
    root = User.objects.create_superuser("root2", password="pw")
    from villages.models import Village

    assert set(scoped(Village.objects.all(), root)) == set(Village.objects.all())
