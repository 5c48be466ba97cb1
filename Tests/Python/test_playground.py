"""The playground page (issue #14) in a real browser: headless Chromium (Debian's `chromium`)
driven over the DevTools protocol opens /playground of flows/shop-the-look.yml, uploads a
held-out Fashion-MNIST photo through the page's file input, sends it to /search and waits for
the grid of 10 matches; a screenshot is saved. Needs scripts/install-models.sh."""
import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request

import websockets

from conftest import REPO
from test_flow_e2e import flows, free_port  # noqa: F401

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")
from docarray import BaseDoc, DocList  # noqa: E402
from jina import Client  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Product(BaseDoc):
    text: str | None = None
    url: str | None = None
    tags: dict = {}


class DevTools:
    """A page of headless Chromium, driven over its DevTools websocket."""

    def __init__(self, socket):
        self.socket = socket
        self.next_id = 0
        self.events = []

    async def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        await self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), 30))
            if message.get("id") == ident:
                assert "error" not in message, (method, message["error"])
                return message.get("result", {})
            self.events.append(message)

    async def evaluate(self, expression):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    async def wait_until(self, expression, timeout=60.0):
        """Evaluates `expression` on each animation frame in the page until it is true."""
        script = f"""new Promise((resolve, reject) => {{
            const deadline = performance.now() + {timeout * 1000};
            const check = () => {{
                let value; try {{ value = {expression}; }} catch (e) {{ value = false; }}
                if (value) resolve(true); else if (performance.now() > deadline) resolve(false);
                else requestAnimationFrame(check);
            }};
            check();
        }})"""
        return await self.evaluate(script)


def start_chromium(tmp_path):
    """Headless Chromium with its DevTools server: (the process, its page's DevTools websocket)."""
    browser = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--remote-debugging-port=0", f"--user-data-dir={tmp_path / 'profile'}",
                                "--window-size=1200,1600", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in browser.stderr:
            found = re.search(r"DevTools listening on (ws://[^\s]+)", line)
            if found:
                break
        else:
            raise AssertionError("Chromium did not start its DevTools server")
        debug_port = re.search(r"ws://[^:/]+:(\d+)/", found.group(1)).group(1)
        pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json/list", timeout=10).read())
        return browser, next(page for page in pages if page.get("type") == "page")["webSocketDebuggerUrl"]
    except BaseException:
        browser.kill()
        browser.wait(timeout=10)
        raise


def test_the_playground_searches_by_an_uploaded_photo(flows, tmp_path):
    assert CHROMIUM, "needs Debian's chromium: scripts/install-system-deps.sh installs it"
    data = tmp_path / "data"
    subprocess.run([sys.executable, str(REPO / "examples/shop-the-look/make-catalogue.py"), "--count", "300",
                    "--queries", "5", "--out", str(data)], check=True, capture_output=True)
    port, http_port = free_port(), free_port()
    flow = flows(REPO / "flows/shop-the-look.yml", env={"SHOP_DATA": str(data), "JINA_PORT": str(port),
                                                          "JINA_HTTP_PORT": str(http_port),
                                                          "JINA_WORKSPACE": str(tmp_path / "workspace")})
    flow.wait_ready()
    catalogue = [json.loads(line) for line in (data / "catalogue.jsonl").read_text().splitlines()]
    Client(host=f"grpc://127.0.0.1:{port}").post("/index", DocList[Product]([Product(**item) for item in catalogue]),
                                                 request_size=50)
    page_url = f"http://127.0.0.1:{http_port}/playground"
    html = urllib.request.urlopen(page_url, timeout=10).read().decode()
    # Self-contained: nothing is loaded from elsewhere.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html) and "<link" not in html

    browser, target = start_chromium(tmp_path)
    try:
        query = json.loads((data / "queries.jsonl").read_text().splitlines()[0])
        photo = tmp_path / "query.png"
        photo.write_bytes(base64.b64decode(query["url"].split(",", 1)[1]))
        screenshot = asyncio.run(drive(target, page_url, photo, tmp_path))
    finally:
        browser.kill()
        browser.wait(timeout=10)
    assert screenshot.stat().st_size > 10_000 and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert flow.stop() == 0


async def drive(target, page_url, photo, tmp_path):
    async with websockets.connect(target, max_size=None) as socket:
        page = DevTools(socket)
        await page.call("Page.enable")
        await page.call("Page.navigate", url=page_url)
        assert await page.wait_until("document.getElementById('endpoint').options.length >= 3")
        endpoints = await page.evaluate("[...document.getElementById('endpoint').options].map(o => o.value)")
        assert "/search" in endpoints and "/search_text" in endpoints and "/index" in endpoints
        document = await page.call("DOM.getDocument")
        file_input = await page.call("DOM.querySelector", nodeId=document["root"]["nodeId"], selector="#file")
        await page.call("DOM.setFileInputFiles", nodeId=file_input["nodeId"], files=[str(photo)])
        assert await page.wait_until("!document.getElementById('preview').hidden")
        await page.evaluate("document.getElementById('endpoint').value = '/search'; document.getElementById('send').click(); true")
        assert await page.wait_until("document.querySelectorAll('#matches .match').length === 10"), \
            await page.evaluate("document.getElementById('status').textContent")
        images = await page.evaluate("[...document.querySelectorAll('#matches .match img')].filter(i => i.complete && i.naturalWidth > 0).length")
        assert images == 10
        scores = await page.evaluate("[...document.querySelectorAll('#matches .score')].map(s => s.textContent)")
        assert len(scores) == 10 and all(score.startswith("cosine ") for score in scores)
        shot = await page.call("Page.captureScreenshot", format="png")
        path = tmp_path / "playground.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
