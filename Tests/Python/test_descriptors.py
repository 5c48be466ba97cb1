"""Our .proto files describe exactly the messages and services of Jina 3.34 and docarray."""
import subprocess
import sys

from conftest import REPO


def test_protos_match_reference_descriptors():
    result = subprocess.run([sys.executable, str(REPO / "Tests" / "Interop" / "compare_descriptors.py")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DESCRIPTORS MATCH" in result.stdout
