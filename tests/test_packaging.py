"""Issue 15: `pip install .` installs the product (every app, config, and the templates, static
files, translations and fixtures that config/settings.py reads beside them) and its imports."""

import ast
import re
import sys
import tomllib
from fnmatch import fnmatch
from importlib.metadata import packages_distributions
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FIND = PROJECT["tool"]["setuptools"]["packages"]["find"]


def _installed(name: str) -> bool:
    return any(fnmatch(name, p) for p in FIND["include"]) and not any(
        fnmatch(name, p) for p in FIND["exclude"]
    )


def test_every_app_and_the_settings_are_installed():
    apps = [d.name for d in ROOT.iterdir() if (d / "__init__.py").exists() and d.name != "tests"]
    assert "config" in apps and "core" in apps
    assert [a for a in apps if not _installed(a)] == []
    assert not _installed("tests")


def test_the_files_settings_read_beside_the_code_are_installed():
    for folder in ("templates", "static", "locale", "fixtures"):
        assert (ROOT / folder).is_dir() and _installed(folder)
    assert FIND.get("namespaces") is True  # those folders have no __init__.py


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=!~;, ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _top_level_imports(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_every_third_party_import_is_declared():
    """tablib was imported by exports and installed only as django-import-export's dependency."""
    apps = [d for d in ROOT.iterdir() if (d / "__init__.py").exists() and d.name != "tests"]
    first_party = {d.name for d in apps}
    imported = set().union(*(_top_level_imports(d) for d in apps))
    third_party = imported - first_party - set(sys.stdlib_module_names) - {"__future__"}
    declared = {_requirement_name(r) for r in PROJECT["project"]["dependencies"]}
    distributions = packages_distributions()
    undeclared = {
        module: distributions.get(module)
        for module in third_party
        if not {d.lower().replace("_", "-") for d in distributions.get(module, ())} & declared
    }
    assert undeclared == {}
    assert "tablib" in declared
