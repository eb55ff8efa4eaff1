"""Issue 12, item 11 (等保 2.0 安全审计): who did what, when, from where; rows nobody can change.

Each door writes its row: login, logout, failed login, password change, user created, role and
permission changes, deactivation, period publish/close/reopen, exports and downloads.
"""

from datetime import date
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import CommandError
from django.core.management import call_command
from django.db import DatabaseError
from django.db import connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessment import services as assessment
from audit.models import RETENTION_DAYS
from audit.models import AuditAction
from audit.models import AuditEvent
from audit.models import AuditLogImmutable
from audit.services import RetentionError
from audit.services import prune
from audit.services import record
from tests.assessment.period_steps import publish_month
from tests.factories import UserFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- the doors -------------------------------------------------------------------------------


def test_login_logout_and_a_failed_login_are_logged_with_the_address(client, staff_user):
    staff_user.set_password("Correct-horse-1")
    staff_user.save()
    client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "staff", "password": "Correct-horse-1"})
    client.post(reverse("logout"))
    (failed,) = events(AuditAction.LOGIN_FAILED)
    assert (failed.user, failed.username, failed.address) == (None, "staff", "127.0.0.1")
    (login,) = events(AuditAction.LOGIN)
    assert (login.user, login.username, login.address) == (staff_user, "staff", "127.0.0.1")
    assert login.township_id == staff_user.township_id
    (logout,) = events(AuditAction.LOGOUT)
    assert logout.user == staff_user


def test_a_password_change_is_logged_but_not_a_plain_save(staff_user):
    before = len(events(AuditAction.PASSWORD_CHANGE))
    staff_user.first_name = "改名"
    staff_user.save()
    assert len(events(AuditAction.PASSWORD_CHANGE)) == before
    staff_user.set_password("Another-pass-2")
    staff_user.save()
    changed = events(AuditAction.PASSWORD_CHANGE)[before:]
    assert [(c.object_ids, c.object_type) for c in changed] == [([staff_user.pk], "accounts.user")]


def test_the_password_page_logs_the_change_by_its_user(client, staff_user):
    staff_user.set_password("Old-password-1")
    staff_user.save()
    before = len(events(AuditAction.PASSWORD_CHANGE))
    client.force_login(staff_user)
    client.post(
        reverse("password_change"),
        {
            "old_password": "Old-password-1",
            "new_password1": "Fresh-Passw0rd-9",
            "new_password2": "Fresh-Passw0rd-9",
        },
    )
    changes = events(AuditAction.PASSWORD_CHANGE)
    assert len(changes) == before + 1
    assert changes[-1].user == staff_user and changes[-1].address == "127.0.0.1"


def test_user_created_role_changed_and_deactivated_by_the_admin_who_did_it(
    client, township, admin_user
):
    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    user = UserFactory(username="newbie", role=Role.STAFF, township=township)
    (created,) = AuditEvent.objects.filter(action=AuditAction.USER_CREATED, object_ids=[user.pk])
    assert created.object_repr == "newbie"
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": "newbie",
            "role": Role.LEADER,
            "township": township.pk,
            "is_active": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "must_change_password": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (role,) = [e for e in events(AuditAction.PERMISSION_CHANGE) if e.object_ids == [user.pk]]
    assert role.user == admin_user and role.object_ids == [user.pk]
    assert "role: staff → leader" in role.detail
    (gone,) = events(AuditAction.USER_DEACTIVATED)
    assert gone.user == admin_user and gone.object_ids == [user.pk]


def test_group_membership_is_a_permission_change(staff_user):
    group = Group.objects.create(name="统计员")
    staff_user.groups.add(group)
    (change,) = events(AuditAction.PERMISSION_CHANGE)
    assert f"groups add: [{group.pk}]" == change.detail


def test_period_publish_close_and_reopen_are_logged(township, admin_user, village_a):
    period = assessment.period_for(township.pk, 2026, 3)
    publish_month(period, admin_user, day=date(2026, 4, 3))
    assessment.period_close(period=period, by=admin_user, reason="月末关闭", today=date(2026, 5, 1))
    assessment.period_reopen(period=period, by=admin_user, reason="补录")
    rows = AuditEvent.objects.filter(action__startswith="period_").order_by("pk")
    assert [(r.action, r.user, r.object_ids, r.detail) for r in rows] == [
        ("period_publish", admin_user, [period.pk], ""),
        ("period_close", admin_user, [period.pk], "月末关闭"),
        ("period_reopen", admin_user, [period.pk], "补录"),
    ]


def test_an_export_is_logged_with_its_file(township, village_a, staff_user, client_for):
    response = client_for(staff_user).get(reverse("exports:records", args=["patrols"]))
    assert response.status_code == 200
    (export,) = events(AuditAction.EXPORT)
    assert export.user == staff_user
    assert "attachment" in export.object_repr and ".xlsx" in export.object_repr
    assert export.detail == "GET /exports/records/patrols.xlsx"


def test_a_refused_download_is_not_an_export(township, village_a, leader_user, client_for):
    response = client_for(leader_user).get(reverse("exports:template", args=["petitions"]))
    assert response.status_code == 403
    assert not events(AuditAction.EXPORT)


# --- nobody changes or deletes a row ----------------------------------------------------------


@pytest.fixture
def superuser(township):
    return UserFactory(
        username="root", role=Role.ADMIN, township=township, is_superuser=True, is_staff=True
    )


def test_the_admin_lists_and_filters_but_never_adds_changes_or_deletes(client, superuser):
    row = record(AuditAction.EXPORT, user=superuser, detail="GET /x")
    client.force_login(superuser)
    listing = client.get(reverse("admin:audit_auditevent_changelist"), {"action": "export"})
    assert listing.status_code == 200 and "GET /x" in listing.content.decode()
    assert "delete_selected" not in listing.content.decode()
    searched = client.get(reverse("admin:audit_auditevent_changelist"), {"q": "root"})
    assert searched.status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    change_url = reverse("admin:audit_auditevent_change", args=[row.pk])
    assert client.get(change_url).status_code == 200  # read only
    client.post(change_url, {"detail": "rewritten"})
    delete_url = reverse("admin:audit_auditevent_delete", args=[row.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    row = AuditEvent.objects.get(pk=row.pk)
    assert row.detail == "GET /x"


def test_a_township_admin_sees_only_its_township_rows(client, superuser, admin_user, other_staff):
    admin_user.is_staff = True
    admin_user.save()
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    record(AuditAction.LOGIN, user=other_staff)
    record(AuditAction.LOGIN, user=admin_user)
    client.force_login(admin_user)
    page = client.get(reverse("admin:audit_auditevent_changelist"), {"action": "login"})
    assert page.status_code == 200
    shown = list(page.context["cl"].result_list)
    assert shown and all(row.township_id == admin_user.township_id for row in shown)


def test_the_orm_refuses_to_change_or_delete_a_row(staff_user):
    row = record(AuditAction.LOGIN, user=staff_user)
    row.detail = "changed"
    with pytest.raises(AuditLogImmutable):
        row.save()
    with pytest.raises(AuditLogImmutable):
        row.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=row.pk).update(detail="changed")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=row.pk).delete()
    assert AuditEvent.objects.get(pk=row.pk).detail == ""


def test_history_rows_have_no_admin_of_their_own():
    """simple-history registers no admin for its historical models, and SimpleHistoryAdmin's
    history pages only show versions or restore one (a new version): no history row is deleted
    or edited through the admin."""
    historical = [
        model for model in admin.site._registry if model.__name__.startswith("Historical")
    ]
    assert historical == []


@on_postgresql
def test_on_postgresql_the_database_refuses_update_and_young_delete(staff_user):
    row = record(AuditAction.LOGIN, user=staff_user)
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET detail = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    from django.db.models import QuerySet

    with pytest.raises(DatabaseError), transaction.atomic():
        QuerySet.update(AuditEvent.objects.filter(pk=row.pk), detail="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        QuerySet.delete(AuditEvent.objects.filter(pk=row.pk))
    assert AuditEvent.objects.filter(pk=row.pk, detail="").exists()


# --- retention ---------------------------------------------------------------------------------


def test_prune_refuses_less_than_six_months():
    with pytest.raises(RetentionError):
        prune(older_than_days=RETENTION_DAYS - 1)
    with pytest.raises(CommandError):
        call_command("prune_audit", "--older-than-days", "30")


def test_prune_deletes_only_rows_past_the_period(staff_user):
    old = AuditEvent.objects.create(
        action=AuditAction.LOGIN, at=timezone.now() - timedelta(days=RETENTION_DAYS + 20)
    )
    young = record(AuditAction.LOGIN, user=staff_user)
    call_command("prune_audit", "--older-than-days", str(RETENTION_DAYS))
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=young.pk).exists()
