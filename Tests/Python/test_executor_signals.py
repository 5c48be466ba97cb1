"""A stop sent the moment a server says it is ready is not lost (SignalPipe): the executor and
the whole Flow exit 0 after a SIGTERM right after their ready line (before the fix, a signal in
the gap before Dispatch registered its source was ignored and the process never stopped)."""
import pathlib
import signal
import subprocess

import pytest

from conftest import REPO
from test_flow_e2e import free_port


@pytest.mark.parametrize("attempt", range(3))
def test_executor_stops_on_sigterm_right_after_ready(jina_bin, attempt):
    proc = subprocess.Popen([jina_bin, "executor", "--uses", "TextAppend", "--port", "0", "--host", "127.0.0.1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("ready ")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_flow_stops_on_sigterm_right_after_ready(jina_bin, tmp_path):
    flow = tmp_path / "flow.yml"
    flow.write_text(f"jtype: Flow\ngateway:\n  port: {free_port()}\nexecutors:\n  - uses: TextAppend\n")
    proc = subprocess.Popen([jina_bin, "flow", "--uses", str(flow)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        for line in proc.stdout:
            if line.startswith("ready "):
                break
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_executor_stopped_while_loading_stops_at_once(jina_bin):
    """A SIGTERM while the executor loads (a model, say) stops it without binding or printing a
    ready line, exit 0 — there is nothing to drain; it does not finish loading to serve first."""
    marker = pathlib.Path(jina_bin).parent / "marker-executor"
    proc = subprocess.Popen([str(marker), "--port", "0", "--host", "127.0.0.1", "--uses-with", '{"load_ms": 1500}'],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if "loading for 1500 ms" in line:
                break
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        assert proc.stdout.read() == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
