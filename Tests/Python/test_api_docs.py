"""`/docs` (Swagger UI) and `/redoc` (ReDoc) of the HTTP gateway (#15 item 7), offline: the pages
load their scripts from the gateway, which serves them from the folder scripts/install-api-docs.sh
fills (JINA_API_DOCS here). Headless Chromium renders both: Swagger UI shows one operation per
endpoint, ReDoc its title. Without the folder both routes answer our own page listing the
endpoints."""
import asyncio
import os
import pathlib
import re
import subprocess
import urllib.request

import websockets

from conftest import REPO
from test_flow_e2e import flows, free_port, marker_bin, write_flow  # noqa: F401 (fixtures)
from test_playground import CHROMIUM, DevTools, start_chromium


def http_flow(tmp_path, marker_bin, port):
    return write_flow(tmp_path, f"""jtype: Flow
gateway:
  protocol: http
  port: {port}
executors:
  - name: marker
    uses: {marker_bin}
""")


def get(url):
    with urllib.request.urlopen(url, timeout=10) as reply:
        return reply.status, reply.headers.get("content-type"), reply.read()


def installed_assets():
    """The folder scripts/install-api-docs.sh fills (scripts/test.sh runs it first): the script is
    idempotent, so here it only checks the files, and the test needs no network (the crash hunt
    runs each suite in a network namespace of its own)."""
    folder = pathlib.Path(os.environ.get("JINA_API_DOCS") or pathlib.Path.home() / ".cache/jina/api-docs")
    subprocess.run([str(REPO / "scripts/install-api-docs.sh"), str(folder)], check=True, capture_output=True)
    return folder


def test_swagger_ui_and_redoc_render_offline(flows, tmp_path, marker_bin):
    assert CHROMIUM, "needs Debian's chromium: scripts/install-system-deps.sh installs it"
    folder = installed_assets()
    port = free_port()
    flow = flows(http_flow(tmp_path, marker_bin, port), env={"JINA_API_DOCS": str(folder)})
    flow.wait_for(r"^ready http://", stream="stdout")
    base = f"http://127.0.0.1:{port}"
    status, kind, body = get(base + "/docs")
    assert status == 200 and kind.startswith("text/html")
    # Nothing from elsewhere: every script and style sheet comes from the gateway.
    assert not re.search(rb"""(src|href)\s*=\s*["']?(https?:)?//""", body)
    status, kind, script = get(base + "/docs/assets/swagger-ui-bundle.js")
    assert status == 200 and kind.startswith("application/javascript") and script == (folder / "swagger-ui-bundle.js").read_bytes()

    browser, target = start_chromium(tmp_path)
    try:
        paths, redoc_title = asyncio.run(drive(target, base))
    finally:
        browser.kill()
        browser.wait(timeout=10)
    # Swagger UI lists the marker executor's endpoints as POST operations.
    assert {"/fail", "/slow", "/batch", "/default"} <= set(paths), paths
    assert "jina" in redoc_title.lower() or "gateway" in redoc_title.lower(), redoc_title
    assert flow.stop() == 0


async def drive(target, base):
    async with websockets.connect(target, max_size=None) as socket:
        page = DevTools(socket)
        await page.call("Page.enable")
        await page.call("Page.navigate", url=base + "/docs")
        rendered = await page.wait_until("document.querySelectorAll('.opblock-post').length >= 4", timeout=20)
        assert rendered, await page.evaluate("document.body.innerText.slice(0, 2000)")
        paths = await page.evaluate(
            "[...document.querySelectorAll('.opblock-post .opblock-summary-path')].map(e => e.textContent.trim())")
        await page.call("Page.navigate", url=base + "/redoc")
        rendered = await page.wait_until("document.querySelector('.api-info h1') !== null", timeout=20)
        assert rendered, await page.evaluate("document.body.innerText.slice(0, 2000)")
        title = await page.evaluate("document.querySelector('.api-info h1').textContent")
        return paths, title


def test_without_the_assets_the_pages_list_the_endpoints(flows, tmp_path, marker_bin):
    port = free_port()
    flow = flows(http_flow(tmp_path, marker_bin, port), env={"JINA_API_DOCS": str(tmp_path / "nothing-here")})
    flow.wait_for(r"^ready http://", stream="stdout")
    for page in ("/docs", "/redoc"):
        status, kind, body = get(f"http://127.0.0.1:{port}{page}")
        assert status == 200 and kind.startswith("text/html")
        text = body.decode()
        assert "<code>POST /batch</code>" in text and "scripts/install-api-docs.sh" in text
    try:
        get(f"http://127.0.0.1:{port}/docs/assets/swagger-ui-bundle.js")
        raise AssertionError("an asset was served without the folder")
    except urllib.error.HTTPError as error:
        assert error.code == 404
    assert flow.stop() == 0
