"""Dynamic batching side by side (issue #15), not a test: our `jina flow` with the batch-executor
program and Python Jina 3.34's Flow with the same device model in Python (executor.py), each
with and without `uses_dynamic_batching`, at concurrency 1, 8 and 32. Every request is one
process_single_data call with one document, sent by C asyncio workers for SECONDS each.

Per figure: requests/s, latency p50/p99 at the client, and the time a request spends outside
the executor's handler (client latency minus the handler time the executor writes into the
document): gateway, hops, queueing and batching waits.

    python run.py JINA_BINARY BATCH_EXECUTOR [SECONDS=8] [PREFERRED=8] [TIMEOUT_MS=5]
"""
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")
import grpc  # noqa: E402
from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from docarray.proto import DocListProto  # noqa: E402
from jina.proto import jina_pb2  # noqa: E402

METHOD = "/jina.JinaSingleDataRequestRPC/process_single_data"

HERE = os.path.dirname(os.path.abspath(__file__))
binary, executor = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 8
preferred = int(sys.argv[4]) if len(sys.argv) > 4 else 8
timeout_ms = int(sys.argv[5]) if len(sys.argv) > 5 else 5
jina_cli = os.path.join(os.path.dirname(sys.executable), "jina")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flow_yaml(side, batching, port):
    if side == "ours":
        uses = f"    uses: {executor}\n"
    else:
        uses = f"    uses: BatchFriendly\n    py_modules: [{HERE}/executor.py]\n"
    text = f"jtype: Flow\nwith:\n  port: {port}\nexecutors:\n  - name: work\n{uses}"
    if batching:
        text += f"    uses_dynamic_batching: {{/work: {{preferred_batch_size: {preferred}, timeout: {timeout_ms}}}}}\n"
    return text


def request():
    req = jina_pb2.DataRequestProto()
    req.header.request_id = "0123456789abcdef0123456789abcdef"
    req.header.exec_endpoint = "/work"
    req.data.docs.CopyFrom(DocList[TextDoc]([TextDoc(text="x")]).to_protobuf())
    return req


def stub(channel):
    """process_single_data with plain protobuf messages (no Jina request wrapper)."""
    return channel.unary_unary(METHOD, request_serializer=lambda message: message.SerializeToString(),
                               response_deserializer=jina_pb2.DataRequestProto.FromString)


def handler_report(reply):
    """(handler ms, batch size) as the executor wrote them into the first document's text."""
    docs = reply.data.docs
    if reply.data.WhichOneof("documents") == "docs_bytes":
        docs = DocListProto.FromString(reply.data.docs_bytes)
    milliseconds, size = docs.docs[0].data["text"].text.split(";")
    return float(milliseconds), int(size)


async def ready(port, deadline):
    while time.monotonic() < deadline:
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
                reply = await stub(channel)(request(), timeout=5)
                if reply.header.status.code == 0:
                    return
        except grpc.aio.AioRpcError:
            pass
        await asyncio.sleep(0.5)
    raise SystemExit(f"the Flow on port {port} did not answer")


async def load(port, concurrency, duration):
    message = request()
    latencies, outside, sizes = [], [], []
    errors = 0
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        call = stub(channel)
        stop = time.monotonic() + duration

        async def worker():
            nonlocal errors
            while time.monotonic() < stop:
                started = time.perf_counter()
                reply = await call(message)
                elapsed = (time.perf_counter() - started) * 1000
                if reply.header.status.code != 0:
                    errors += 1
                    continue
                latencies.append(elapsed)
                handler, size = handler_report(reply)
                outside.append(elapsed - handler)
                sizes.append(size)

        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        took = time.monotonic() - began
    latencies.sort()
    outside.sort()

    def pct(values, q):
        return values[min(len(values) - 1, int(len(values) * q))] if values else float("nan")

    mean_batch = sum(sizes) / len(sizes) if sizes else float("nan")  # as a request sees it
    return len(latencies) / took, pct(latencies, 0.5), pct(latencies, 0.99), pct(outside, 0.5), mean_batch, errors


def run(side, batching):
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "flow.yml")
        with open(path, "w") as handle:
            handle.write(flow_yaml(side, batching, port))
        command = [binary, "flow", "--uses", path] if side == "ours" else [jina_cli, "flow", "--uses", path]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
                                start_new_session=True)
        try:
            asyncio.run(ready(port, time.monotonic() + 120))
            rows = []
            for concurrency in (1, 8, 32):
                asyncio.run(load(port, concurrency, 1))  # warm-up
                rps, p50, p99, out, batch, errors = asyncio.run(load(port, concurrency, seconds))
                rows.append((side, "on" if batching else "off", concurrency, rps, p50, p99, out, batch, errors))
                print(f"RUN {side:5} batching={'on ' if batching else 'off'} c={concurrency:<3} {rps:8.1f} req/s  "
                      f"p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  outside-handler p50 {out:6.2f} ms  batch {batch:4.1f}  errors {errors}",
                      flush=True)
            return rows
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


rows = []
for side in ("ours", "jina"):
    for batching in (False, True):
        rows += run(side, batching)

print("\n| side | batching | concurrency | req/s | p50 ms | p99 ms | outside handler p50 ms | batch a request was in (mean) |")
print("|---|---|---|---|---|---|---|---|")
for side, batching, c, rps, p50, p99, out, batch, _ in rows:
    print(f"| {side} | {batching} | {c} | {rps:.1f} | {p50:.2f} | {p99:.2f} | {out:.2f} | {batch:.1f} |")
table = {(r[0], r[1], r[2]): r for r in rows}
for side in ("ours", "jina"):
    print(f"{side}: batching speed-up at c32 = {table[(side, 'on', 32)][3] / table[(side, 'off', 32)][3]:.2f}x")
print(f"with batching at c32: ours/jina req/s = {table[('ours', 'on', 32)][3] / table[('jina', 'on', 32)][3]:.2f}x; "
      f"outside-handler time ours/jina = {table[('ours', 'on', 32)][6] / table[('jina', 'on', 32)][6]:.2f} (c32), "
      f"{table[('ours', 'on', 1)][6] / table[('jina', 'on', 1)][6]:.2f} (c1)")
