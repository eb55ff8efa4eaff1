"""Issue 13: setting up without the Django shell (createuser, list_townships, the admin list)."""

from io import StringIO

import pytest
from django.core.management import CommandError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from accounts.models import User

PASSWORD = "Kaohe-Setup-2026"


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_createuser_makes_an_admin_of_the_township(township):
    out = run("createuser", "--username", "zhang", "--role", "admin", "--township", "qinghe",
              "--password", PASSWORD)  # fmt: skip
    user = User.objects.get(username="zhang")
    assert "zhang" in out
    assert user.role == Role.ADMIN and user.township == township and user.village is None
    assert user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD) and user.must_change_password
    assert user.has_perm("villages.change_village")


def test_createuser_makes_a_secretary_of_a_village_by_name_or_id(village_a):
    run("createuser", "--username", "li", "--role", "secretary", "--township", "qinghe",
        "--village", "甲村", "--password", PASSWORD)  # fmt: skip
    user = User.objects.get(username="li")
    assert user.village == village_a and user.township == village_a.township
    assert not user.is_staff
    run("createuser", "--username", "wang", "--role", "secretary", "--township", "qinghe",
        "--village", str(village_a.pk), "--password", PASSWORD)  # fmt: skip
    assert User.objects.get(username="wang").village == village_a


def test_createuser_asks_the_password_twice(township, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("createuser", "--username", "zhao", "--role", "staff", "--township", "qinghe")
    assert User.objects.get(username="zhao").check_password(PASSWORD)
    answers = iter([PASSWORD, PASSWORD + "x"])
    with pytest.raises(CommandError, match="不一致"):
        run("createuser", "--username", "qian", "--role", "staff", "--township", "qinghe")
    assert not User.objects.filter(username="qian").exists()


def test_createuser_makes_a_district_user(township):
    from villages.models import District

    district = District.objects.create(name="清江区", code="qingjiang")
    run("createuser", "--username", "qu", "--role", "district_leader", "--district",
        "qingjiang", "--password", PASSWORD)  # fmt: skip
    user = User.objects.get(username="qu")
    assert user.district == district and user.township is None and not user.is_staff
    with pytest.raises(CommandError, match="--district"):
        run("createuser", "--username", "qu2", "--role", "district_staff", "--password", PASSWORD)
    with pytest.raises(CommandError, match="去掉 --township"):
        run("createuser", "--username", "qu3", "--role", "district_staff", "--district",
            "qingjiang", "--township", "qinghe", "--password", PASSWORD)  # fmt: skip
    with pytest.raises(CommandError, match="去掉 --district"):
        run("createuser", "--username", "qu4", "--role", "staff", "--township", "qinghe",
            "--district", "qingjiang", "--password", PASSWORD)  # fmt: skip
    with pytest.raises(CommandError, match="--township"):
        run("createuser", "--username", "qu5", "--role", "staff", "--password", PASSWORD)
    assert not User.objects.filter(username__in=["qu2", "qu3", "qu4", "qu5"]).exists()


Q = ["--township", "qinghe"]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--township", "nowhere", "--role", "staff"],
            "没有代码为 nowhere 的镇。已有:other, qinghe",
        ),
        ([*Q, "--role", "secretary"], "必须用 --village"),
        ([*Q, "--role", "secretary", "--village", "外村"], "清河镇没有村(居) 外村"),
        ([*Q, "--role", "secretary", "--village", "9999"], "没有村(居) 9999"),
        ([*Q, "--role", "staff", "--village", "甲村"], "只有村(居)书记"),
        ([*Q, "--role", "staff", "--password", "short"], "密码不符合要求"),
        ([*Q, "--role", "staff", "--password", "alllowercaseletters"], "密码不符合要求"),
        ([*Q, "--role", "staff", "--noinput"], "--noinput"),
    ],
)
def test_createuser_refuses_with_a_clear_error(village_a, other_village, args, message):
    if "--password" not in args and "--noinput" not in args:
        args = [*args, "--password", PASSWORD]
    with pytest.raises(CommandError) as exc:
        run("createuser", "--username", "bad", *args)
    assert message in str(exc.value)
    assert not User.objects.filter(username="bad").exists()


def test_createuser_refuses_an_existing_username_and_an_unknown_role(admin_user):
    with pytest.raises(CommandError, match="已存在"):
        run("createuser", "--username", "admin", "--role", "staff", "--township", "qinghe",
            "--password", PASSWORD)  # fmt: skip
    with pytest.raises(CommandError):
        run("createuser", "--username", "x", "--role", "boss", "--township", "qinghe",
            "--password", PASSWORD)  # fmt: skip


def test_list_townships_shows_codes_and_counts(cast, village_a, village_b):
    out = run("list_townships")
    lines = out.strip().splitlines()
    assert "代码" in lines[0]
    qinghe = next(line for line in lines if line.startswith("qinghe"))
    assert qinghe.split("\t")[1:] == ["清河镇", "2", "5"]
    other = next(line for line in lines if line.startswith("other"))
    assert other.split("\t")[1:] == ["外镇", "1", "1"]


def test_list_townships_says_when_there_is_none(db):
    assert "尚无镇" in run("list_townships")


def test_the_admin_township_list_shows_codes_and_counts(client, cast, village_a):
    root = User.objects.create_superuser("root", "", PASSWORD)
    client.force_login(root)
    page = client.get(reverse("admin:villages_township_changelist")).content.decode()
    assert "qinghe" in page and "other" in page
    assert "村(居)数" in page and "用户数" in page
