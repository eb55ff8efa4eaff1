"""The error pages (issue 13): 403 and 404 in the site's layout, translated, with a way home; 500
standalone (no context processor, no query) but styled; the API's errors stay JSON."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

LAYOUT = ('class="topbar"', 'id="mainnav"', "css/app.css", 'href="#main"')

TEXTS = {
    403: {
        "zh-hans": ("您没有权限打开此页面", "返回首页", "退出"),
        "en": ("You do not have permission to open this page", "Back to the home page", "Log out"),
    },
    404: {
        "zh-hans": ("页面不存在", "返回首页", "退出"),
        "en": ("Page not found", "Back to the home page", "Log out"),
    },
}


def _get(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_forbidden_page_in_the_layout(client_for, secretary_a, language):
    assert settings.DEBUG is False
    client = client_for(secretary_a)
    response = _get(client, reverse("dashboard:index"), language)
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    for text in LAYOUT + TEXTS[403][language]:
        assert text in page, text
    assert f'href="{reverse("home")}"' in page
    assert "403 Forbidden" not in page
    if language == "en":
        assert "您没有权限打开此页面" not in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_missing_page_in_the_layout(client_for, staff_user, language):
    client = client_for(staff_user)
    for url in ("/no-such-page/", reverse("villages:village_detail", args=[999999])):
        response = _get(client, url, language)
        assert response.status_code == 404, url
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        for text in LAYOUT + TEXTS[404][language]:
            assert text in page, (url, text)
        assert "Not Found" not in page
        if language == "en":
            assert "页面不存在" not in page


def test_a_missing_page_for_a_visitor_has_no_menu(client):
    page = client.get("/no-such-page/").content.decode()
    assert "页面不存在" in page and 'class="topbar"' in page and 'id="mainnav"' not in page


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "服务器出错"), ("en", "Server error")])
def test_the_server_error_page_stands_alone(language, title, django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert title in page and "css/app.css" in page and 'href="/"' in page


def test_api_errors_stay_json(client_for, secretary_a, staff_user):
    client = client_for(staff_user)
    for url in ("/api/no-such-endpoint/", "/api/petitions/999999/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        assert "detail" in response.json()
    client = client_for(secretary_a)
    response = client.get(reverse("api:rankings"))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
