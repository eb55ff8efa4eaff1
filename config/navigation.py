"""Navigation by role: each app lists its entries in `<app>/navigation.py` as NAV.

An entry is (group, label, url name, permission or None). The menu shows only what the user
may open, so a secretary never sees township pages.
"""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils.module_loading import module_has_submodule

# The leaders' dashboard opens the menu; the other apps follow in INSTALLED_APPS order (the one
# list of the apps), each app's entries in its NAV order.
FIRST = "dashboard"


@cache
def _modules() -> list:
    configs = sorted(apps.get_app_configs(), key=lambda config: config.name != FIRST)
    return [
        import_module(f"{config.name}.navigation")
        for config in configs
        if module_has_submodule(config.module, "navigation")
    ]


def _entries():
    for module in _modules():
        yield from module.NAV


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    entries = []
    for group, label, url_name, perm in _entries():
        if perm and not user.has_perm(perm):
            continue
        try:
            entries.append((str(group), label, reverse(url_name)))
        except NoReverseMatch:
            continue
    # The page's entry is the longest one its path starts with: /dashboard/district/ is the
    # district's dashboard, not the township's at /dashboard/.
    current = max(
        (url for _g, _l, url in entries if request.path.startswith(url)), key=len, default=None
    )
    groups: dict[str, list] = {}
    for group, label, url in entries:
        groups.setdefault(group, []).append({"label": label, "url": url, "active": url == current})
    return {"nav_groups": list(groups.items())}
