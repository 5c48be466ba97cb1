"""Shared fixtures for the Python-side suites: where the built `jina` binary and the repo are."""
import os
import pathlib
import socket
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FLOWS = sorted((REPO / "flows").glob("*.yml"))

_HANDED_OUT: set[int] = set()

# No test may hang the suite (a hung test would hold CI until its own limit): each gets at most
# this many seconds (pytest-timeout, Tests/Python/requirements.txt), then fails with its stack.
# The slowest test takes well under a minute; the limit only has to end a hang.
TEST_TIMEOUT_S = 300


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(TEST_TIMEOUT_S))


def free_port() -> int:
    """A loopback TCP port the OS calls free that no earlier call in this test run returned.
    The OS may hand the same ephemeral port to two binds in a row once the first socket is
    closed, so a test asking for two ports could otherwise get one port twice."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


@pytest.fixture(scope="session")
def jina_bin() -> str:
    path = os.environ.get("JINA_BINARY", str(REPO / ".build" / "debug" / "jina"))
    assert os.access(path, os.X_OK), f"built jina binary not found at {path}; run swift build first"
    return path


def run_jina(jina_bin: str, *args: str, stdin: str | None = None, env: dict | None = None,
             timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs the binary like a user would and returns its exit code and output."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([jina_bin, *args], input=stdin, capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=REPO)
