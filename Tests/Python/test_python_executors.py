"""Python executors inside `jina flow` (issue #12): Python Jina's own worker runs each replica,
supervised by our binary, behind our gateway; the real Python Jina client talks to it.

Executors: Tests/JinaExportTests/Flows/python (docarray v2). Every wait is on an event (a line,
a process end, a response) with a deadline; ports come from the OS.
"""
import os
import pathlib
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest
import requests as http

from conftest import REPO, run_jina
from test_flow_e2e import RunningFlow, alive, cmdline, descendants, flows, free_port, wait_gone  # noqa: F401

from docarray import BaseDoc, DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from docarray.typing import NdArray  # noqa: E402
from jina import Client  # noqa: E402

FIXTURES = REPO / "Tests" / "JinaExportTests" / "Flows" / "python"
PYTHON_ENV = {"JINA_PYTHON": sys.executable}


class Product(BaseDoc):
    title: str = ''
    price: float = 0.0
    tensor: NdArray | None = None
    embedding: NdArray | None = None


def project(tmp_path: pathlib.Path, flow: str) -> pathlib.Path:
    """A Jina project in `tmp_path`: the fixture executors next to `flow.yml`."""
    for name in ("executors.py", "tagger.yml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    path = tmp_path / "flow.yml"
    path.write_text(flow)
    return path


def start(flows, tmp_path, flow: str, env: dict | None = None) -> RunningFlow:
    return flows(project(tmp_path, flow), env={**PYTHON_ENV, **(env or {})})


def python_workers(flow: RunningFlow) -> list[int]:
    """The Python interpreters under `jina flow` (below their lifeline shims)."""
    return [pid for pid in descendants(flow.proc.pid) if cmdline(pid) and cmdline(pid)[0] == sys.executable]


def test_chain_with_builtins_over_grpc_and_http(flows, tmp_path):
    grpc, web = free_port(), free_port()
    flow = start(flows, tmp_path, f"""
jtype: Flow
gateway:
  protocol: [grpc, http]
  port: [{grpc}, {web}]
executors:
  - name: first
    uses: Tagger
    py_modules: [executors.py]
    uses_with: {{suffix: "+py"}}
  - name: bang
    uses: TextAppend
    uses_with: {{text: "!"}}
  - name: from_yaml
    uses: tagger.yml
""")
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{grpc}")
    docs = client.post("/text", DocList[TextDoc]([TextDoc(text="a"), TextDoc(text="b")]), return_type=DocList[TextDoc])
    assert [doc.text for doc in docs] == ["a+py!+yml", "b+py!+yml"]

    # A custom schema with float64 tensors and float32 embeddings crosses both hops intact.
    products = DocList[Product]([Product(title="shoe", price=2.5), Product(title="hat", price=1.0)])
    out = client.post("/embed", products, return_type=DocList[Product])
    assert [doc.title for doc in out] == ["shoe+py+yml", "hat+py+yml"]
    # The second Tagger embeds again, from the title the first one extended ("shoe+py": 7).
    assert out[0].embedding.dtype == np.float32 and out[0].embedding.tolist() == [7.0, 8.0, 9.0]
    assert out[1].embedding.tolist() == [6.0, 7.0, 8.0]
    assert out[1].tensor.dtype == np.float64 and out[1].tensor.tolist() == [[1.0, 1.0], [1.0, 1.0]]

    # A returned dict reaches the client under `__results__`, keyed by replica as in a Jina Flow.
    responses = client.post("/stats", DocList[TextDoc]([TextDoc(text="x")]), parameters={"echo": 7},
                            return_responses=True)
    results = responses[0].parameters["__results__"]
    assert results["first/rep-0"] == {"count": 1.0, "suffix": "+py", "echo": 7.0}
    assert results["from_yaml/rep-0"]["suffix"] == "+yml"

    http_client = Client(host=f"http://127.0.0.1:{web}")
    docs = http_client.post("/text", DocList[TextDoc]([TextDoc(text="h")]), return_type=DocList[TextDoc])
    assert [doc.text for doc in docs] == ["h+py!+yml"]
    assert flow.stop() == 0


def test_dag_of_python_and_swift_executors(flows, tmp_path):
    port = free_port()
    flow = start(flows, tmp_path, f"""
jtype: Flow
with:
  py_modules: executors.py
gateway:
  port: {port}
executors:
  - name: left
    uses: Tagger
    uses_with: {{suffix: L}}
  - name: right
    uses: TextAppend
    uses_with: {{text: R}}
    needs: gateway
  - name: merge
    uses: Tagger
    uses_with: {{suffix: M}}
    needs: [left, right]
""")
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    docs = client.post("/text", DocList[TextDoc]([TextDoc(text="x")]), return_type=DocList[TextDoc])
    # Both branches ran; at the merge the later branch in `needs` wins the text.
    assert [doc.text for doc in docs] == ["xRM"]
    assert len(python_workers(flow)) == 2
    assert flow.stop() == 0


def test_replicas_and_shards_all_serve(flows, tmp_path):
    port = free_port()
    flow = start(flows, tmp_path, f"""
jtype: Flow
gateway:
  port: {port}
executors:
  - name: replicated
    uses: Tagger
    py_modules: executors.py
    replicas: 2
  - name: sharded
    uses: Tagger
    py_modules: executors.py
    shards: 2
""")
    flow.wait_ready()
    workers = python_workers(flow)
    assert len(workers) == 4
    client = Client(host=f"grpc://127.0.0.1:{port}")
    seen, shards = set(), set()
    for _ in range(12):
        docs = client.post("/pid", DocList[TextDoc]([TextDoc()]), return_type=DocList[TextDoc])
        pid, shard = docs[0].text.split()
        seen.add(int(pid))
        shards.add(shard)
    # The last executor writes the pid: both shards answered over the requests.
    assert shards == {"0", "1"}
    assert seen <= set(workers) and len(seen) == 2
    assert flow.stop() == 0
    assert wait_gone(workers) == []


def test_a_raising_executor_gives_an_error_reply_naming_it(flows, tmp_path):
    port = free_port()
    flow = start(flows, tmp_path, f"""
jtype: Flow
gateway:
  port: {port}
executors:
  - name: careful
    uses: Tagger
    py_modules: executors.py
""")
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    errors = []
    client.post("/fail", DocList[TextDoc]([TextDoc(text="boom")]), on_error=errors.append)
    assert len(errors) == 1
    status = errors[0].header.status
    assert status.code == status.ERROR
    assert status.exception.name == "ValueError"
    assert status.exception.executor == "Tagger"
    assert "cannot handle 'boom'" in status.description
    assert any("executors.py" in line for line in status.exception.stacks)
    # The executor lives on and serves the next request.
    docs = client.post("/text", DocList[TextDoc]([TextDoc(text="ok")]), return_type=DocList[TextDoc])
    assert [doc.text for doc in docs] == ["ok"]
    assert flow.stop() == 0


def test_a_killed_python_replica_loses_no_request_and_comes_back(flows, tmp_path):
    port = free_port()
    flow = start(flows, tmp_path, f"""
jtype: Flow
gateway:
  port: {port}
executors:
  - name: worker
    uses: Tagger
    py_modules: executors.py
    uses_with: {{suffix: "+"}}
    replicas: 2
""")
    flow.wait_ready()
    workers = python_workers(flow)
    victim = next(pid for pid in workers if cmdline(pid)[cmdline(pid).index("--replica-id") + 1] == "1")
    client = Client(host=f"grpc://127.0.0.1:{port}")
    received, errors = [], []

    def on_done(response):
        received.append(response)
        if len(received) == 50:
            os.kill(victim, signal.SIGKILL)

    # In-band errors count as errors here (h2load would see them as successes).
    client.post("/text", DocList[TextDoc]([TextDoc(text="") for _ in range(300)]), request_size=1,
                on_done=on_done, on_error=errors.append, return_responses=True)
    assert errors == []
    assert len(received) == 300
    assert all(response.docs[0].text == "+" for response in received)
    flow.wait_for(r"worker replica 1 was killed by SIGKILL; restarting it in")
    flow.wait_for(r"executor worker replica 1 is back \(restart 1")
    replacement = python_workers(flow)
    assert len(replacement) == 2 and victim not in replacement
    assert flow.stop() == 0


def test_sigkill_of_jina_flow_leaves_no_python_process(flows, tmp_path):
    port = free_port()
    flow = start(flows, tmp_path, f"""
jtype: Flow
gateway:
  port: {port}
executors:
  - name: a
    uses: Tagger
    py_modules: executors.py
    replicas: 2
""")
    flow.wait_ready()
    everything = descendants(flow.proc.pid)
    workers = python_workers(flow)
    assert len(workers) == 2
    flow.proc.kill()
    flow.proc.wait(timeout=10)
    # The acceptance check, by pid: every process is gone within 3 s of the SIGKILL (waiting
    # on each pid's exit, not sleeping).
    left = wait_gone(everything, timeout=3)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"{[cmdline(pid)[:3] for pid in left if alive(pid)]} outlived a SIGKILLed `jina flow`"


def test_an_executor_that_cannot_start_shows_its_traceback(flows, tmp_path):
    flow = start(flows, tmp_path, f"""
jtype: Flow
gateway:
  port: {free_port()}
executors:
  - name: ok
    uses: Identity
  - name: broken
    uses: Broken
    py_modules: executors.py
""")
    assert flow.proc.wait(timeout=120) == 1
    flow.stop()
    stderr = flow.text("stderr")
    assert "error: executor broken could not start: exited with status 1; last lines of its output:" in stderr
    assert "RuntimeError: the model file is missing" in stderr


def test_an_interpreter_without_jina_is_one_clear_error(jina_bin, tmp_path):
    # The same Python, without its site-packages: `import jina` fails.
    bare = tmp_path / "bare-python"
    bare.write_text(f"#!/bin/sh\nexec {sys.executable} -S \"$@\"\n")
    bare.chmod(0o755)
    flow = project(tmp_path, "jtype: Flow\nexecutors:\n  - uses: Tagger\n    py_modules: executors.py\n")
    result = run_jina(jina_bin, "flow", "--uses", str(flow), env={"JINA_PYTHON": str(bare)})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (f"error: Python executors need Python Jina 3.x, but {bare} cannot import `jina` "
                        "(ModuleNotFoundError: No module named 'jina')")
    assert lines[1].startswith(f"  hint: install them: {bare} -m pip install 'jina==3.34.0'")
    assert len(lines) == 2
    # --python names the interpreter when JINA_PYTHON is unset; --validate never runs Python.
    result = run_jina(jina_bin, "flow", "--uses", str(flow), "--python", str(bare), env={"JINA_PYTHON": ""})
    assert result.returncode == 1 and f"but {bare} cannot import `jina`" in result.stderr
    result = run_jina(jina_bin, "flow", "--uses", str(flow), "--validate", env={"JINA_PYTHON": "/nonexistent/python"})
    assert result.returncode == 0, result.stderr


def test_validate_warns_about_a_misspelt_class_at_uses(jina_bin, tmp_path):
    flow = project(tmp_path, "jtype: Flow\nexecutors:\n  - name: t\n    uses: Tager\n    py_modules: [executors.py]\n")
    result = run_jina(jina_bin, "flow", "--uses", str(flow), "--validate")
    assert result.returncode == 0
    assert f"{flow}:4:11: warning: uses: no `class Tager` in py_modules (executors.py)" in result.stderr
    assert "hint: did you mean `Tagger`?" in result.stderr
    missing = project(tmp_path, "jtype: Flow\nexecutors:\n  - uses: Tagger\n    py_modules: [nope.py]\n")
    result = run_jina(jina_bin, "flow", "--uses", str(missing), "--validate")
    assert result.returncode == 2
    assert f"{missing}:4:18: error: py_modules: no such file `nope.py`" in result.stderr


def test_cuda_devices_round_robin_over_replicas(flows, tmp_path):
    report = tmp_path / "report"
    report.mkdir()
    port = free_port()
    flow = start(flows, tmp_path, f"""
jtype: Flow
gateway:
  port: {port}
executors:
  - name: gpu
    uses: Tagger
    py_modules: executors.py
    replicas: 3
    env:
      CUDA_VISIBLE_DEVICES: RR
      JINA_TEST_REPORT_DIR: {report}
""", env={"CUDA_TOTAL_DEVICES": "2", "PATH": "/usr/bin:/bin"})
    flow.wait_ready()
    # Each replica wrote its device into a file named by its pid; its command line has its replica id.
    seen = {}
    for pid in python_workers(flow):
        arguments = cmdline(pid)
        seen[arguments[arguments.index("--replica-id") + 1]] = (report / str(pid)).read_text()
    assert seen == {"0": "0", "1": "1", "2": "0"}
    assert flow.stop() == 0


def test_metrics_of_python_executors_join_the_aggregated_endpoint(jina_bin, tmp_path):
    port, metrics = free_port(), free_port()
    path = project(tmp_path, f"""
jtype: Flow
gateway:
  port: {port}
executors:
  - name: measured
    uses: Tagger
    py_modules: executors.py
    monitoring: true
""")
    proc = subprocess.Popen([jina_bin, "flow", "--uses", str(path), "--port-monitoring", str(metrics)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, **PYTHON_ENV})
    try:
        for line in proc.stdout:
            if line.startswith("ready grpc://"):
                break
        client = Client(host=f"grpc://127.0.0.1:{port}")
        for _ in range(3):
            client.post("/text", DocList[TextDoc]([TextDoc(text="m")]))
        text = http.get(f"http://127.0.0.1:{metrics}/metrics", timeout=10).text
        # Python Jina's own executor metrics, relabelled like ours.
        samples = [line for line in text.splitlines()
                   if line.startswith("jina_process_request_seconds_count{") and 'executor="Tagger"' in line]
        assert samples, text
        assert 'runtime_name="measured/rep-0"' in samples[0]
        assert float(samples[0].rsplit(" ", 1)[1]) >= 3
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def test_when_and_target_executor_reach_python_executors(flows, tmp_path):
    port = free_port()
    flow = start(flows, tmp_path, f"""
jtype: Flow
with:
  py_modules: executors.py
gateway:
  port: {port}
executors:
  - name: picky
    uses: Tagger
    uses_with: {{suffix: "+A"}}
    when: {{text: {{$eq: hit}}}}
  - name: last
    uses: Tagger
    uses_with: {{suffix: "+B"}}
""")
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    docs = client.post("/text", DocList[TextDoc]([TextDoc(text="hit"), TextDoc(text="miss")]), return_type=DocList[TextDoc])
    # As in Jina's gateway: only matching documents reach `picky`, and its output goes on.
    assert [doc.text for doc in docs] == ["hit+A+B"]
    docs = client.post("/text", DocList[TextDoc]([TextDoc(text="hit")]), return_type=DocList[TextDoc],
                       target_executor="last")
    assert [doc.text for doc in docs] == ["hit+B"]
    assert flow.stop() == 0
