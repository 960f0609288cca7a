"""A citizen's journeys through an agency's portal in a real Chromium."""

import re
import time

from conftest import CITY, publish_item, shot

ID_NUMBER = "11010519491231002X"


def test_citizen_browses_reads_downloads_applies_and_tracks(page, staff):
    published = publish_item(
        staff,
        "关于公布2026年第一批政务公开示范点的通知",
        "经评审，现公布第一批示范点名单。",
        attachment=("示范点名单.txt", f"示范点名单\n联系人身份证 {ID_NUMBER}\n"),
    )

    # Home: the agency, the prominent request entry, the latest items.
    page.goto(f"/{CITY}/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", level=1).inner_text().startswith("示例市人民政府")
    assert page.get_by_role("link", name="在线申请").is_visible()
    shot(page, "01-home")

    # Browse the catalog to the node and open the item.
    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="法定主动公开内容").click()
    page.get_by_role("navigation", name="公开目录").get_by_role("link", name="工作动态").click()
    assert page.get_by_role("heading", level=1).inner_text() == "工作动态"
    shot(page, "02-catalog-node")
    page.get_by_role("link", name=published["title"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == published["title"]
    assert page.get_by_text("索引号").first.is_visible()
    shot(page, "03-item")

    # Download the attachment: the ID number in it comes masked.
    with page.expect_download() as info:
        page.get_by_role("link", name="示范点名单.txt").click()
    content = open(info.value.path(), encoding="utf-8").read()
    assert "示范点名单" in content
    assert ID_NUMBER not in content

    # File a request with a wrong ID number: the error beside the field, values kept.
    page.get_by_role("link", name="依申请公开").first.click()
    page.get_by_label("申请人姓名或联系人姓名").fill("王五")
    page.get_by_label("证件号码").fill("110105194912310021")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("所需政府信息的名称").fill("请提供2026年示范点评审标准")
    # An identity document that is not a photo or a PDF: refused beside its input.
    page.get_by_label("身份证明材料（可选）").set_input_files(
        files=[{"name": "id.txt", "mimeType": "text/plain", "buffer": "身份证".encode()}]
    )
    page.get_by_role("button", name="提交申请").click()
    error = page.locator("#err-id_number")
    assert error.is_visible()
    assert "校验位" in error.inner_text()
    assert "PDF" in page.locator("#err-document").inner_text()
    assert page.get_by_label("申请人姓名或联系人姓名").input_value() == "王五"
    assert page.get_by_label("所需政府信息的名称").input_value() == "请提供2026年示范点评审标准"
    shot(page, "04-apply-error")

    # Correct it, with a photo of the ID card: the receipt with number and code.
    page.get_by_label("证件号码").fill(ID_NUMBER)
    page.get_by_label("身份证明材料（可选）").set_input_files(files=[{"name": "id.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交申请").click()
    number = page.locator("#tracking-number").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.match(r"^\S+$", number) and len(code) >= 8
    shot(page, "05-receipt")

    # Track it.
    page.get_by_role("link", name="查询办理进度").last.click()
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.locator("#request-status").inner_text() == "已接收"
    assert page.get_by_role("heading", name="救济途径").is_visible()
    shot(page, "06-track")
    assert not page.console_errors, page.console_errors


# The start of a PNG: enough for the type to be recognised from the content.
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0"


def test_an_item_published_through_the_api_appears_masked(page, staff):
    body = f"申请人联系人身份证号码 {ID_NUMBER}，请相关单位核实。"
    item = publish_item(staff, "关于核实示范点申报材料的公告", body)
    page.goto(f"/{CITY}/")
    page.get_by_role("link", name="关于核实示范点申报材料的公告").first.click()
    text = page.locator("main").inner_text()
    assert "请相关单位核实" in text
    assert ID_NUMBER not in text
    assert re.search(r"11\*{10,}X", text), text
    shot(page, "07-masked-item")
    assert page.url.endswith(f"/items/{item['id']}")


def test_a_withdrawn_item_disappears(page, staff):
    item = publish_item(staff, "即将撤回的测试通知", "本通知将被撤回。")
    page.goto(f"/{CITY}/catalog/GZDT")
    assert page.get_by_role("link", name="即将撤回的测试通知").is_visible()
    staff("editor@demo.gongkai.cn").call(
        "POST", f"/api/v1/tenants/{CITY}/items/{item['id']}/withdraw", {"reason": "内容有误"}
    )
    response = page.goto(f"/{CITY}/items/{item['id']}")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "页面不存在"
    assert "本通知将被撤回" not in page.content()
    shot(page, "08-withdrawn-404")
    page.goto(f"/{CITY}/catalog/GZDT")
    assert page.get_by_role("link", name="即将撤回的测试通知").count() == 0


def test_kiosk_returns_home_when_idle(page, staff):
    admin = staff("city-admin@demo.gongkai.cn")
    settings = admin.call("GET", f"/api/v1/tenants/{CITY}/portal/settings")
    settings["kiosk_idle_seconds"] = 3
    admin.call("PUT", f"/api/v1/tenants/{CITY}/portal/settings", settings)
    time.sleep(0.1)
    try:
        page.goto(f"/{CITY}/guide?kiosk=1")
        assert "kiosk" in (page.locator("html").get_attribute("class") or "")
        assert page.locator('a[href^="http"]').count() == 0, "no external links in kiosk mode"
        shot(page, "09-kiosk")
        page.goto(f"/{CITY}/catalog")  # the kiosk cookie keeps the mode
        page.wait_for_url(f"**/{CITY}/", timeout=15000)
        assert page.get_by_role("link", name="在线申请").is_visible()
    finally:
        settings["kiosk_idle_seconds"] = 120
        admin.call("PUT", f"/api/v1/tenants/{CITY}/portal/settings", settings)


def test_english_switch(page):
    page.goto(f"/{CITY}/")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Request online").is_visible()
    page.get_by_role("navigation", name="Sections", exact=True).get_by_role("link", name="Disclosure guide").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Disclosure guide"
    shot(page, "10-english-guide")
    page.get_by_role("link", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
