"""axe-core on the portal's key pages in both languages: no violation of impact
serious or critical."""

import os

import pytest

from conftest import CITY, shot

AXE = os.environ.get("AXE_JS", "node_modules/axe-core/axe.min.js")

PAGES = [
    ("index", "/"),
    ("home", f"/{CITY}/"),
    ("catalog", f"/{CITY}/catalog"),
    ("node", f"/{CITY}/catalog/GZDT"),
    ("guide", f"/{CITY}/guide"),
    ("rules", f"/{CITY}/rules"),
    ("reports", f"/{CITY}/reports"),
    ("apply", f"/{CITY}/apply"),
    ("track", f"/{CITY}/track"),
    ("search", f"/{CITY}/search?q=%E5%85%AC%E5%BC%80"),
    ("not-found", f"/{CITY}/items/00000000-0000-7000-8000-000000000000"),
    ("kiosk", f"/{CITY}/?kiosk=1"),
]


def serious(page):
    page.add_script_tag(path=AXE)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name,path", PAGES)
def test_no_serious_violations(page, name, path, lang):
    sep = "&" if "?" in path else "?"
    page.goto(f"{path}{sep}lang={lang}")
    found = serious(page)
    if found:
        shot(page, f"axe-{name}-{lang}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_item_page_and_form_errors(page, lang):
    page.goto(f"/{CITY}/catalog/GZDT?lang={lang}")
    page.locator("table.items tbody a").first.click()
    assert not serious(page)
    page.goto(f"/{CITY}/apply?lang={lang}")
    page.locator("button.primary").click()
    assert page.locator(".error-summary").is_visible()
    found = serious(page)
    shot(page, f"axe-apply-errors-{lang}")
    assert not found, "\n".join(found)
