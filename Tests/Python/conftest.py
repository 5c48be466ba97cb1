"""Shared fixtures for the Python-side suites: where the built `jina` binary and the repo are."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FLOWS = sorted((REPO / "flows").glob("*.yml"))


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
