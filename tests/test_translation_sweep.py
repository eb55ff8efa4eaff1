"""Translation sweep: each demo role's main pages read wholly in the language chosen.

On the demo township (load_demo, once for the module), each role logs in and opens home, every
entry of its menu (record lists, dashboard, scores, portal, periods, jobs, exports ...) and the
first record each list links to. The text nodes of each page (not <script>/<style>/<textarea>,
not inside an element marked data-user-content) are checked:

- English (cookie django_language=en): no Chinese character;
- Chinese: no English interface word (an ASCII word of three letters or more, apart from a few
  names such as PDF or Excel) and no internal code (adj.checkpoint, xx-2024-table, ...).

What people entered is allowed in either language: every text value of the project's records
(names of villages, persons, townships and areas, free-text fields, usernames) is cut out of a
node before it is checked. Values the software writes itself (score reasons, codes, choices) are
not data and are not cut out. Failures are collected and listed page by page.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils.translation import get_language_info

from config.navigation import _entries
from tests.test_i18n import _compiled_catalogue  # noqa: F401 (module fixture: a fresh .mo)

ROLES = ("admin", "staff", "leader", "secretary", "district")
PROJECT_APPS = {
    "accounts",
    "villages",
    "petitions",
    "cases",
    "governance",
    "workdays",
    "assessment",
    "rewards",
    "jobs",
    "exports",
    "audit",
    "core",
    "dashboard",
}
# Text the software writes itself: not entered data, so it must be translated, never cut out.
GENERATED_FIELDS = {
    ("assessment", "scoreline", "reason"),
    ("assessment", "contest", "line_reason"),
}
CODE_FIELDS = {"code", "item_code", "kind", "action", "state", "status", "cause", "dedupe_key"}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ASCII_WORD = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z]{2,}(?![\w@/])")
# Names shown as they are in both languages.
ENGLISH_ALLOWED = {
    "pdf",
    "excel",
    "api",
    "kaohe",
    "id",
    "xlsx",
    "csv",
    "cctv",
    "json",
    "jpeg",
    "jpg",
    "png",
}
INTERNAL_CODE = re.compile(
    r"\b(?:adj|veto)\.[a-z_]+\b|\bxx-\d{4}-(?:table|plan)\b|\b[a-z]+_[a-z_]+\b"
)
SKIPPED_TAGS = {"script", "style", "textarea", "template"}
# Attributes people read (a tooltip, a field's hint, a screen reader's name).
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
VOID_TAGS = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area", "base"}


class TextNodes(HTMLParser):
    """The visible text nodes of a page, without scripts, styles and people's entered text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes = []
        self.attributes = []  # the READ_ATTRIBUTES' values
        self._stack = []  # (tag, skipped)

    def handle_starttag(self, tag, attrs):
        inherited = bool(self._stack) and self._stack[-1][1]
        marked = any(name == "data-user-content" for name, _ in attrs)
        skipped = inherited or marked or tag in SKIPPED_TAGS
        if not skipped:
            # A field with a pattern shows an example of its format (qinghe-2027) as its hint.
            formatted = any(name == "pattern" for name, _ in attrs)
            for name, value in attrs:
                if formatted and name == "placeholder":
                    continue
                text = " ".join((value or "").split())
                if name in READ_ATTRIBUTES and text:
                    self.attributes.append(text)
        if tag not in VOID_TAGS:
            self._stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data):
        if self._stack and self._stack[-1][1]:
            return
        text = " ".join(data.split())
        if text:
            self.nodes.append(text)


def parsed(html: str) -> TextNodes:
    parser = TextNodes()
    parser.feed(html)
    parser.close()
    return parser


def text_nodes(html: str) -> list[str]:
    return parsed(html).nodes


def entered_values() -> list[str]:
    """Every text value people entered in the project's records, longest first."""
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and f.name not in CODE_FIELDS
            and (model._meta.app_label, model._meta.model_name.removeprefix("historical"), f.name)
            not in GENERATED_FIELDS
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                for part in re.split(r"\s*\n\s*", (value or "").strip()):
                    if len(part) >= 2:
                        found.add(" ".join(part.split()))
    # The language switch names each language in itself (简体中文, English) in both modes, and
    # its label says "Language" in English too, for a reader who cannot read the page.
    found |= {get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}
    found.add("语言 / Language")
    return sorted(found, key=len, reverse=True)


def without_data(text: str, values: list[str]) -> str:
    for value in values:
        if value in text:
            text = text.replace(value, " ")
    return text


def english_problem(text: str) -> bool:
    return bool(HAN.search(text))


def chinese_problem(text: str) -> bool:
    if INTERNAL_CODE.search(text):
        return True
    words = {word.lower() for word in ASCII_WORD.findall(text)}
    return bool(words - ENGLISH_ALLOWED)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo township loaded once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        from accounts.models import User

        users = {role: User.objects.get(username=role) for role in ROLES}
        yield {"users": users, "values": entered_values(), "sweeps": {}}
        transaction.set_rollback(True)


def main_pages(user) -> list[str]:
    """Home and every entry of the user's menu, in menu order."""
    urls = ["/"]
    for _group, _label, url_name, perm in _entries():
        if perm and not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        if url not in urls:
            urls.append(url)
    return urls


# From each menu page, the first record it links to and its 新增 form; from that record, its
# edit form.
RECORD = r'href="(/(?:villages|petitions|cases|governance|assessment|rewards)/[^"?#]*\d+/)"'
FOLLOWED = (
    (re.compile(RECORD), re.compile(r'href="(/[^"?#]+/new/)"')),
    (re.compile(r'href="(/[^"?#]+/\d+/edit/)"'),),
)


class Sweep:
    """One role's pages in one language: {page: [offending texts]} for text nodes and for the
    attributes people read, and the pages seen."""

    def __init__(self, demo, role: str, language: str):
        client = Client()
        client.force_login(demo["users"][role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        problem = english_problem if language == "en" else chinese_problem
        self.nodes, self.attributes, self.pages = defaultdict(list), defaultdict(list), []
        self.errors = []  # pages that answered 5xx: not swept, and reported
        queue = [(url, 0) for url in main_pages(demo["users"][role])]
        while queue:
            url, depth = queue.pop(0)
            if url in self.pages:
                continue
            self.pages.append(url)
            response = client.get(url, follow=True)
            if response.status_code >= 500:
                self.errors.append(f"{url} {response.status_code}")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            if depth < len(FOLLOWED):
                queue += [
                    (m.group(1), depth + 1)
                    for pattern in FOLLOWED[depth]
                    if (m := pattern.search(html))
                ]
            page = parsed(html)
            for texts, found in ((page.nodes, self.nodes), (page.attributes, self.attributes)):
                for text in texts:
                    if problem(without_data(text, demo["values"])) and text not in found[url]:
                        found[url].append(text)
        self.nodes = {url: texts for url, texts in self.nodes.items() if texts}
        self.attributes = {url: texts for url, texts in self.attributes.items() if texts}


def sweep(demo, role: str, language: str) -> Sweep:
    """Each (role, language) is crawled once for the module's tests."""
    key = (role, language)
    if key not in demo["sweeps"]:
        demo["sweeps"][key] = Sweep(demo, role, language)
    return demo["sweeps"][key]


def report(role: str, language: str, failures: dict[str, list[str]], what="text nodes") -> str:
    lines = [
        f"{role} in {language}: {sum(map(len, failures.values()))} {what} on {len(failures)} pages"
    ]
    for url, nodes in failures.items():
        lines.append(f"  {url} ({len(nodes)})")
        lines += [f"    {node[:140]}" for node in nodes[:40]]
    return "\n".join(lines)


def test_the_sweep_sees_text_nodes_and_cuts_out_entered_data():
    nodes = text_nodes(
        '<p>考核 <b>kaohe</b></p><script>var a="中文";</script>'
        "<td data-user-content><span>青石村</span></td><textarea>备注</textarea><p>x</p>"
    )
    assert nodes == ["考核", "kaohe", "x"]
    page = parsed(
        '<input placeholder="申诉理由"><b title="提示">x</b><p data-user-content title="备注">'
    )
    assert page.attributes == ["申诉理由", "提示"]
    assert english_problem(without_data("青石村 · score", ["青石村"])) is False
    assert english_problem("扣分") is True
    assert chinese_problem("导出 PDF、Excel") is False
    assert chinese_problem("admin close") is True
    assert chinese_problem("版本 xx-2024-table") is True
    assert chinese_problem("adj.checkpoint 加1分") is True
    assert chinese_problem("2026-04-03 10:00 · 1.4") is False


# Pages that document the township's own Excel format: its column titles, and the values a cell
# takes, stay in Chinese in every language (the file is read by them), each explained in English.
BILINGUAL_BY_DESIGN = {"exports:district_import"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_english_pages_show_no_chinese(demo, role):
    found = sweep(demo, role, "en")
    assert len(found.pages) >= 10, found.pages  # home, the menu, records and forms
    assert not found.errors
    bilingual = {reverse(name) for name in BILINGUAL_BY_DESIGN}
    nodes = {page: texts for page, texts in found.nodes.items() if page not in bilingual}
    assert not nodes, report(role, "en", nodes)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_chinese_pages_show_no_english_words_or_codes(demo, role):
    found = sweep(demo, role, "zh-hans")
    assert not found.nodes, report(role, "zh-hans", found.nodes)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("role", ROLES)
def test_tooltips_hints_and_labels_are_in_the_language_too(demo, role, language):
    """title, placeholder, aria-label and alt, on the same pages."""
    found = sweep(demo, role, language)
    assert not found.attributes, report(role, language, found.attributes, "attributes")
