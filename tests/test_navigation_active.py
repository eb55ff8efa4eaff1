"""The menu marks the page's own entry: the longest entry its path starts with."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.navigation import navigation

pytestmark = pytest.mark.django_db


def _active(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return [
        item["url"]
        for _group, items in navigation(request)["nav_groups"]
        for item in items
        if item["active"]
    ]


def test_the_district_dashboard_is_not_the_township_dashboard(django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw")
    district, township = reverse("dashboard:district"), reverse("dashboard:index")
    assert district.startswith(township)  # why the longest match matters
    assert _active(root, district) == [district]
    assert _active(root, township) == [township]
    assert _active(root, township + "villages/1/") == [township]
