"""`jina flow` end to end: the built binary runs real Flows, and the real Python Jina 3.34 client
talks to its gateway (interop). Also a Python Jina executor, started with Python Jina's own
`jina executor`, joins one of our Flows as `external`.

Nothing here sleeps to wait: every wait is on an event (a line the Flow prints, a process
ending, a response) with a bounded deadline. Ports come from the OS.
"""
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from conftest import REPO, free_port  # noqa: F401 (re-exported to the other suites)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from docarray.documents.legacy import LegacyDocument  # noqa: E402
from jina import Client  # noqa: E402

READY_TIMEOUT = 60
STOP_TIMEOUT = 30


# ---------------------------------------------------------------------------------------------
# helpers


@pytest.fixture(scope="session")
def marker_bin(jina_bin) -> str:
    path = pathlib.Path(jina_bin).parent / "marker-executor"
    assert os.access(path, os.X_OK), f"build the marker-executor example first: {path}"
    return str(path)


class RunningFlow:
    """`jina flow --uses FILE` in the background; its stdout and stderr lines are collected by two
    reader threads, and `wait_for` blocks on a condition until a matching line arrives."""

    def __init__(self, jina_bin: str, flow: pathlib.Path, env: dict | None = None, subcommand: str = "flow",
                 args: tuple = ()):
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.started = time.monotonic()
        self.proc = subprocess.Popen([jina_bin, subcommand, "--uses", str(flow), *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=full_env, cwd=REPO)
        self.lines = {"stdout": [], "stderr": []}
        self.changed = threading.Condition()
        self.readers = [threading.Thread(target=self._read, args=(name,), daemon=True) for name in self.lines]
        for reader in self.readers:
            reader.start()

    def _read(self, name):
        stream = getattr(self.proc, name)
        for line in stream:
            with self.changed:
                self.lines[name].append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.lines[name].append(None)  # end of stream
            self.changed.notify_all()

    def wait_for(self, pattern: str, stream: str = "stderr", timeout: float = READY_TIMEOUT, count: int = 1) -> list:
        """The first `count` lines of `stream` matching `pattern` (a regex), waiting up to `timeout`."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [line for line in self.lines[stream] if line is not None and regex.search(line)]
                if len(found) >= count:
                    return found[:count]
                ended = None in self.lines[stream]
                remaining = deadline - time.monotonic()
                if ended or remaining <= 0:
                    raise AssertionError(
                        f"no {count} line(s) matching {pattern!r} on {stream} "
                        f"({'stream ended' if ended else 'timed out'});\nstdout: {self.text('stdout')}\n"
                        f"stderr: {self.text('stderr')}")
                self.changed.wait(remaining)

    def wait_ready(self) -> dict:
        """{protocol: url} from the banner's `ready …` lines."""
        self.wait_for(r"^ready grpc://", stream="stdout")
        self.ready_after = time.monotonic() - self.started
        urls = [line[len("ready "):] for line in self.lines["stdout"] if line and line.startswith("ready ")]
        return {url.split("://")[0]: url for url in urls}

    def grpc_port(self) -> int:
        return int(self.wait_ready()["grpc"].rsplit(":", 1)[1])

    def text(self, stream: str) -> str:
        with self.changed:
            return "\n".join(line for line in self.lines[stream] if line is not None)

    def stop(self, sig=signal.SIGINT, timeout: float = STOP_TIMEOUT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Say what the Flow was doing (its processes and its last lines) before failing.
            tree = []
            for pid in descendants(self.proc.pid):
                try:
                    tree.append(f"  {pid}: {' '.join(cmdline(pid))[:160]}")
                except OSError:
                    pass
            tree = "\n".join(tree)
            raise AssertionError(
                f"`jina flow` did not stop within {timeout} s of signal {sig}; processes left:\n{tree}\n"
                f"last stderr:\n" + "\n".join(self.text("stderr").splitlines()[-40:])) from None
        for reader in self.readers:
            reader.join(timeout=timeout)
        return code

    def children(self) -> list[int]:
        """Direct children of `jina flow` (the executor processes)."""
        return children_of(self.proc.pid)

    def run_directory(self) -> str:
        for pid in self.children():
            args = cmdline(pid)
            if "--socket" in args:
                return os.path.dirname(args[args.index("--socket") + 1])
        raise AssertionError("no executor process with --socket found")

    def kill_all(self):
        """Test cleanup: nothing may survive a failed test."""
        pids = descendants(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def children_of(pid: int) -> list[int]:
    result = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                result += [int(child) for child in handle.read().split()]
    except FileNotFoundError:
        pass
    return sorted(set(result))


def descendants(pid: int) -> list[int]:
    found = []
    for child in children_of(pid):
        found.append(child)
        found += descendants(child)
    return found


def cmdline(pid: int) -> list[str]:
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        return [part.decode() for part in handle.read().split(b"\0") if part]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pids, timeout=STOP_TIMEOUT):
    """Waits (bounded) for processes that are not our children to disappear: pidfd_open + poll
    is an event, not a sleep loop."""
    import select
    deadline = time.monotonic() + timeout
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            remaining = max(0.0, deadline - time.monotonic())
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            poller.poll(remaining * 1000)
        finally:
            os.close(fd)
    return [pid for pid in pids if alive(pid)]


def write_flow(tmp_path: pathlib.Path, text: str, name: str = "flow.yml") -> pathlib.Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def example_with_port(tmp_path, example: str, port: int) -> pathlib.Path:
    """A copy of flows/EXAMPLE with its fixed port replaced by `port`."""
    text = (REPO / "flows" / example).read_text()
    text, replaced = re.subn(r"port: \d+", f"port: {port}", text, count=1)
    assert replaced == 1
    return write_flow(tmp_path, text, example)


@pytest.fixture
def flows(jina_bin):
    started = []

    def start(path, env=None, subcommand="flow") -> RunningFlow:
        flow = RunningFlow(jina_bin, path, env, subcommand)
        started.append(flow)
        return flow

    yield start
    for flow in started:
        flow.kill_all()


def texts(docs) -> list:
    return [doc.text for doc in docs]


# ---------------------------------------------------------------------------------------------
# the hello world, a DAG, replicas, shards — with the real Python Jina client


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "unary"])
def test_hello_world_with_the_python_client(flows, tmp_path, stream):
    flow = flows(example_with_port(tmp_path, "hello.yml", free_port()))
    port = flow.grpc_port()
    assert flow.text("stdout").startswith("Flow is ready to serve!")
    print(f"hello.yml ready after {flow.ready_after:.3f} s")
    client = Client(host=f"grpc://127.0.0.1:{port}")
    docs = client.post("/", DocList[TextDoc]([TextDoc(), TextDoc()]), return_type=DocList[TextDoc], stream=stream)
    assert texts(docs) == ["hello, world!hello, world!", "hello, world!hello, world!"]
    run_directory = flow.run_directory()
    children = flow.children()
    assert len(children) == 2
    for child in children:
        assert os.getpgid(child) == child, "each executor leads its own process group"
        assert cmdline(child)[1:3] == ["executor", "--uses"]
        assert os.readlink(f"/proc/{child}/fd/0").startswith("pipe:"), "stdin is the lifeline pipe"
        with open(f"/proc/{child}/environ", "rb") as handle:
            assert b"JINA_LIFELINE=stdin" in handle.read().split(b"\0")
    assert oct(os.stat(run_directory).st_mode & 0o777) == "0o700"
    assert flow.stop(signal.SIGINT) == 0
    assert wait_gone(children) == []
    assert not os.path.exists(run_directory)


def test_dag_merges_branches_with_the_python_client(flows, tmp_path):
    flow = flows(example_with_port(tmp_path, "dag.yml", free_port()))
    client = Client(host=f"grpc://127.0.0.1:{flow.grpc_port()}")
    docs = client.post("/", DocList[TextDoc]([TextDoc(text="x"), TextDoc(text="y")]), return_type=DocList[TextDoc])
    # Both branches ran; at the merge the later branch in `needs` ([left, right]) wins the text.
    assert texts(docs) == ["x|S|R|M", "y|S|R|M"]
    assert len(flow.children()) == 4
    assert flow.stop() == 0


def marker_flow(tmp_path, marker_bin, port, **entry) -> pathlib.Path:
    lines = [f"  - name: marker", f"    uses: {marker_bin}"]
    for key, value in entry.items():
        lines.append(f"    {key}: {value}")
    return write_flow(tmp_path, "jtype: Flow\nwith:\n  port: %d\nexecutors:\n%s\n" % (port, "\n".join(lines)))


def test_replicas_are_both_used(flows, tmp_path, marker_bin):
    flow = flows(marker_flow(tmp_path, marker_bin, free_port(), replicas=2))
    client = Client(host=f"grpc://127.0.0.1:{flow.grpc_port()}")
    docs = client.post("/", DocList[TextDoc]([TextDoc(text="") for _ in range(20)]), request_size=1,
                       return_type=DocList[TextDoc])
    marks = {doc.text for doc in docs}
    assert marks == {"|s0r0", "|s0r1"}, marks
    assert flow.stop() == 0


def test_shards_any_and_all(flows, tmp_path, marker_bin):
    flow = flows(marker_flow(tmp_path, marker_bin, free_port(), shards=2, polling="{/search: ALL, '*': ANY}"))
    client = Client(host=f"grpc://127.0.0.1:{flow.grpc_port()}")
    every = client.post("/search", DocList[LegacyDocument]([LegacyDocument(text="q")]),
                        return_type=DocList[LegacyDocument])
    assert set(every[0].tags) == {"shard0", "shard1"}, every[0].tags  # results from every shard
    one = client.post("/index", DocList[LegacyDocument]([LegacyDocument(text="d") for _ in range(8)]), request_size=1,
                      return_type=DocList[LegacyDocument])
    for doc in one:
        assert len(doc.tags) == 1 and doc.text in ("d|s0r0", "d|s1r0"), (doc.tags, doc.text)
    assert flow.stop() == 0


def test_executor_failure_is_reported_in_the_error_header(flows, tmp_path, marker_bin):
    flow = flows(marker_flow(tmp_path, marker_bin, free_port()))
    client = Client(host=f"grpc://127.0.0.1:{flow.grpc_port()}")
    failures = []
    client.post("/fail", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc],
                on_error=lambda response: failures.append(response), return_responses=True)
    assert len(failures) == 1
    header = failures[0].header
    assert header.status.code == header.status.ERROR
    assert "was asked to fail" in str(header.status)
    assert "marker" in str(header.status) + str(failures[0].routes)
    assert flow.stop() == 0


# ---------------------------------------------------------------------------------------------
# supervision and shutdown


def test_killed_replica_loses_no_request_and_comes_back(flows, tmp_path, marker_bin):
    flow = flows(marker_flow(tmp_path, marker_bin, free_port(), replicas=2))
    client = Client(host=f"grpc://127.0.0.1:{flow.grpc_port()}")
    victim = next(pid for pid in flow.children() if "--replica-id" in cmdline(pid)
                  and cmdline(pid)[cmdline(pid).index("--replica-id") + 1] == "1")
    received = []

    def on_done(response):
        received.append(response)
        if len(received) == 50:
            os.kill(victim, signal.SIGKILL)

    errors = []
    client.post("/", DocList[TextDoc]([TextDoc(text="") for _ in range(300)]), request_size=1,
                on_done=on_done, on_error=errors.append, return_responses=True)
    assert errors == []
    assert len(received) == 300
    flow.wait_for(r"marker replica 1 was killed by SIGKILL; restarting it in")
    flow.wait_for(r"executor marker replica 1 is back \(restart 1")
    replacement = [pid for pid in flow.children() if pid != victim]
    assert len(replacement) == 2 and victim not in replacement
    assert flow.stop() == 0


def test_concurrent_requests_run_concurrently(flows, tmp_path, marker_bin):
    """Requests from separate client streams are in the executors at the same time: four
    requests that each hold an executor for 5 s all start well before one of them could end."""
    import grpc
    from jina.proto.docarray_v2.pb2 import jina_pb2

    flow = flows(marker_flow(tmp_path, marker_bin, free_port(), replicas=2))
    target = f"127.0.0.1:{flow.grpc_port()}"

    def send(index):
        request = jina_pb2.DataRequestProto()
        request.header.request_id = f"concurrent-{index}"
        request.header.exec_endpoint = "/slow"
        request.parameters.update({"ms": 5000})
        with grpc.insecure_channel(target) as channel:
            call = channel.stream_stream("/jina.JinaRPC/Call", request_serializer=lambda m: m.SerializeToString(),
                                         response_deserializer=jina_pb2.DataRequestProto.FromString)
            list(call(iter([request])))

    senders = [threading.Thread(target=send, args=(index,), daemon=True) for index in range(4)]
    for sender in senders:
        sender.start()
    flow.wait_for(r"slow request started", count=4, timeout=4)
    for sender in senders:
        sender.join(timeout=STOP_TIMEOUT)
    assert flow.stop() == 0


def test_sigterm_during_load_answers_every_accepted_request(flows, tmp_path, marker_bin):
    flow = flows(marker_flow(tmp_path, marker_bin, free_port(), replicas=2))
    port = flow.grpc_port()
    run_directory = flow.run_directory()
    children = flow.children()
    results, errors = [], []

    def send(index):
        try:
            client = Client(host=f"grpc://127.0.0.1:{port}")
            docs = client.post("/slow", DocList[TextDoc]([TextDoc(text=str(index))]), parameters={"ms": 500},
                               return_type=DocList[TextDoc])
            results.append(docs[0].text)
        except Exception as error:  # noqa: BLE001 — recorded and asserted below
            errors.append(error)

    senders = [threading.Thread(target=send, args=(index,)) for index in range(6)]
    for sender in senders:
        sender.start()
    flow.wait_for(r"slow request started", count=6)  # every request is inside an executor
    assert flow.stop(signal.SIGTERM) == 0
    for sender in senders:
        sender.join(timeout=STOP_TIMEOUT)
    assert errors == []
    assert all(re.fullmatch(r"\d+\|s0r[01]", text) for text in results), results
    assert sorted(int(text.split("|")[0]) for text in results) == list(range(6))
    assert len(results) == 6
    assert wait_gone(children) == []
    assert not os.path.exists(run_directory)


def test_second_interrupt_stops_at_once(flows, tmp_path, marker_bin):
    flow = flows(marker_flow(tmp_path, marker_bin, free_port()))
    port = flow.grpc_port()
    children = flow.children()
    sender = threading.Thread(target=lambda: _quietly(lambda: Client(host=f"grpc://127.0.0.1:{port}").post(
        "/slow", DocList[TextDoc]([TextDoc()]), parameters={"ms": 60000})), daemon=True)
    sender.start()
    flow.wait_for(r"slow request started")
    flow.proc.send_signal(signal.SIGINT)
    flow.wait_for(r"SIGINT received: the gateway drains")
    started = time.monotonic()
    flow.proc.send_signal(signal.SIGINT)
    assert flow.proc.wait(timeout=10) == 128 + signal.SIGINT
    assert time.monotonic() - started < 5
    assert wait_gone(children, timeout=5) == []


def _quietly(action):
    try:
        action()
    except Exception:  # noqa: BLE001 — the Flow is killed under this request on purpose
        pass


def test_killing_jina_flow_leaves_no_executor_behind(flows, tmp_path):
    flow = flows(example_with_port(tmp_path, "hello.yml", free_port()))
    flow.wait_ready()
    children = flow.children()
    run_directory = flow.run_directory()
    flow.proc.kill()
    flow.proc.wait(timeout=10)
    left = wait_gone(children, timeout=STOP_TIMEOUT)  # each executor drains, then exits
    for pid in left:  # clean up before reporting
        os.kill(pid, signal.SIGKILL)
    wait_gone(left, timeout=5)
    # SIGKILL left the run directory behind: the next `jina flow` removes it.
    assert os.path.isdir(run_directory)
    (tmp_path / "next").mkdir()
    following = flows(example_with_port(tmp_path / "next", "hello.yml", free_port()))
    following.wait_ready()
    assert not os.path.exists(run_directory)
    assert following.stop() == 0
    assert left == [], f"executors {left} outlived a SIGKILLed `jina flow` (stdin lifeline ignored)"


# ---------------------------------------------------------------------------------------------
# start-up failures


def test_port_in_use_is_a_clear_error(jina_bin, tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        path = example_with_port(tmp_path, "hello.yml", port)
        result = subprocess.run([jina_bin, "flow", "--uses", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {port} is already in use" in result.stderr
    assert result.stdout == ""


def test_invalid_yaml_exits_2_and_starts_nothing(jina_bin, tmp_path):
    path = write_flow(tmp_path, "jtype: Flow\nexecutors:\n  - name: a\n    uses: TextAppend\n    replicaz: 2\n")
    result = subprocess.run([jina_bin, "flow", "--uses", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert re.search(r"flow\.yml:5:5: error: .*replicaz", result.stderr), result.stderr
    assert result.stdout == ""


def test_an_executor_that_fails_to_start_is_named_with_its_stderr(flows, tmp_path):
    script = tmp_path / "broken.sh"
    script.write_text("#!/bin/sh\necho 'cannot open model.bin' >&2\nexit 3\n")
    script.chmod(0o755)
    path = write_flow(tmp_path, "jtype: Flow\nexecutors:\n  - name: good\n    uses: Identity\n"
                                "  - name: broken\n    uses: ./broken.sh\n")
    flow = flows(path)
    assert flow.proc.wait(timeout=READY_TIMEOUT) == 1
    flow.stop()
    stderr = flow.text("stderr")
    assert "error: executor broken could not start: exited with status 3" in stderr
    assert "| cannot open model.bin" in stderr
    assert flow.text("stdout") == ""
    assert descendants(flow.proc.pid) == []


def test_docker_executors_are_refused(jina_bin, tmp_path):
    path = write_flow(tmp_path, "jtype: Flow\nexecutors:\n  - name: img\n    uses: docker://example/encoder:1\n")
    result = subprocess.run([jina_bin, "flow", "--uses", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "does not use a Docker engine" in result.stderr


# ---------------------------------------------------------------------------------------------
# a Python Jina executor inside our Flow

PY_EXECUTOR = '''
from docarray import DocList
from docarray.documents import TextDoc
from jina import Executor, requests


class PyAppend(Executor):
    @requests
    def append(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        for doc in docs:
            doc.text = (doc.text or "") + "|py"
        return docs
'''


def test_python_jina_executor_joins_as_external(flows, tmp_path):
    import grpc

    module = tmp_path / "py_append.py"
    module.write_text(PY_EXECUTOR)
    executor_port = free_port()
    jina_cli = pathlib.Path(sys.executable).parent / "jina"
    python_executor = subprocess.Popen(
        [str(jina_cli), "executor", "--uses", "PyAppend", "--py-modules", str(module), "--host", "127.0.0.1",
         "--port", str(executor_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "JINA_OPTOUT_TELEMETRY": "1"}, start_new_session=True)
    try:
        channel = grpc.insecure_channel(f"127.0.0.1:{executor_port}")
        grpc.channel_ready_future(channel).result(timeout=READY_TIMEOUT)  # the executor listens
        channel.close()
        path = write_flow(tmp_path, f"""jtype: Flow
with:
  port: {free_port()}
executors:
  - name: swift_side
    uses: TextAppend
    uses_with: {{text: "|swift"}}
  - name: python_side
    external: true
    host: 127.0.0.1
    port: {executor_port}
""")
        flow = flows(path)
        client = Client(host=f"grpc://127.0.0.1:{flow.grpc_port()}")
        docs = client.post("/", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc])
        assert texts(docs) == ["a|swift|py"]
        assert len(flow.children()) == 1  # the external executor is not started by the Flow
        assert flow.stop() == 0
    finally:
        # Python Jina runs the executor in a child process: stop the whole process group.
        group = descendants(python_executor.pid)
        os.killpg(python_executor.pid, signal.SIGTERM)
        try:
            python_executor.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(python_executor.pid, signal.SIGKILL)
            python_executor.wait(timeout=STOP_TIMEOUT)
        for pid in wait_gone(group, timeout=10):
            os.kill(pid, signal.SIGKILL)


def test_smallest_custom_executor_serves_in_a_flow(flows, tmp_path, jina_bin):
    """Issue #11: a custom executor needs at most 6 lines of Swift (no init, a per-document helper)."""
    source = REPO / "Examples" / "ShoutExecutor" / "main.swift"
    lines = [line for line in source.read_text().splitlines() if line.strip()]
    assert len(lines) <= 6, lines
    shout = pathlib.Path(jina_bin).parent / "shout-executor"
    assert os.access(shout, os.X_OK), f"build the shout-executor example first: {shout}"
    flow = flows(write_flow(tmp_path, f"jtype: Flow\nwith:\n  port: {free_port()}\nexecutors:\n  - name: shout\n    uses: {shout}\n"))
    client = Client(host=f"grpc://127.0.0.1:{flow.grpc_port()}")
    docs = client.post("/shout", DocList[TextDoc]([TextDoc(text="hi"), TextDoc(text="there")]), return_type=DocList[TextDoc])
    assert [doc.text for doc in docs] == ["HI!", "THERE!"]
    untouched = client.post("/other", DocList[TextDoc]([TextDoc(text="quiet")]), return_type=DocList[TextDoc])
    assert [doc.text for doc in untouched] == ["quiet"]
    assert flow.stop() == 0


@pytest.mark.parametrize("count", [4, 5, 9, 40])
def test_call_replies_larger_than_the_stream_watermark_arrive(flows, tmp_path, count):
    """A `Call` reply above 8196 bytes (the HTTP/2 stream's write watermark) with the client
    already half-closed used to go out after the trailers, and the Jina client dropped it."""
    import numpy as np
    from docarray import BaseDoc
    from docarray.typing import NdArray

    class Item(BaseDoc):
        text: str | None = None
        embedding: NdArray | None = None

    port = free_port()
    flow = flows(write_flow(tmp_path, f"jtype: Flow\ngateway:\n  port: {port}\nexecutors:\n  - name: same\n    uses: Identity\n"))
    client = Client(host=f"grpc://127.0.0.1:{flow.grpc_port()}")
    docs = DocList[Item]([Item(text=str(i), embedding=np.ones(384, dtype=np.float32)) for i in range(count)])
    for _ in range(3):
        responses = client.post("/index", docs, return_responses=True)
        assert len(responses) == 1
        assert [doc.text for doc in responses[0].docs] == [str(i) for i in range(count)]
    assert flow.stop() == 0
