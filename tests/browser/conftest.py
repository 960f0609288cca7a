"""The browser suite's fixtures: one `gongkai` server over a fresh embedded database
seeded with the demo agencies, Debian's Chromium through Playwright, staff sessions
over the API, screenshots kept under the target directory."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

BIN = os.environ.get("GK_BROWSER_BIN", "target/debug/gongkai")
SHOTS = os.environ.get("SCREENSHOTS", "target/browser-screenshots")
PASSWORD = "Gongkai-Demo-2026"
CITY = "demo-city"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(extra_env=None):
    """A `gongkai` server over a fresh embedded database seeded with the demo agencies
    (`extra_env`, e.g. a fixed day, applies to both); its base URL."""
    data = tempfile.mkdtemp(prefix="gongkai-browser-")
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "GONGKAI_DATA_DIR": data,
            "GONGKAI_LISTEN": f"127.0.0.1:{port}",
            "GONGKAI_EMAIL_TRANSPORT": "none",
            "RUST_LOG": "warn",
            # The demo's published passwords are refused by `serve` unless it is a demo.
            "GONGKAI_DEMO": "true",
        }
    )
    env.update(extra_env or {})
    subprocess.run([BIN, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    log = open(os.path.join(data, "server.log"), "w")
    server = subprocess.Popen([BIN, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.time() > deadline:
            log.close()
            raise RuntimeError("gongkai did not start: " + open(os.path.join(data, "server.log")).read())
        time.sleep(0.2)
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def base_url():
    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = playwright_instance.chromium.launch(
        executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
    )
    yield b
    b.close()


@pytest.fixture
def page(browser, base_url):
    # bypass_csp only so that the test can inject axe-core; the pages run under the CSP.
    context = browser.new_context(
        base_url=base_url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        bypass_csp=True,
    )
    p = context.new_page()
    # Script errors and CSP refusals (a 4xx page is not one: forms answer 422 on purpose).
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on(
        "console",
        lambda m: errors.append(m.text)
        if m.type == "error" and "Failed to load resource" not in m.text
        else None,
    )
    p.console_errors = errors
    yield p
    context.close()


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


class Staff:
    """A signed-in staff session over the JSON API."""

    def __init__(self, playwright, base_url, email):
        self.api = playwright.request.new_context(base_url=base_url)
        r = self.api.post("/api/v1/auth/login", data={"email": email, "password": PASSWORD})
        assert r.ok, r.text()
        self.csrf = r.json()["csrf_token"]

    def call(self, method, path, data=None, expect=200, **kw):
        headers = {"x-csrf-token": self.csrf}
        headers.update(kw.pop("headers", {}))
        r = self.api.fetch(path, method=method, data=data, headers=headers, **kw)
        assert r.status == expect, f"{method} {path}: {r.status} {r.text()}"
        return r.json() if r.text() else None


@pytest.fixture(scope="session")
def staff(playwright_instance, base_url):
    sessions = {}

    def login(email):
        if email not in sessions:
            sessions[email] = Staff(playwright_instance, base_url, email)
        return sessions[email]

    return login


PLUGINS_DIR = os.environ.get(
    "GK_PLUGINS_DIR",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "plugins"),
)


@pytest.fixture(scope="session")
def environment_plugin(staff):
    """The environment plugin (scripts/build-plugins) installed by the platform
    administrator and enabled for the demo city by its administrator; its version."""
    admin = staff("admin@demo.gongkai.cn")
    with open(os.path.join(PLUGINS_DIR, "environment.wasm"), "rb") as f:
        wasm = f.read()
    r = admin.api.fetch(
        "/api/v1/plugins",
        method="POST",
        data=wasm,
        headers={"x-csrf-token": admin.csrf, "content-type": "application/wasm"},
    )
    assert r.status in (201, 409), r.text()
    version = next(p["version"] for p in admin.call("GET", "/api/v1/plugins") if p["id"] == "environment")
    city_admin = staff("city-admin@demo.gongkai.cn")
    city_admin.call(
        "PUT",
        f"/api/v1/tenants/{CITY}/plugins/environment",
        {"version": version, "enabled": True},
    )
    return version


def publish_item(staff, title, body, attachment=None, node_code="GZDT", slug=CITY):
    """An item through the API as the demo city's staff would: editor, reviewer (masks
    every finding, approves), approver, publish. Returns the published item."""
    ed = staff("editor@demo.gongkai.cn")
    rev = staff("reviewer@demo.gongkai.cn")
    apr = staff("approver@demo.gongkai.cn")
    nodes = ed.call("GET", f"/api/v1/tenants/{slug}/catalog")
    node = next(n for n in nodes if n["code"] == node_code)
    item = ed.call(
        "POST",
        f"/api/v1/tenants/{slug}/items",
        {"node_id": node["id"], "kind": "news", "title": title, "body": body},
        expect=201,
    )
    base = f"/api/v1/tenants/{slug}/items/{item['id']}"
    if attachment:
        name, content = attachment
        ed.call(
            "POST",
            f"{base}/attachments?name={urllib.request.quote(name)}",
            content.encode("utf-8"),
            expect=201,
            headers={"content-type": "text/plain"},
        )
    submitted = ed.call("POST", f"{base}/submit", {})
    for f in rev.call("GET", f"{base}/findings"):
        rev.call("POST", f"{base}/findings/{f['id']}", {"resolution": "redact", "reason": "个人信息"})
    for step, who in list(enumerate([rev, apr]))[: len(submitted["review_chain"])]:
        who.call("POST", f"{base}/decisions", {"step": step, "verdict": "approve", "comments": "同意"})
    return ed.call("POST", f"{base}/publish", {})
