"""Shop the look end to end (issue #14's benchmark): `jina flow --uses flows/shop-the-look.yml`
(release build) with all 70,000 Fashion-MNIST pictures indexed (60,000 training and 10,000
test images, with their titles), then photo searches through the HTTP gateway as a browser or
the playground sends them: a 640 x 480 JPEG as a data: URI in POST /search, top_k 10.
Latency per query p50/p99 at the client. Not a test.
    python shop_the_look_latency.py JINA_BINARY PHOTOS_DIR [QUERIES=200]"""
import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../examples/shop-the-look"))
from docarray import BaseDoc, DocList  # noqa: E402
from jina import Client  # noqa: E402

import importlib.util  # noqa: E402
spec = importlib.util.spec_from_file_location("catalogue", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "../../examples/shop-the-look/make-catalogue.py"))
catalogue = importlib.util.module_from_spec(spec)
spec.loader.exec_module(catalogue)

binary, photos = sys.argv[1], sys.argv[2]
queries = int(sys.argv[3]) if len(sys.argv) > 3 else 200
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../..")


class Product(BaseDoc):
    text: str | None = None
    url: str | None = None
    tags: dict = {}


def products():
    for split, prefix in (("train", "fm"), ("t10k", "ft")):
        images, rows, cols = catalogue.read_images(f"{catalogue.SOURCE}/{split}-images-idx3-ubyte.gz")
        labels = catalogue.read_labels(f"{catalogue.SOURCE}/{split}-labels-idx1-ubyte.gz")
        for index, (pixels, label) in enumerate(zip(images, labels)):
            title, shade, pattern = catalogue.title(pixels, label)
            yield Product(id=f"{prefix}-{index:05d}", text=title, tags={"label": label, "category": catalogue.CATEGORIES[label]},
                          url="data:image/png;base64," + base64.b64encode(catalogue.png(pixels, cols, rows)).decode())


with tempfile.TemporaryDirectory() as workspace:
    grpc_port, http_port = 54811, 54812
    env = dict(os.environ, JINA_PORT=str(grpc_port), JINA_HTTP_PORT=str(http_port), JINA_WORKSPACE=workspace)
    flow = subprocess.Popen([binary, "flow", "--uses", os.path.join(root, "flows/shop-the-look.yml")], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in flow.stdout:
        if line.startswith("ready http://"):
            break
    client = Client(host=f"grpc://127.0.0.1:{grpc_port}")
    started = time.perf_counter()
    batch, total = [], 0
    for product in products():
        batch.append(product)
        if len(batch) == 1000:
            client.post("/index", DocList[Product](batch), request_size=100)
            total += len(batch)
            batch = []
            print(f"indexed {total} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    if batch:
        client.post("/index", DocList[Product](batch), request_size=100)
        total += len(batch)
    print(f"FIGURE shop_the_look_index n={total} seconds={time.perf_counter() - started:.0f}", flush=True)
    files = sorted(f for f in os.listdir(photos) if f.endswith(".jpg"))
    bodies = [json.dumps({"data": [{"url": "data:image/jpeg;base64," + base64.b64encode(open(os.path.join(photos, f), "rb").read()).decode()}],
                          "parameters": {"top_k": 10}}).encode() for f in files]
    latencies = []
    for number in range(queries + 5):
        request = urllib.request.Request(f"http://127.0.0.1:{http_port}/search", data=bodies[number % len(bodies)],
                                         headers={"Content-Type": "application/json"})
        began = time.perf_counter()
        answer = json.loads(urllib.request.urlopen(request, timeout=60).read())
        elapsed = (time.perf_counter() - began) * 1000
        assert len(answer["data"][0]["matches"]) == 10
        if number >= 5:
            latencies.append(elapsed)
    latencies.sort()
    print(f"FIGURE shop_the_look_photo_query n={total} p50_ms={latencies[len(latencies) // 2]:.1f} "
          f"p99_ms={latencies[int(len(latencies) * 0.99)]:.1f}", flush=True)
    flow.send_signal(signal.SIGINT)
    flow.wait(timeout=120)
