"""The staff console in Chromium: signing in (a wrong password said plainly), the
agency switch of a user with roles in two agencies, an API token shown once, and
axe-core on the console's pages in both languages."""

import re

import pytest

from conftest import CITY, PASSWORD, shot
from test_accessibility import serious

OFFICER = "officer@demo.gongkai.cn"


def sign_in(page, email, password=PASSWORD, lang="zh"):
    page.goto(f"/console/login?lang={lang}")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form button[type=submit]").click()


def test_wrong_password_then_sign_in_and_out(page):
    sign_in(page, "editor@demo.gongkai.cn", "not-it")
    assert page.locator("#signin-error").inner_text() == "电子邮箱或密码不正确。"
    assert page.input_value("#email") == "editor@demo.gongkai.cn"
    shot(page, "console-signin-wrong")
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    # One agency: straight to its desk.
    assert page.url.endswith(f"/console/{CITY}/")
    assert page.locator("h1").inner_text() == "我的工作"
    shot(page, "console-desk-editor")
    page.locator("form.signout button").click()
    assert "/console/login" in page.url
    page.goto(f"/console/{CITY}/")
    assert page.locator("h1").inner_text() == "请先登录"


def test_a_user_with_roles_in_two_agencies_switches(page):
    sign_in(page, OFFICER)
    # Two agencies, none remembered yet: a choice.
    assert page.locator("h1").inner_text() == "选择单位"
    page.locator(".agency-list a", has_text="示例市教育局").click()
    assert page.url.endswith("/console/demo-city-edu/")
    shot(page, "console-desk-edu")
    bar = page.locator(".desk-bar .agencies")
    assert bar.locator("a[aria-current=page]").inner_text() == "示例市教育局"
    bar.locator("a", has_text="示例市人民政府").click()
    assert page.url.endswith(f"/console/{CITY}/")
    assert page.locator("#mine-title").is_visible()
    shot(page, "console-desk-city")
    # The agency worked in last is where the next visit starts.
    page.goto("/console/")
    assert page.url.endswith(f"/console/{CITY}/")


def test_api_token_is_shown_once(page):
    sign_in(page, "approver@demo.gongkai.cn")
    page.goto("/console/account")
    page.fill("#name", "报表脚本")
    page.fill("#expires_in_days", "30")
    page.locator("form[action='/console/account/tokens'] button").click()
    secret = page.locator("#new-token").inner_text()
    assert re.match(r"^\S{20,}$", secret)
    shot(page, "console-token-created")
    page.reload()
    assert page.locator("#new-token").count() == 0
    assert page.locator("table.data", has_text="报表脚本").is_visible()


PAGES = [
    ("login", None, "/console/login"),
    ("choose", OFFICER, "/console/"),
    ("desk", OFFICER, f"/console/{CITY}/"),
    ("account", OFFICER, "/console/account"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name,who,path", PAGES)
def test_console_pages_have_no_serious_violations(page, name, who, path, lang):
    if who:
        sign_in(page, who, lang=lang)
    page.goto(f"{path}?lang={lang}")
    found = serious(page)
    shot(page, f"axe-console-{name}-{lang}")
    assert not found, "\n".join(found)
    assert not page.console_errors
