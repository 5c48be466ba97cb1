"""Chaos (#17 item 1): one of two replicas frozen with SIGSTOP under load, with the real Jina
client counting in-band errors. With `timeout_send`, the requests the frozen replica holds time
out and are retried on the other replica, the frozen one leaves the rotation, and no request
fails; after SIGCONT it is back in rotation.
"""
import os
import signal
import subprocess
import time

from test_flow_e2e import cmdline, descendants, flows, free_port, marker_bin, marker_flow, write_flow  # noqa: F401 (fixtures)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents.legacy import LegacyDocument  # noqa: E402
from jina import Client  # noqa: E402


def replica_pid(flow, replica: int) -> int:
    found = [pid for pid in descendants(flow.proc.pid)
             if "--replica-id" in cmdline(pid) and cmdline(pid)[cmdline(pid).index("--replica-id") + 1] == str(replica)]
    assert len(found) == 1, found
    return found[0]


def test_a_frozen_replica_loses_no_request_and_comes_back(flows, tmp_path, marker_bin):
    port = free_port()
    flow = flows(write_flow(tmp_path, f"""jtype: Flow
with:
  port: {port}
executors:
  - name: marker
    uses: {marker_bin}
    replicas: 2
    timeout_send: 1000
"""))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    frozen = replica_pid(flow, 1)
    errors = []
    os.kill(frozen, signal.SIGSTOP)
    try:
        started = time.monotonic()
        docs = client.post("/", DocList[LegacyDocument]([LegacyDocument(text=str(i)) for i in range(400)]),
                           request_size=1, continue_on_error=True, on_error=errors.append,
                           return_type=DocList[LegacyDocument])
        elapsed = time.monotonic() - started
    finally:
        os.kill(frozen, signal.SIGCONT)
    assert not errors, errors[0].header.status.description
    assert sorted(int(doc.text.split("|")[0]) for doc in docs) == list(range(400))
    assert all(doc.tags.get("shard0") == "replica0" for doc in docs)
    # Only the requests in flight when the replica froze waited for timeout_send.
    assert elapsed < 30
    # Back in rotation once its pause (at most 8 s) is over and a request finds it answering:
    # requests keep flowing (each batch is the next probe), none of them fails.
    deadline = time.monotonic() + 30
    while True:
        batch = client.post("/", DocList[LegacyDocument]([LegacyDocument(text="b") for _ in range(8)]),
                            request_size=1, continue_on_error=True, on_error=errors.append,
                            return_type=DocList[LegacyDocument])
        assert not errors and len(batch) == 8
        if any(doc.tags.get("shard0") == "replica1" for doc in batch):
            break
        assert time.monotonic() < deadline, "the thawed replica never came back into rotation"
    assert flow.stop() == 0


def test_an_executor_that_keeps_crashing_at_start_up_is_retried_with_capped_backoff(flows, tmp_path, marker_bin):
    """Chaos (#17 item 2): a replica that dies and then fails every start (its model store is
    gone, say). `jina flow` keeps restarting it with a doubling delay capped at 5 s, names the
    reason and the executor's last words each time, costs next to no CPU meanwhile, answers
    requests with a clear error instead of hanging, and has it back once it can start."""
    broken = tmp_path / "broken"
    program = tmp_path / "flaky-executor"
    program.write_text(f'#!/bin/sh\nif [ -e "{broken}" ]; then echo "cannot open the model store" >&2; exit 3; fi\n'
                       f'exec "{marker_bin}" "$@"\n')
    program.chmod(0o755)
    port = free_port()
    flow = flows(write_flow(tmp_path, f"jtype: Flow\nwith:\n  port: {port}\nexecutors:\n  - name: flaky\n    uses: {program}\n"))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    assert len(client.post("/", DocList[LegacyDocument]([LegacyDocument(text="a")]))) == 1
    broken.touch()
    os.kill(flow.children()[0], signal.SIGKILL)
    flow.wait_for(r"executor flaky was killed by SIGKILL; restarting it in 100 ms")
    cpu_before = process_cpu_seconds(flow.proc.pid)
    # 100 ms, 200, 400, 800 ms, 1.6 s, 3.2 s, then the cap: 5 s, 5 s …
    failures = flow.wait_for(r"executor flaky exited with status 3; restarting it in", count=8, timeout=60)
    delays = [line.rsplit("restarting it in ", 1)[1].split(";")[0] for line in failures]
    assert delays == ["200 ms", "400 ms", "800 ms", "1.6 s", "3.2 s", "5.0 s", "5.0 s", "5.0 s"], delays
    assert "cannot open the model store" in flow.text("stderr")
    # Restarting for ~16 s: a handful of short-lived processes, no spinning in `jina flow`.
    assert process_cpu_seconds(flow.proc.pid) - cpu_before < 1.5
    started = time.monotonic()
    errors = []
    client.post("/", DocList[LegacyDocument]([LegacyDocument(text="b")]), on_error=errors.append)
    assert len(errors) == 1 and time.monotonic() - started < 15
    assert "flaky" in str(errors[0].header.status)
    broken.unlink()
    flow.wait_for(r"executor flaky is back \(restart \d+", timeout=30)
    # The gateway connects to it again with its own back-off (at most 250 ms between attempts on
    # a Unix socket), so the first request after the restart may still find it unreachable;
    # requests succeed again soon after (15 s allows for a loaded CI machine).
    deadline = time.monotonic() + 15
    while True:
        errors = []
        docs = client.post("/", DocList[LegacyDocument]([LegacyDocument(text="c")]), on_error=errors.append)
        if not errors:
            assert len(docs) == 1
            break
        assert time.monotonic() < deadline, f"still unreachable 15 s after its restart: {errors[0].header.status}"
    assert flow.stop() == 0


def process_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_full_workspace_fails_the_writes_loses_nothing_and_recovers(flows, tmp_path):
    """Chaos (#17 item 2): a VectorIndex whose workspace (a 64 KiB tmpfs) fills up. A write that
    does not fit fails with the reason and is not half-applied; what was acknowledged stays
    searchable, a snapshot that cannot be written leaves the index as it was, writes work
    again once there is room, and a restart finds exactly what was acknowledged."""
    from test_vector_index import Product, index_flow, products, search

    port = free_port()
    path = index_flow(tmp_path, port)
    workspace = tmp_path / "ws-flow.yml"
    workspace.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(workspace)], check=True)
    try:
        filler = workspace / "filler"
        filler.write_bytes(b"\0" * 24576)
        flow = flows(path)
        flow.wait_ready()
        client = Client(host=f"grpc://127.0.0.1:{port}")
        catalogue = products(2000)
        acknowledged, errors = 0, []
        while acknowledged < len(catalogue):
            client.post("/index", catalogue[acknowledged:acknowledged + 10], on_error=errors.append)
            if errors:
                break
            acknowledged += 10
        assert errors, "the 64 KiB workspace never filled up"
        assert "No space left on device" in errors[0].header.status.description, errors[0].header.status
        assert 50 <= acknowledged < 2000
        count = client.post("/count", DocList[Product](), return_responses=True)[0].parameters["__results__"]
        assert count == {"catalogue/rep-0": float(acknowledged)}
        assert search(client, [catalogue[acknowledged - 1].embedding])[0].matches[0].id == f"p{acknowledged - 1}"
        snapshot_errors = []
        client.post("/snapshot", DocList[Product](), on_error=snapshot_errors.append)
        assert snapshot_errors and "snapshot" in snapshot_errors[0].header.status.description
        count = client.post("/count", DocList[Product](), return_responses=True)[0].parameters["__results__"]
        assert count == {"catalogue/rep-0": float(acknowledged)}
        # Room again: the failed batch goes in now.
        filler.unlink()
        client.post("/index", catalogue[acknowledged:acknowledged + 10])
        acknowledged += 10
        victim = next(pid for pid in flow.children() if "VectorIndex" in cmdline(pid))
        os.kill(victim, signal.SIGKILL)
        flow.wait_for(r"executor catalogue is back \(restart 1")
        count = client.post("/count", DocList[Product](), return_responses=True)[0].parameters["__results__"]
        assert count == {"catalogue/rep-0": float(acknowledged)}
        assert search(client, [catalogue[acknowledged - 1].embedding])[0].matches[0].id == f"p{acknowledged - 1}"
        assert flow.stop() == 0
    finally:
        subprocess.run(["umount", "-l", str(workspace)], check=False)


def gateway_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def settle(measure, limit, timeout=15.0):
    """Waits (bounded) until `measure()` is at most `limit`; connections close asynchronously."""
    deadline = time.monotonic() + timeout
    while (value := measure()) > limit and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def data_request(endpoint: str, request_id: str, **parameters):
    from jina.proto.docarray_v2.pb2 import jina_pb2
    request = jina_pb2.DataRequestProto()
    request.header.request_id = request_id
    request.header.exec_endpoint = endpoint
    request.parameters.update(parameters)
    return request


def test_clients_that_hang_up_mid_request_leak_nothing(flows, tmp_path, marker_bin):
    """Chaos (#17 item 2): clients open `Call` streams to a slow executor and hang up while their
    requests are being worked on. The gateway (inside `jina flow`) ends up with the sockets and
    memory it had before, and answers the next client at once."""
    import grpc
    from jina.proto.docarray_v2.pb2 import jina_pb2

    port = free_port()
    flow = flows(marker_flow(tmp_path, marker_bin, port))
    flow.wait_ready()
    gateway = flow.proc.pid
    client = Client(host=f"grpc://127.0.0.1:{port}")
    for _ in range(3):  # warm up: the hop's connection, pools, caches
        client.post("/", DocList[LegacyDocument]([LegacyDocument(text="w") for _ in range(20)]), request_size=1)
    fds, rss = gateway_fds(gateway), rss_mb(gateway)
    started = 0
    for round_ in range(6):
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        call = channel.stream_stream("/jina.JinaRPC/Call", request_serializer=lambda m: m.SerializeToString(),
                                     response_deserializer=jina_pb2.DataRequestProto.FromString)
        replies = call(iter([data_request("/slow", f"gone-{round_}-{i}", ms=3000) for i in range(20)]))
        started += 20
        flow.wait_for(r"slow request started", count=started, timeout=30)
        replies.cancel()
        channel.close()
    # Every abandoned request is answered by the executor (3 s) and dropped by the gateway.
    assert settle(lambda: gateway_fds(gateway), fds + 2) <= fds + 2, f"sockets left open: {fds} before"
    assert rss_mb(gateway) - rss < 30, f"the gateway grew from {rss:.0f} MB to {rss_mb(gateway):.0f} MB"
    begun = time.monotonic()
    assert len(client.post("/", DocList[LegacyDocument]([LegacyDocument(text="x")]))) == 1
    assert time.monotonic() - begun < 5
    assert flow.stop() == 0


def test_ten_thousand_concurrent_client_streams(flows, tmp_path, marker_bin):
    """Chaos (#17 item 2): 10,000 `Call` streams opened at once (100 connections × 100 streams),
    each with one request that holds the executor for 100 ms. An executor replica takes 64
    requests at a time from the gateway (`maxInFlightPerStream`), so thousands of streams wait
    in the gateway together. Every one is answered, the gateway's memory stays bounded, and
    nothing is left open. (About 50 s with the debug build: ~4 ms of gateway CPU a request.)"""
    import asyncio
    import grpc
    from jina.proto.docarray_v2.pb2 import jina_pb2

    port = free_port()
    flow = flows(marker_flow(tmp_path, marker_bin, port))
    flow.wait_ready()
    gateway = flow.proc.pid
    client = Client(host=f"grpc://127.0.0.1:{port}")
    client.post("/", DocList[LegacyDocument]([LegacyDocument(text="w") for _ in range(20)]), request_size=1)
    fds, rss = gateway_fds(gateway), rss_mb(gateway)
    peak = rss

    async def storm():
        nonlocal peak
        channels = [grpc.aio.insecure_channel(f"127.0.0.1:{port}") for _ in range(100)]

        async def one(index):
            call = channels[index % 100].stream_stream(
                "/jina.JinaRPC/Call", request_serializer=lambda m: m.SerializeToString(),
                response_deserializer=jina_pb2.DataRequestProto.FromString)(
                iter([data_request("/slow", f"storm-{index}", ms=100)]))
            return [reply async for reply in call]

        async def watch():
            nonlocal peak
            while True:
                peak = max(peak, rss_mb(gateway))
                await asyncio.sleep(0.2)

        watcher = asyncio.ensure_future(watch())
        try:
            return await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(10_000)), return_exceptions=True), 240)
        finally:
            watcher.cancel()
            for channel in channels:
                await channel.close()

    begun = time.monotonic()
    results = asyncio.run(storm())
    elapsed = time.monotonic() - begun
    failures = [result for result in results if isinstance(result, BaseException)]
    assert not failures, f"{len(failures)} of 10,000 failed; first: {failures[0]!r}"
    bad = [replies for replies in results if len(replies) != 1 or replies[0].header.status.code != 0]
    assert not bad, bad[0]
    print(f"10,000 streams answered in {elapsed:.1f} s; gateway RSS {rss:.0f} MB before, peak {peak:.0f} MB")
    assert peak - rss < 400, f"the gateway grew from {rss:.0f} MB to {peak:.0f} MB"
    assert settle(lambda: gateway_fds(gateway), fds + 2) <= fds + 2
    assert len(client.post("/", DocList[LegacyDocument]([LegacyDocument(text="x")]))) == 1
    assert flow.stop() == 0


def test_a_stream_whose_replies_are_never_read_is_held_back(flows, tmp_path, marker_bin):
    """#17 item 4: a client sends 40,000 requests on one `Call` stream and reads no reply. The
    gateway stops taking requests from the stream once its replies cannot be written (HTTP/2
    flow control), so the client is held back with a window's worth outstanding instead of the
    gateway queueing 40,000 replies; other clients are served meanwhile, and every reply
    arrives once the client reads. (Without the hold-back the debug build would take them all
    at about 1,500 a second, and hold their replies.) The memory bound is loose: glibc keeps
    what a burst allocated (one more warm-up round of 2,000 requests alone adds up to 40 MB)."""
    import threading
    import grpc
    from jina.proto.docarray_v2.pb2 import jina_pb2

    port = free_port()
    flow = flows(marker_flow(tmp_path, marker_bin, port))
    flow.wait_ready()
    gateway = flow.proc.pid
    client = Client(host=f"grpc://127.0.0.1:{port}")
    client.post("/", DocList[LegacyDocument]([LegacyDocument(text="w" * 200) for _ in range(2000)]), request_size=1)
    rss = rss_mb(gateway)
    sent_all = threading.Event()
    yielded = 0

    def requests(count):
        nonlocal yielded
        for index in range(count):
            request = data_request("/", f"unread-{index}")
            request.data.docs.docs.add().data["text"].text = "x" * 200
            yielded += 1
            yield request
        sent_all.set()

    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    replies = channel.stream_stream("/jina.JinaRPC/Call", request_serializer=lambda m: m.SerializeToString(),
                                    response_deserializer=jina_pb2.DataRequestProto.FromString)(requests(40_000))
    assert not sent_all.wait(timeout=25), "the gateway took all 40,000 requests of a stream whose replies nobody reads"
    assert len(client.post("/", DocList[LegacyDocument]([LegacyDocument(text="a") for _ in range(20)]), request_size=1)) == 20
    grown = rss_mb(gateway) - rss
    print(f"a stream nobody reads: the client was held back after {yielded} requests; the gateway grew {grown:.1f} MB")
    assert grown < 150, f"the gateway grew {grown:.0f} MB for a stream nobody reads"
    assert sum(1 for _ in replies) == 40_000
    channel.close()
    assert flow.stop() == 0
