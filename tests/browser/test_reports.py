"""The annual report in the console, in Chromium, on a server whose day is 10 January
2027 (the demo's requests are of 2026): the editor drafts 2026, opens a figure's
records, is refused an adjustment without a reason (beside the field, the value kept),
submits; the report's item is reviewed and published through the 年度报告 column's
chain; the published report opens on the portal. axe-core on every new page, and on
the statistics pages with their charts, in both languages."""

import pytest

from conftest import CITY, Staff, serve, shot
from test_accessibility import serious
from test_console import sign_in

EDITOR = "editor@demo.gongkai.cn"
ROLE_USERS = {
    "reviewer": "reviewer@demo.gongkai.cn",
    "approver": "approver@demo.gongkai.cn",
    "editor": EDITOR,
    "tenant_admin": "city-admin@demo.gongkai.cn",
}


@pytest.fixture(scope="module")
def report_url():
    with serve({"GONGKAI_CLOCK_TODAY": "2027-01-10"}) as url:
        yield url


@pytest.fixture
def rpage(browser, report_url):
    context = browser.new_context(
        base_url=report_url, locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    p = context.new_page()
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.console_errors = errors
    yield p
    context.close()


def checked(page, name):
    found = serious(page)
    shot(page, f"axe-console-{name}")
    assert not found, name + ": " + "\n".join(found)


def test_a_report_is_drafted_reviewed_published_and_opened_on_the_portal(rpage, playwright_instance, report_url):
    page = rpage
    sign_in(page, EDITOR)
    page.goto(f"/console/{CITY}/reports")
    checked(page, "reports")
    page.fill("#year", "2026")
    page.locator("form[action$='/reports'] button[type=submit]").click()
    assert page.url.endswith(f"/console/{CITY}/reports/2026")
    assert page.locator("table.report-table caption").count() == 3
    checked(page, "report")

    # A figure's records, and an adjustment refused without a reason.
    page.locator("#c-t3-new-total").click()
    assert "/cells/t3:new:total" in page.url
    checked(page, "report-figure")
    page.fill("#value", "999")
    page.locator("form[action*='/cells/'] button[type=submit]").click()
    assert page.locator("#reason-error").is_visible()
    assert page.input_value("#value") == "999"
    checked(page, "report-figure-errors")

    # The first year on the platform: last year's carried figures typed in, then the
    # sections, and the submission opens the report's item.
    page.goto(f"/console/{CITY}/reports/2026")
    page.fill("[id='columns.person']", "0")
    page.fill("#carried_reason", "首年使用平台，2025年无结转")
    page.locator("form[action$='/prior-carried'] button[type=submit]").click()
    checked(page, "report-carried")
    page.fill("#overview", "2026年，本机关认真贯彻《政府信息公开条例》。")
    page.locator("form[action$='/sections'] button[type=submit]").click()
    page.locator("form[action$='/submit'] button[type=submit]").click()
    assert f"/console/{CITY}/items/" in page.url
    item = page.url.rsplit("/", 1)[1]

    # Sent to review from the item's page; each step signed by its role; published.
    page.locator("form[action$='/submit'] button[type=submit]").click()
    editor = Staff(playwright_instance, report_url, EDITOR)
    details = editor.call("GET", f"/api/v1/tenants/{CITY}/items/{item}")
    for step, s in enumerate(details["review_chain"]):
        signer = Staff(playwright_instance, report_url, ROLE_USERS[s["role"]])
        signer.call(
            "POST",
            f"/api/v1/tenants/{CITY}/items/{item}/decisions",
            {"step": step, "verdict": "approve"},
        )
    editor.call("POST", f"/api/v1/tenants/{CITY}/items/{item}/publish", {})

    # On the portal: the column lists it, its page shows the tables.
    page.goto(f"/{CITY}/reports")
    page.locator("a", has_text="2026年").first.click()
    assert page.locator("table.report-table caption").count() == 3
    assert "2026年，本机关认真贯彻" in page.content()
    assert not page.console_errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_statistics_pages_have_no_serious_violations(rpage, lang):
    page = rpage
    sign_in(page, "city-admin@demo.gongkai.cn", lang=lang)
    page.goto(f"/console/{CITY}/statistics?from=2026-01&to=2026-12&lang={lang}")
    assert page.locator("figure.chart svg[role=img]").count() == 4
    checked(page, f"statistics-{lang}")
    page.goto(f"/console/{CITY}/statistics?from=2026-01&to=2027-06&lang={lang}")
    assert page.locator(".error-summary").is_visible()
    checked(page, f"statistics-errors-{lang}")
