"""The English translation: the catalogue is complete, it is compiled, and the UI switches language.

Source strings are Chinese; locale/en/LC_MESSAGES/django.po carries the English. The catalogue
test below fails as soon as `makemessages` brings in a string nobody has translated yet.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import ngettext

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# A catalogue string: "..." possibly continued over several lines.
_STRING = r'"(?:[^"\\]|\\.)*"(?:\s*\n\s*"(?:[^"\\]|\\.)*")*'
_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(" + _STRING + ")", re.M)


def _unquote(text: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    return "".join(parts).encode("raw_unicode_escape").decode("unicode_escape")


def _entries(po_text: str) -> list[dict]:
    """Each entry of a .po file as {"flags": [...], "msgid": ..., "msgstr": [...], ...}.

    Obsolete entries (#~) are skipped; blank lines separate entries.
    """
    entries = []
    for block in re.split(r"\n\s*\n", po_text):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        flags = []
        for line in lines:
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
        entry = {"flags": flags, "msgstr": []}
        for keyword, value in _KEYWORD.findall("\n".join(lines)):
            if keyword.startswith("msgstr"):
                entry["msgstr"].append(_unquote(value))
            else:
                entry[keyword] = _unquote(value)
        entries.append(entry)
    return entries


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogue():
    """`make test` compiles the catalogue first; a bare pytest run may find none, or an old one."""
    stale = not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime
    if stale and shutil.which("msgfmt"):
        tmp = MO.with_name(f"django.{os.getpid()}.mo.tmp")
        subprocess.run(["msgfmt", "--check-format", "-o", str(tmp), str(PO)], check=True)
        os.replace(tmp, MO)
    # Re-read the catalogues, whatever an earlier test in this process has loaded.
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        yield


def test_catalogue_is_complete():
    entries = _entries(PO.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert len(messages) > 100

    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in messages if not all(s.strip() for s in e["msgstr"])]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, (
        f"untranslated entries (run makemessages, then translate): {untranslated}"
    )


def test_catalogue_keeps_placeholders():
    placeholder = re.compile(r"%\((\w+)\)|\{(\w+)\}")
    for entry in _entries(PO.read_text(encoding="utf-8"))[1:]:
        wanted = set(placeholder.findall(entry["msgid"]))
        for msgstr in entry["msgstr"]:
            assert set(placeholder.findall(msgstr)) == wanted, (entry["msgid"], msgstr)


def test_key_strings_translate():
    with translation.override("en"):
        assert gettext("登录") == "Log in"
        assert gettext("退出") == "Log out"
        assert gettext("信访人次") == "Petition person-time"
        assert gettext("一票否决") == "One-vote veto"
        assert gettext("化解卷宗") == "Mediation dossier"
        assert gettext("%(p)s 已公示。") % {"p": "2026-04"} == "2026-04 published."
        assert ngettext("%(n)s 件纠纷", "%(n)s 件纠纷", 1) % {"n": 1} == "1 dispute"
        assert ngettext("%(n)s 件纠纷", "%(n)s 件纠纷", 3) % {"n": 3} == "3 disputes"
    with translation.override("zh-hans"):
        assert gettext("登录") == "登录"


@pytest.mark.django_db
def test_login_page_follows_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page


def test_dashboard_in_english_and_chinese(client, staff_user, village_a):
    client.force_login(staff_user)
    url = reverse("dashboard:index")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    for text in ("Governance and petition work assessment dashboard", "Print ranking", "Log out"):
        assert text in page
    assert "综治及信访工作考核看板" not in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(url).content.decode()
    for text in ("综治及信访工作考核看板", "打印排名", "退出"):
        assert text in page
    assert "Print ranking" not in page


def test_language_switcher_sets_the_cookie(client, staff_user, village_a):
    client.force_login(staff_user)
    url = reverse("dashboard:index")
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Print ranking" in client.get(url).content.decode()
