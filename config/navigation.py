"""Navigation by role: each app lists its entries in `<app>/navigation.py` as NAV.

An entry is (group, label, url name, permission or None). The menu shows only what the user
may open, so a secretary never sees township pages.
"""

from importlib import import_module

from django.urls import NoReverseMatch
from django.urls import reverse

NAV_APPS = [
    "dashboard",
    "villages",
    "petitions",
    "cases",
    "governance",
    "assessment",
    "rewards",
    "jobs",
    "accounts",
    "exports",
]


def _entries():
    for app in NAV_APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        yield from module.NAV


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    groups: dict[str, list] = {}
    for group, label, url_name, perm in _entries():
        if perm and not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        groups.setdefault(str(group), []).append(
            {"label": label, "url": url, "active": request.path.startswith(url)}
        )
    return {"nav_groups": list(groups.items())}
