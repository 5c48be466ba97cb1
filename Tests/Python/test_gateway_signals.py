"""`jina gateway` with monitoring: a second SIGTERM while the first one drains exits at once."""
import signal
import subprocess
import threading
import time
from concurrent import futures

import grpc


_arrived = threading.Event()  # set once the hanging executor holds a request


def _hang(request, context):
    """An executor that never answers: keeps a request in flight for the whole drain."""
    _arrived.set()
    time.sleep(60)
    return b""


def _hang_stream(requests, context):
    for _ in requests:
        _arrived.set()
        time.sleep(60)
    yield b""


def _slow_executor():
    _arrived.clear()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    identity = lambda data: data  # noqa: E731 - raw bytes in and out
    handlers = {
        "jina.JinaSingleDataRequestRPC": {"process_single_data": grpc.unary_unary_rpc_method_handler(
            _hang, request_deserializer=identity, response_serializer=identity)},
        "jina.JinaRPC": {"Call": grpc.stream_stream_rpc_method_handler(
            _hang_stream, request_deserializer=identity, response_serializer=identity)},
    }
    for service, methods in handlers.items():
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service, methods),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def test_second_signal_during_drain_exits_at_once(jina_bin, tmp_path):
    server, executor_port = _slow_executor()
    flow = tmp_path / "flow.yml"
    flow.write_text("jtype: Flow\ngateway:\n  protocol: [http]\nexecutors:\n  - name: slow\n    uses: Identity\n")
    gateway = subprocess.Popen(
        [jina_bin, "gateway", "--uses", str(flow), "--executor", f"slow=grpc://127.0.0.1:{executor_port}",
         "--host", "127.0.0.1", "--port", "0", "--monitoring", "--port-monitoring", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = gateway.stdout.readline().split()[1]
        request = threading.Thread(target=subprocess.run, daemon=True, kwargs={
            "args": ["curl", "-s", "-m", "60", "-X", "POST", "-H", "Content-Type: application/json",
                     "-d", '{"data": [{"text": "x"}]}', url + "/default"],
            "capture_output": True})
        request.start()
        assert _arrived.wait(timeout=30), "the request never reached the executor"
        gateway.send_signal(signal.SIGTERM)
        for line in gateway.stderr:  # the drain waits up to 10 s for the request in flight
            if "draining" in line:
                break
        assert gateway.poll() is None, "the gateway should still be draining"
        gateway.send_signal(signal.SIGTERM)
        assert gateway.wait(timeout=5) == 1
    finally:
        if gateway.poll() is None:
            gateway.kill()
            gateway.wait(timeout=10)
        server.stop(0)


def test_a_drain_that_outlasts_its_limit_cancels_what_is_left(jina_bin, tmp_path):
    """One SIGTERM while an executor holds a request: the gateway drains for 10 s (its drain
    limit), then cancels what is left and exits 0; the client is not left waiting (an error
    reply, or the connection closed), and nothing is left running."""
    server, executor_port = _slow_executor()
    flow = tmp_path / "flow.yml"
    flow.write_text("jtype: Flow\ngateway:\n  protocol: [http]\nexecutors:\n  - name: slow\n    uses: Identity\n")
    gateway = subprocess.Popen(
        [jina_bin, "gateway", "--uses", str(flow), "--executor", f"slow=grpc://127.0.0.1:{executor_port}",
         "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = gateway.stdout.readline().split()[1]
        with futures.ThreadPoolExecutor(1) as pool:
            reply = pool.submit(subprocess.run, ["curl", "-s", "-m", "60", "-w", "\n%{http_code}", "-X", "POST",
                                                 "-H", "Content-Type: application/json",
                                                 "-d", '{"data": [{"text": "x"}]}', url + "/default"],
                                capture_output=True, text=True)
            assert _arrived.wait(timeout=30), "the request never reached the executor"
            started = time.monotonic()
            gateway.send_signal(signal.SIGTERM)
            assert gateway.wait(timeout=30) == 0
            took = time.monotonic() - started
            status = reply.result(timeout=5).stdout.rsplit("\n", 1)[-1]
        stderr = gateway.stderr.read()
        assert "the drain did not finish within 10000ms: cancelling what is left" in stderr, stderr
        assert 9.5 < took < 20, took
        assert status != "200", status
    finally:
        if gateway.poll() is None:
            gateway.kill()
            gateway.wait(timeout=10)
        server.stop(0)
