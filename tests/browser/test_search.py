"""Search in Chromium: the portal's search box in the page header finds a published
item (words marked, a draft never shown, the zero-result hint's link back), the
console's search page reached from its menu finds drafts and published items with
their stage; axe-core on both pages in both languages."""

import urllib.parse

import pytest

from conftest import CITY, publish_item, shot
from test_accessibility import serious
from test_console import EDITOR, sign_in

TITLE = "城区冷链物流配送站点布局规划"
DRAFT_TITLE = "冷链物流补贴申报安排（草稿）"
WORDS = "冷链物流"


@pytest.fixture(scope="module")
def items(staff):
    """A published item and a draft of the demo city, both holding WORDS."""
    item = publish_item(staff, TITLE, "冷链物流配送站点按照就近原则布设，服务半径三公里。")
    ed = staff(EDITOR)
    node = next(n for n in ed.call("GET", f"/api/v1/tenants/{CITY}/catalog") if n["code"] == "GZDT")
    draft = ed.call(
        "POST",
        f"/api/v1/tenants/{CITY}/items",
        {"node_id": node["id"], "kind": "notice", "title": DRAFT_TITLE, "body": "尚未公开。"},
        expect=201,
    )
    return item, draft


def test_portal_search_box_finds_the_published_item(page, items):
    item, _ = items
    page.goto(f"/{CITY}/")
    page.fill("#site-search", WORDS)
    page.locator("form.search button").click()
    assert f"/{CITY}/search" in page.url
    results = page.locator("ol.search-results")
    hit = results.locator("a", has_text="配送站点布局规划")
    assert hit.is_visible()
    assert results.locator("mark", has_text=WORDS).first.is_visible()
    assert DRAFT_TITLE not in page.content()
    shot(page, "search-portal-results")
    hit.click()
    assert page.url.endswith(f"/items/{item['id']}")

    # A filter that leaves nothing: the page says so and offers to remove it.
    page.goto(f"/{CITY}/search?q={urllib.parse.quote(WORDS)}&year=2001")
    assert page.locator(".search-none").is_visible()
    shot(page, "search-portal-none")
    page.locator(".search-none a", has_text="去掉全部筛选条件").click()
    assert page.locator("ol.search-results a", has_text="配送站点布局规划").is_visible()
    assert "year=2001" not in page.url


def test_console_search_finds_drafts_and_published_items(page, items):
    item, draft = items
    sign_in(page, EDITOR)
    page.locator(f"nav a[href='/console/{CITY}/search']").click()
    assert page.locator("h1").inner_text() == "搜索信息"
    page.fill("#q", WORDS)
    page.locator("main form[role=search] button").click()
    results = page.locator("ol.search-results")
    published = results.locator("li", has=page.locator(f"a[href='/console/{CITY}/items/{item['id']}']"))
    drafted = results.locator("li", has=page.locator(f"a[href='/console/{CITY}/items/{draft['id']}']"))
    assert published.locator(".badge").inner_text() == "已发布"
    assert drafted.locator(".badge").inner_text() == "草稿"
    assert results.locator("mark", has_text=WORDS).first.is_visible()
    shot(page, "search-console-results")
    drafted.locator("a").first.click()
    assert page.url.endswith(f"/console/{CITY}/items/{draft['id']}")
    assert not page.console_errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_pages_have_no_serious_violations(page, items, lang):
    q = urllib.parse.quote(WORDS)
    sign_in(page, EDITOR, lang=lang)
    for name, path in [
        ("portal", f"/{CITY}/search?q={q}"),
        ("portal-none", f"/{CITY}/search?q={q}&year=2001"),
        ("console", f"/console/{CITY}/search?q={q}"),
        ("console-none", f"/console/{CITY}/search?q={q}&year=2001"),
        ("console-problem", f"/console/{CITY}/search?q={q}&page=0"),
    ]:
        page.goto(f"{path}&lang={lang}")
        found = serious(page)
        shot(page, f"axe-search-{name}-{lang}")
        assert not found, f"{name}: " + "\n".join(found)
    assert not page.console_errors
