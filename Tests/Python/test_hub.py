"""`jina hub` end to end: packages pushed to and pulled from a real OCI registry (Debian's
docker-registry, with and without htpasswd auth), checked against an independent OCI client
(oras), and run by `jina flow` behind the real Python Jina client.

Every test has its own Hub cache (JINA_HUB_CACHE) and Docker config folder (DOCKER_CONFIG) under
tmp_path; pushes write to a separate cache so that pulls and Flows really fetch from the registry.
Nothing sleeps to wait: Flows are ready when they print their `ready` line.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys
import tarfile

import pytest
import yaml

from conftest import REPO, free_port, run_jina
from hub_registry import (  # noqa: F401 (fixtures)
    ANNOTATION_CONTENT_DIGEST, ANNOTATION_TITLE, ANNOTATION_UNPACK, LAYER_TAR_GZIP, auth_registry,
    fetch_manifest, pull, push_dir, push_dir_like_go_oras, registry)
from test_flow_e2e import RunningFlow

from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from jina import Client  # noqa: E402

PYTHON_ENV = {"JINA_PYTHON": sys.executable}
ARTIFACT_TYPE = "application/vnd.jina.executor.v1"
CONFIG_MEDIA_TYPE = "application/vnd.jina.executor.config.v1+json"
DIGEST = r"sha256:[0-9a-f]{64}"
HUB_ENV_VARS = ("JINA_HUB_REGISTRY", "JINA_HUB_INSECURE", "JINA_HUB_USERNAME", "JINA_HUB_PASSWORD",
                "JINA_HUB_NAMESPACE")


# ---------------------------------------------------------------------------------------------
# helpers


@pytest.fixture(autouse=True)
def hub_env(tmp_path, monkeypatch):
    """A private Hub cache and Docker config folder (read by jina and by oras) for each test, and
    none of the user's JINA_HUB_* settings."""
    cache, docker = tmp_path / "hub-cache", tmp_path / "docker-config"
    docker.mkdir()
    monkeypatch.setenv("JINA_HUB_CACHE", str(cache))
    monkeypatch.setenv("DOCKER_CONFIG", str(docker))
    monkeypatch.setenv("JINA_OPTOUT_TELEMETRY", "1")
    for var in HUB_ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    return {"cache": cache, "docker": docker}


@pytest.fixture(params=["plain", "htpasswd"])
def any_registry(request):
    """Once the registry without auth, once the one behind htpasswd basic auth."""
    return request.getfixturevalue("registry" if request.param == "plain" else "auth_registry")


@pytest.fixture(scope="session")
def shout_bin() -> str:
    path = os.environ.get("JINA_SHOUT_EXECUTOR", str(REPO / ".build" / "debug" / "shout-executor"))
    assert os.access(path, os.X_OK), f"shout-executor not found at {path}; run swift build --build-tests"
    return path


def report(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def hub(jina_bin, *args, stdin=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    return run_jina(jina_bin, "hub", *args, stdin=stdin, env=env, timeout=timeout)


def login(reg) -> tuple[list[str], str | None]:
    """--username/--password-stdin arguments and stdin for `reg` (none when it has no auth)."""
    if reg.user is None:
        return [], None
    return ["--username", reg.user, "--password-stdin"], reg.password + "\n"


def push(jina_bin, reg, folder, *extra, namespace="acme", env=None) -> str:
    """`jina hub push` (into a cache of its own); returns the one line it prints."""
    args, stdin = login(reg)
    push_env = {"JINA_HUB_CACHE": os.environ["JINA_HUB_CACHE"] + "-push", **(env or {})}
    result = hub(jina_bin, "push", str(folder), "--registry", reg.host, "--namespace", namespace, "--insecure",
                 *args, *extra, stdin=stdin, env=push_env)
    assert result.returncode == 0, report(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and re.fullmatch(rf"{re.escape(reg.host)}/[^\s]+:[^\s@]+@{DIGEST}", lines[0]), report(result)
    assert all(line.startswith("hub: ") for line in result.stderr.splitlines()), report(result)
    return lines[0]


def digest_of(reference: str) -> str:
    return reference.rsplit("@", 1)[1]


def hub_pull(jina_bin, reg, ref, *extra, env=None) -> tuple[str, pathlib.Path, subprocess.CompletedProcess]:
    """`jina hub pull HOST/REF --insecure` (with reg's credentials); returns (reference, folder, result)."""
    args, stdin = login(reg)
    result = hub(jina_bin, "pull", f"{reg.host}/{ref}", "--insecure", *args, *extra, stdin=stdin, env=env)
    assert result.returncode == 0, report(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 2, report(result)
    return lines[0], pathlib.Path(lines[1]), result


def tree(folder: pathlib.Path) -> dict[str, tuple[str, int]]:
    """relative path → (sha256 of the bytes, permission bits) of every file under `folder`."""
    return {path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                  stat.S_IMODE(path.stat().st_mode))
            for path in sorted(folder.rglob("*")) if path.is_file()}


def assert_same_files(expected: pathlib.Path, actual: pathlib.Path, context: str = ""):
    want, got = tree(expected), tree(actual)
    assert want, f"{expected} is empty"
    diff = {name: (want.get(name), got.get(name)) for name in set(want) | set(got) if want.get(name) != got.get(name)}
    assert not diff, f"{actual} differs from {expected} ((sha256, mode) expected vs got): {diff}\n{context}"


def make_package(root: pathlib.Path, name="text-shout", version="0.1.0", suffix="!") -> pathlib.Path:
    """A Python package in Jina Hub's layout by hand: manifest.yml, config.yml, executor.py, plus an
    executable script and a binary file to check bytes and modes."""
    folder = root / name
    (folder / "scripts").mkdir(parents=True)
    (folder / "manifest.yml").write_text(f"name: {name}\nversion: {version}\n")
    (folder / "config.yml").write_text(
        f'jtype: Suffixer\nwith:\n  suffix: "{suffix}"\nmetas:\n  py_modules:\n    - executor.py\n')
    (folder / "executor.py").write_text(
        "from docarray import DocList\nfrom docarray.documents import TextDoc\nfrom jina import Executor, requests\n\n\n"
        "class Suffixer(Executor):\n    def __init__(self, suffix='!', **kwargs):\n        super().__init__(**kwargs)\n"
        "        self.suffix = suffix\n\n    @requests\n"
        "    def add(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:\n"
        "        for doc in docs:\n            doc.text = (doc.text or '') + self.suffix\n        return docs\n")
    script = folder / "scripts" / "prepare.sh"
    script.write_text("#!/bin/sh\necho prepared\n")
    script.chmod(0o755)
    (folder / "data.bin").write_bytes(bytes(range(256)) * 8 + b"\x00\xff\r\n")
    for path in folder.rglob("*"):
        if path.is_file() and path != script:
            path.chmod(0o644)
    return folder


def hub_new(jina_bin, name, output: pathlib.Path, *extra) -> pathlib.Path:
    result = hub(jina_bin, "new", name, "--output", str(output), *extra)
    assert result.returncode == 0, report(result)
    assert result.stdout.strip() == str(output), report(result)
    return output


def set_suffix(package: pathlib.Path, suffix: str):
    config = package / "config.yml"
    text = config.read_text()
    assert 'suffix: "!"' in text, text
    config.write_text(text.replace('suffix: "!"', f'suffix: "{suffix}"'))


def write_flow(folder: pathlib.Path, executors: list[tuple[str, str]], port: int | None = None) -> pathlib.Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["jtype: Flow"]
    if port is not None:
        lines += ["with:", f"  port: {port}"]
    lines.append("executors:")
    for name, uses in executors:
        lines += [f"  - name: {name}", f"    uses: {uses}"]
    path = folder / "flow.yml"
    path.write_text("\n".join(lines) + "\n")
    return path


def read_lock(flow: pathlib.Path) -> dict:
    lock = flow.parent / "flow.lock"
    assert lock.exists(), f"no {lock}"
    return yaml.safe_load(lock.read_text())["packages"]


def error_line(result: subprocess.CompletedProcess, *needles: str) -> str:
    """The one `error: …` line of a failed command; the rest of stderr is hints and progress."""
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, report(result)
    others = [line for line in lines if not line.startswith(("error: ", "  hint: ", "hub: "))]
    assert not others, f"unexpected stderr lines {others}\n{report(result)}"
    for needle in needles:
        assert needle in errors[0], f"{needle!r} not in the error line\n{report(result)}"
    assert result.stdout == "", report(result)
    return errors[0]


@pytest.fixture
def hub_flows(jina_bin):
    started = []

    def start(flow, env=None, args=()) -> RunningFlow:
        """`jina flow --uses FLOW ARGS…` (--lock, --hub-insecure…), running Python executors."""
        running = RunningFlow(jina_bin, flow, {**PYTHON_ENV, **(env or {})}, args=tuple(args))
        started.append(running)
        return running

    yield start
    for running in started:
        running.kill_all()


def post_texts(port: int, endpoint: str, *texts: str) -> list[str]:
    client = Client(host=f"grpc://127.0.0.1:{port}")
    docs = client.post(endpoint, DocList[TextDoc]([TextDoc(text=text) for text in texts]),
                       return_type=DocList[TextDoc])
    return [doc.text for doc in docs]


# ---------------------------------------------------------------------------------------------
# push and pull, against oras


def test_push_with_jina_pull_with_oras(jina_bin, any_registry, tmp_path):
    """What `jina hub push` uploads is a standard oras artifact: oras pulls the package's files
    byte for byte with their modes; the manifest has Jina's artifactType, config media type and
    annotations, and one tar+gzip layer titled NAME, unpackable, whose entries are under NAME/."""
    reg = any_registry
    package = make_package(tmp_path / "src")
    reference = push(jina_bin, reg, package)
    assert reference.startswith(f"{reg.host}/acme/text-shout:0.1.0@"), reference  # tag = manifest version

    out = tmp_path / "oras-out"
    pull(reg, "acme/text-shout:0.1.0", out)
    assert_same_files(package, out / "text-shout")
    assert os.access(out / "text-shout" / "scripts" / "prepare.sh", os.X_OK)

    manifest = fetch_manifest(reg, "acme/text-shout:0.1.0")
    assert manifest.digest == digest_of(reference)
    data = manifest.data
    assert data.get("artifactType") == ARTIFACT_TYPE, data
    assert data["config"]["mediaType"] == CONFIG_MEDIA_TYPE, data
    assert data.get("annotations", {}).get("org.opencontainers.image.version") == "0.1.0", data
    assert data["annotations"].get("ai.jina.executor.kind") == "python", data
    assert len(data["layers"]) == 1, data
    layer = data["layers"][0]
    assert layer["mediaType"] == LAYER_TAR_GZIP, layer
    assert layer["annotations"][ANNOTATION_TITLE] == "text-shout", layer
    assert layer["annotations"][ANNOTATION_UNPACK] == "true", layer

    blob = reg.request("GET", f"/v2/acme/text-shout/blobs/{layer['digest']}")
    assert blob.status == 200, blob
    assert "sha256:" + hashlib.sha256(blob.body).hexdigest() == layer["digest"]
    raw_tar = gzip.decompress(blob.body)
    if ANNOTATION_CONTENT_DIGEST in layer["annotations"]:
        assert layer["annotations"][ANNOTATION_CONTENT_DIGEST] == "sha256:" + hashlib.sha256(raw_tar).hexdigest()
    with tarfile.open(fileobj=io.BytesIO(raw_tar)) as tar:
        names = tar.getnames()
    assert names and all(name == "text-shout" or name.startswith("text-shout/") for name in names), names


def test_push_is_reproducible_and_skips_blobs_already_there(jina_bin, registry, tmp_path):
    """Pushing the same folder again (even with new mtimes) gives the same digest, and uploads
    nothing: every blob is reported `already on` the registry."""
    package = make_package(tmp_path / "src")
    first = push(jina_bin, registry, package)
    for path in package.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    result = hub(jina_bin, "push", str(package), "--registry", registry.host, "--namespace", "acme", "--insecure")
    assert result.returncode == 0, report(result)
    assert result.stdout.strip() == first, report(result)
    progress = result.stderr.splitlines()
    assert progress and all(f"already on {registry.host}" in line for line in progress), report(result)


@pytest.mark.parametrize("oras_push", [push_dir, push_dir_like_go_oras], ids=["oras-py", "like-go-oras"])
def test_push_with_oras_pull_with_jina(jina_bin, any_registry, tmp_path, oras_push, hub_env):
    """A folder pushed by oras (oras-py's layout, and the Go CLI's with unpack annotations) is
    pulled by `jina hub pull`: it prints the reference with the registry's digest and the cache
    folder, whose files (and modes) equal the folder's; --output copies them too."""
    reg = any_registry
    package = tmp_path / "src" / "my-exec"
    package.mkdir(parents=True)
    (package / "manifest.yml").write_text("name: my-exec\nversion: 0.2.0\n")
    (package / "config.yml").write_text("jtype: MyExec\nmetas:\n  py_modules:\n    - executor.py\n")
    (package / "executor.py").write_text("#!/usr/bin/env python\nfrom jina import Executor\n\n\nclass MyExec(Executor):\n    pass\n")
    (package / "executor.py").chmod(0o755)
    manifest = oras_push(reg, "acme/my-exec:0.2.0", package)

    reference, folder, result = hub_pull(jina_bin, reg, "acme/my-exec:0.2.0")
    assert reference == f"{reg.host}/acme/my-exec:0.2.0@{manifest.digest}", report(result)
    assert folder.is_relative_to(hub_env["cache"]), report(result)
    assert_same_files(package, folder, report(result))
    out = tmp_path / "out"
    reference, folder, result = hub_pull(jina_bin, reg, "acme/my-exec:0.2.0", "--output", str(out))
    assert reference == f"{reg.host}/acme/my-exec:0.2.0@{manifest.digest}", report(result)
    assert folder == out, report(result)
    assert_same_files(package, out, report(result))
    listed = hub(jina_bin, "inspect", f"{reg.host}/acme/my-exec:0.2.0", "--offline", "--json")
    assert listed.returncode == 0, report(listed)
    assert json.loads(listed.stdout)["digest"] == manifest.digest, report(listed)


# ---------------------------------------------------------------------------------------------
# Flows


def test_flow_runs_a_python_and_a_program_package(jina_bin, registry, tmp_path, shout_bin, hub_flows):
    """A Flow chaining a `jina hub new` Python package (registry from JINA_HUB_REGISTRY) and a
    program package (full jinaai://HOST:PORT/… reference) pulls both and serves the real Jina
    client: the Python executor appends its suffix, the Swift program uppercases on /shout."""
    python_pkg = hub_new(jina_bin, "text-shout", tmp_path / "text-shout")
    program_pkg = tmp_path / "shout"
    (program_pkg / "bin").mkdir(parents=True)
    (program_pkg / "manifest.yml").write_text("name: shout\nversion: 1.0.0\nkind: program\nexecutable: bin/shout\n")
    shutil.copy(shout_bin, program_pkg / "bin" / "shout")
    (program_pkg / "bin" / "shout").chmod(0o755)
    python_digest = digest_of(push(jina_bin, registry, python_pkg))
    program_ref = push(jina_bin, registry, program_pkg)
    manifest = fetch_manifest(registry, "acme/shout:1.0.0")
    assert manifest.data["annotations"].get("ai.jina.executor.kind") == "program", manifest.data

    port = free_port()
    flow_file = write_flow(tmp_path / "project", [("shouter", "jinaai://acme/text-shout:0.1.0"),
                                                  ("loud", f"jinaai://{registry.host}/acme/shout:1.0.0")], port)
    flow = hub_flows(flow_file, env={"JINA_HUB_REGISTRY": registry.host}, args=["--hub-insecure"])
    flow.wait_ready()
    flow.wait_for(rf"executor `shouter`: .*{python_digest}")
    flow.wait_for(rf"executor `loud`: .*{digest_of(program_ref)}")
    assert post_texts(port, "/", "hi") == ["hi!"], flow.text("stderr")
    assert post_texts(port, "/shout", "hi", "abc") == ["HI!!", "ABC!!"], flow.text("stderr")
    assert flow.stop() == 0, flow.text("stderr")


def test_lock_pins_the_digest_until_locked_again(jina_bin, registry, tmp_path, hub_flows):
    """`--lock` writes flow.lock with the tag's digest. After the tag moves to a changed package,
    `jina flow` still runs the locked version and says the tag has moved; `--lock` again moves
    the Flow (and flow.lock) to the new digest."""
    package = hub_new(jina_bin, "text-shout", tmp_path / "text-shout")
    old = digest_of(push(jina_bin, registry, package))
    flow_file = write_flow(tmp_path / "project", [("shouter", "jinaai://acme/text-shout:0.1.0")], free_port())
    env = {"JINA_HUB_REGISTRY": registry.host}
    locked = run_jina(jina_bin, "flow", "--uses", str(flow_file), "--lock", "--validate", "--hub-insecure", env=env)
    assert locked.returncode == 0, report(locked)
    assert read_lock(flow_file) == {"jinaai://acme/text-shout:0.1.0": {"registry": registry.host, "digest": old}}

    set_suffix(package, "?")
    new = digest_of(push(jina_bin, registry, package))
    assert new != old

    flow = hub_flows(flow_file, env=env, args=["--hub-insecure"])
    port = flow.grpc_port()
    moved = flow.wait_for("has moved to")
    assert new in moved[0], moved
    assert post_texts(port, "/", "hi") == ["hi!"], flow.text("stderr")  # the locked, old package
    assert flow.stop() == 0, flow.text("stderr")
    assert read_lock(flow_file)["jinaai://acme/text-shout:0.1.0"]["digest"] == old

    flow = hub_flows(flow_file, env=env, args=["--hub-insecure", "--lock"])
    port = flow.grpc_port()
    flow.wait_for(rf"executor `shouter`: .*{new}")
    assert post_texts(port, "/", "hi") == ["hi?"], flow.text("stderr")
    assert "has moved to" not in flow.text("stderr")
    assert flow.stop() == 0, flow.text("stderr")
    assert read_lock(flow_file)["jinaai://acme/text-shout:0.1.0"] == {"registry": registry.host, "digest": new}


@pytest.mark.parametrize("legacy_namespace", [None, "team"], ids=["jinahub", "JINA_HUB_NAMESPACE"])
def test_jinahub_reference_resolves_to_its_namespace(jina_bin, registry, tmp_path, hub_flows, legacy_namespace):
    """`jinahub://NAME/TAG` means jinaai://jinahub/NAME:TAG (or JINA_HUB_NAMESPACE's namespace):
    the Flow runs that package and --lock records it under the jinaai:// key."""
    namespace = legacy_namespace or "jinahub"
    package = hub_new(jina_bin, "text-shout", tmp_path / "text-shout")
    set_suffix(package, f"@{namespace}")
    digest = digest_of(push(jina_bin, registry, package, "--tag", "v1", namespace=namespace))
    port = free_port()
    flow_file = write_flow(tmp_path / "project", [("legacy", "jinahub://text-shout/v1")], port)
    env = {"JINA_HUB_REGISTRY": registry.host, "JINA_HUB_INSECURE": "1"}
    if legacy_namespace:
        env["JINA_HUB_NAMESPACE"] = legacy_namespace
    flow = hub_flows(flow_file, env=env, args=["--lock"])
    flow.grpc_port()
    assert post_texts(port, "/", "x") == [f"x@{namespace}"], flow.text("stderr")
    assert flow.stop() == 0, flow.text("stderr")
    assert read_lock(flow_file) == {f"jinaai://{namespace}/text-shout:v1": {"registry": registry.host, "digest": digest}}


# ---------------------------------------------------------------------------------------------
# the cache


@pytest.mark.parametrize("damage", ["blob", "file"])
def test_damaged_cache_is_detected_and_pulled_again(jina_bin, registry, tmp_path, hub_env, damage):
    """A changed blob (blobs/sha256/HEX) or unpacked file (packages/HEX/files/…) in the cache is
    noticed: inspect --offline fails, `jina hub pull` says `damaged` and pulls it again, after
    which the cache is whole (inspect --offline succeeds, the bytes are the originals)."""
    package = make_package(tmp_path / "src")
    digest = digest_of(push(jina_bin, registry, package))
    _, folder, _ = hub_pull(jina_bin, registry, "acme/text-shout:0.1.0")
    layer = fetch_manifest(registry, "acme/text-shout:0.1.0").data["layers"][0]["digest"]
    if damage == "blob":
        target = hub_env["cache"] / "blobs" / "sha256" / layer.split(":")[1]
    else:
        target = hub_env["cache"] / "packages" / digest.split(":")[1] / "files" / "executor.py"
        assert target.resolve().is_relative_to(folder.resolve()), (target, folder)
    original = target.read_bytes()
    target.chmod(0o644)
    target.write_bytes(original[:10] + bytes([original[10] ^ 0xFF]) + original[11:])

    ref = f"{registry.host}/acme/text-shout:0.1.0"
    offline = hub(jina_bin, "inspect", ref, "--offline")
    assert offline.returncode == 1, report(offline)
    error_line(offline)

    reference, folder, result = hub_pull(jina_bin, registry, "acme/text-shout:0.1.0")
    assert reference == f"{ref}@{digest}", report(result)
    assert any("damaged" in line for line in result.stderr.splitlines()), report(result)
    assert target.read_bytes() == original
    assert_same_files(package, folder, report(result))
    offline = hub(jina_bin, "inspect", ref, "--offline")
    assert offline.returncode == 0, report(offline)


def test_flow_repairs_a_damaged_package(jina_bin, registry, tmp_path, hub_env, hub_flows):
    """`jina flow` checks the cached package before running it: a tampered config.yml is
    reported as damaged and replaced by the registry's copy, so the Flow runs the real package."""
    package = hub_new(jina_bin, "text-shout", tmp_path / "text-shout")
    push(jina_bin, registry, package)
    _, folder, _ = hub_pull(jina_bin, registry, "acme/text-shout:0.1.0")
    config = folder / "config.yml"
    config.chmod(0o644)
    config.write_text(config.read_text().replace('suffix: "!"', 'suffix: "TAMPERED"'))
    port = free_port()
    flow_file = write_flow(tmp_path / "project", [("shouter", f"jinaai://{registry.host}/acme/text-shout:0.1.0")], port)
    flow = hub_flows(flow_file, args=["--hub-insecure"])
    flow.grpc_port()
    flow.wait_for("damaged")
    assert post_texts(port, "/", "hi") == ["hi!"], flow.text("stderr")
    assert flow.stop() == 0, flow.text("stderr")


def test_list_and_inspect_show_the_pulled_package(jina_bin, registry, tmp_path):
    """`jina hub list` (table and --json) and `jina hub inspect` (text and --json) show the
    pulled package's reference, kind, version, digest and files."""
    package = make_package(tmp_path / "src")
    push(jina_bin, registry, package)
    empty = hub(jina_bin, "list")
    assert empty.returncode == 0 and "text-shout" not in empty.stdout, report(empty)
    reference, _, _ = hub_pull(jina_bin, registry, "acme/text-shout:0.1.0")
    digest = digest_of(reference)

    table = hub(jina_bin, "list")
    assert table.returncode == 0, report(table)
    rows = [line.split() for line in table.stdout.splitlines() if "text-shout" in line]
    assert len(rows) == 1, report(table)
    assert rows[0][0] == f"{registry.host}/acme/text-shout:0.1.0", report(table)
    assert {"python", "0.1.0", digest} <= set(rows[0]), report(table)
    as_json = hub(jina_bin, "list", "--json")
    assert as_json.returncode == 0, report(as_json)
    entries = json.loads(as_json.stdout)
    assert [(e["registry"], e["repository"], e["tag"], e["digest"], e["manifest"]["kind"], e["manifest"]["version"])
            for e in entries] == [(registry.host, "acme/text-shout", "0.1.0", digest, "python", "0.1.0")], as_json.stdout

    files = set(tree(package))
    shown = hub(jina_bin, "inspect", f"{registry.host}/acme/text-shout:0.1.0")
    assert shown.returncode == 0, report(shown)
    assert digest in shown.stdout, report(shown)
    for name in files:
        assert re.search(rf"^\s+{re.escape(name)}\s", shown.stdout, re.M), f"{name} not listed\n{report(shown)}"
    inspected = hub(jina_bin, "inspect", f"{registry.host}/acme/text-shout:0.1.0", "--json", "--offline")
    assert inspected.returncode == 0, report(inspected)
    record = json.loads(inspected.stdout)
    assert record["digest"] == digest and set(record["files"]) == files, inspected.stdout
    assert record["files"]["executor.py"] == "sha256:" + hashlib.sha256((package / "executor.py").read_bytes()).hexdigest()


@pytest.mark.parametrize("args", [["pull", "BAD REF!!"], ["inspect", "x"], ["pull", "127.0.0.1:5000/acme/Na me:1"],
                                  ["inspect", "acme/text-shout:@@"]], ids=["pull-space", "inspect-no-ns",
                                                                          "pull-space-in-name", "inspect-bad-tag"])
def test_malformed_reference_is_invalid_input(jina_bin, args):
    """A malformed package reference is invalid input: exit 2 with one `error:` line quoting it."""
    result = hub(jina_bin, *args, "--insecure")
    assert result.returncode == 2, report(result)
    error_line(result, f"`{args[1]}`")


def test_push_of_a_bad_folder_is_invalid_input(jina_bin, registry, tmp_path):
    """Pushing a folder without manifest.yml, or a missing folder, is invalid input (exit 2)."""
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        result = hub(jina_bin, "push", str(folder), "--registry", registry.host, "--namespace", "acme", "--insecure")
        assert result.returncode == 2, report(result)
        error_line(result, str(folder))
    assert registry.request("GET", "/v2/_catalog").json()["repositories"] == []


# ---------------------------------------------------------------------------------------------
# failures


def test_wrong_password_is_one_error_naming_the_registry(jina_bin, auth_registry, tmp_path):
    """A wrong password fails push and pull with exit 1 and one error line naming the registry."""
    package = make_package(tmp_path / "src")
    pulled = hub(jina_bin, "pull", f"{auth_registry.host}/acme/text-shout:0.1.0", "--insecure",
                 "--username", "alice", "--password-stdin", stdin="wrong-pass\n")
    assert pulled.returncode == 1, report(pulled)
    error_line(pulled, auth_registry.host)
    pushed = hub(jina_bin, "push", str(package), "--registry", auth_registry.host, "--namespace", "acme", "--insecure",
                 "--username", "alice", "--password-stdin", stdin="wrong-pass\n")
    assert pushed.returncode == 1, report(pushed)
    error_line(pushed, auth_registry.host)


def test_unknown_package_is_not_found(jina_bin, registry, tmp_path):
    """Pulling a name the registry does not have: exit 1, `not found`."""
    push(jina_bin, registry, make_package(tmp_path / "src"))
    for ref in ("acme/nope:0.1.0", "acme/text-shout:9.9.9"):
        result = hub(jina_bin, "pull", f"{registry.host}/{ref}", "--insecure")
        assert result.returncode == 1, report(result)
        error_line(result, "not found")


def test_unreachable_registry(jina_bin):
    """A port where nothing listens: exit 1, `cannot reach registry HOST:PORT`."""
    host = f"127.0.0.1:{free_port()}"
    result = hub(jina_bin, "pull", f"{host}/acme/text-shout:0.1.0", "--insecure")
    assert result.returncode == 1, report(result)
    error_line(result, "cannot reach registry", host)


def test_plain_http_needs_insecure(jina_bin, registry, tmp_path):
    """A plain-HTTP registry is only spoken to with --insecure or JINA_HUB_INSECURE=1."""
    push(jina_bin, registry, make_package(tmp_path / "src"))
    ref = f"{registry.host}/acme/text-shout:0.1.0"
    refused = hub(jina_bin, "pull", ref)
    assert refused.returncode == 1, report(refused)
    error_line(refused, registry.host)
    assert "--insecure" in refused.stderr, report(refused)
    allowed = hub(jina_bin, "pull", ref, env={"JINA_HUB_INSECURE": "1"})
    assert allowed.returncode == 0, report(allowed)


def test_offline_flow_with_an_empty_cache(jina_bin, registry, tmp_path, hub_env):
    """`jina flow --offline` never pulls: with the package only in the registry it exits 1
    naming the reference, and the cache stays without packages."""
    push(jina_bin, registry, make_package(tmp_path / "src"))
    flow_file = write_flow(tmp_path / "project", [("shouter", "jinaai://acme/text-shout:0.1.0")], free_port())
    result = run_jina(jina_bin, "flow", "--uses", str(flow_file), "--offline", "--hub-insecure",
                      env={"JINA_HUB_REGISTRY": registry.host, **PYTHON_ENV}, timeout=60)
    assert result.returncode == 1, report(result)
    error_line(result, "acme/text-shout:0.1.0")
    packages = hub_env["cache"] / "packages"
    assert not packages.exists() or not any(packages.iterdir()), sorted(packages.iterdir())


def test_validate_with_a_lock_not_in_the_cache(jina_bin, registry, tmp_path, hub_env):
    """`jina flow --validate` with a flow.lock whose digest is not in the Hub cache: exit 2 with
    `flow.yml:LINE:COL: error: executor `X`: … is locked to sha256:…, which is not in the Hub cache`."""
    digest = digest_of(push(jina_bin, registry, make_package(tmp_path / "src")))
    flow_file = write_flow(tmp_path / "project", [("shouter", "jinaai://acme/text-shout:0.1.0")])
    env = {"JINA_HUB_REGISTRY": registry.host}
    locked = run_jina(jina_bin, "flow", "--uses", str(flow_file), "--lock", "--validate", "--hub-insecure",
                      env={**env, "JINA_HUB_CACHE": str(tmp_path / "other-cache")})
    assert locked.returncode == 0, report(locked)
    assert read_lock(flow_file)["jinaai://acme/text-shout:0.1.0"]["digest"] == digest

    result = run_jina(jina_bin, "flow", "--uses", str(flow_file), "--validate", env=env)
    assert result.returncode == 2, report(result)
    uses_line = next(n for n, line in enumerate(flow_file.read_text().splitlines(), 1) if "uses:" in line)
    column = flow_file.read_text().splitlines()[uses_line - 1].index("jinaai://") + 1
    expected = (f"flow.yml:{uses_line}:{column}: error: executor `shouter`: ", f"is locked to {digest}, ",
                "which is not in the Hub cache")
    assert all(part in result.stderr for part in expected), f"expected {expected}\n{report(result)}"


# ---------------------------------------------------------------------------------------------
# credentials


@pytest.mark.parametrize("method", ["password-stdin", "env", "docker-config"])
def test_credentials(jina_bin, auth_registry, tmp_path, hub_env, method):
    """The htpasswd registry refuses anonymous pulls; push and pull succeed with credentials from
    --username/--password-stdin, from JINA_HUB_USERNAME/JINA_HUB_PASSWORD, or from the Docker
    config's `auths` entry for HOST:PORT (the last two also for a Flow's --lock)."""
    package = make_package(tmp_path / "src")
    push(jina_bin, auth_registry, package)  # with --password-stdin
    ref = f"{auth_registry.host}/acme/text-shout:0.1.0"
    anonymous = hub(jina_bin, "pull", ref, "--insecure")
    assert anonymous.returncode == 1, report(anonymous)
    error_line(anonymous, auth_registry.host)

    args, stdin, env = [], None, {}
    if method == "password-stdin":
        args, stdin = ["--username", "alice", "--password-stdin"], "s3cret-pass\n"
    elif method == "env":
        env = {"JINA_HUB_USERNAME": "alice", "JINA_HUB_PASSWORD": "s3cret-pass"}
    else:
        auth = base64.b64encode(b"alice:s3cret-pass").decode()
        (hub_env["docker"] / "config.json").write_text(json.dumps({"auths": {auth_registry.host: {"auth": auth}}}))

    pushed = hub(jina_bin, "push", str(package), "--registry", auth_registry.host, "--namespace", "acme",
                 "--insecure", "--tag", method, *args, stdin=stdin, env=env)
    assert pushed.returncode == 0, report(pushed)
    result = hub(jina_bin, "pull", f"{auth_registry.host}/acme/text-shout:{method}", "--insecure", *args,
                 stdin=stdin, env={**env, "JINA_HUB_CACHE": str(tmp_path / "fresh-cache")})
    assert result.returncode == 0, report(result)
    assert result.stdout.splitlines()[0] == f"{auth_registry.host}/acme/text-shout:{method}@{digest_of(pushed.stdout.strip())}"
    assert_same_files(package, pathlib.Path(result.stdout.splitlines()[1]), report(result))

    if method != "password-stdin":
        flow_file = write_flow(tmp_path / "project", [("shouter", f"jinaai://{auth_registry.host}/acme/text-shout:0.1.0")])
        locked = run_jina(jina_bin, "flow", "--uses", str(flow_file), "--lock", "--validate", "--hub-insecure", env=env)
        assert locked.returncode == 0, report(locked)
        assert read_lock(flow_file)[f"jinaai://{auth_registry.host}/acme/text-shout:0.1.0"]["registry"] == auth_registry.host


# ---------------------------------------------------------------------------------------------
# jina hub new


def test_new_python_package_tests_pass_and_it_pushes(jina_bin, registry, tmp_path):
    """`jina hub new text-shout` makes Jina Hub's layout (manifest, config with class TextShout
    and suffix "!", executor, comment-only requirements, tests, README); its own tests pass with
    Python Jina's interpreter, and it pushes unedited, with only the package's files (no
    __pycache__ from the test run)."""
    folder = hub_new(jina_bin, "text-shout", tmp_path / "text-shout")
    expected = {"manifest.yml", "config.yml", "executor.py", "requirements.txt", "tests/test_executor.py", "README.md"}
    assert set(tree(folder)) == expected
    manifest = yaml.safe_load((folder / "manifest.yml").read_text())
    assert (manifest["name"], manifest["version"]) == ("text-shout", "0.1.0"), manifest
    config = yaml.safe_load((folder / "config.yml").read_text())
    assert config["jtype"] == "TextShout" and config["with"] == {"suffix": "!"}, config
    assert config["metas"]["py_modules"] == ["executor.py"], config
    assert all(not line.strip() or line.lstrip().startswith("#")
               for line in (folder / "requirements.txt").read_text().splitlines())

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    tests = subprocess.run([sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"], cwd=folder,
                           capture_output=True, text=True, env=env, timeout=120)
    assert tests.returncode == 0 and "1 passed" in tests.stdout, report(tests)

    reference = push(jina_bin, registry, folder)
    assert reference.startswith(f"{registry.host}/acme/text-shout:0.1.0@"), reference
    inspected = hub(jina_bin, "inspect", f"{registry.host}/acme/text-shout:0.1.0", "--json", "--insecure")
    assert inspected.returncode == 0, report(inspected)
    assert set(json.loads(inspected.stdout)["files"]) == expected, inspected.stdout


def test_new_program_package(jina_bin, tmp_path):
    """`jina hub new NAME --kind program` makes a Swift package (Package.swift) whose manifest.yml
    says kind: program and executable: bin/NAME."""
    folder = hub_new(jina_bin, "shouty", tmp_path / "shouty", "--kind", "program")
    manifest = yaml.safe_load((folder / "manifest.yml").read_text())
    assert (manifest["name"], manifest["kind"], manifest["executable"]) == ("shouty", "program", "bin/shouty"), manifest
    assert "PackageDescription" in (folder / "Package.swift").read_text()


def test_new_refuses_a_non_empty_folder(jina_bin, tmp_path):
    """`jina hub new` does not write into a folder that already has files (exit 2)."""
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    result = hub(jina_bin, "new", "text-shout", "--output", str(folder))
    assert result.returncode == 2, report(result)
    error_line(result)
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


# ---------------------------------------------------------------------------------------------
# naming


def test_push_lowercases_the_repository(jina_bin, registry, tmp_path):
    """The repository is NS/NAME lowercased, in the registry and in the printed reference."""
    package = make_package(tmp_path / "src", name="Text-Shout", version="0.3.0")
    result = hub(jina_bin, "push", str(package), "--registry", registry.host, "--namespace", "Acme", "--insecure")
    assert result.returncode == 0, report(result)
    catalog = registry.request("GET", "/v2/_catalog").json()["repositories"]
    assert catalog == ["acme/text-shout"], catalog
    assert re.fullmatch(rf"{re.escape(registry.host)}/acme/text-shout:0\.3\.0@{DIGEST}\n", result.stdout), report(result)


def test_a_blob_another_repository_has_is_mounted_not_uploaded(jina_bin, registry, tmp_path):
    """Pushing a package into a second namespace of the same registry links the blobs the
    registry already holds under the first (cross-repository mount) instead of uploading them."""
    package = make_package(tmp_path / "src")
    first = push(jina_bin, registry, package, namespace="acme")
    args, stdin = login(registry)
    result = hub(jina_bin, "push", str(package), "--registry", registry.host, "--namespace", "other", "--insecure",
                 *args, stdin=stdin, env={"JINA_HUB_CACHE": os.environ["JINA_HUB_CACHE"] + "-push"})
    assert result.returncode == 0, report(result)
    assert digest_of(result.stdout.strip()) == digest_of(first)
    assert "mounted from acme/text-shout" in result.stderr and "uploading" not in result.stderr, report(result)
    pulled, folder, _ = hub_pull(jina_bin, registry, "other/text-shout:0.1.0")
    assert_same_files(package, folder)


def test_validate_offline_needs_every_reference_in_the_cache(jina_bin, registry, tmp_path):
    """`jina flow --validate --offline` without a lock: a reference whose tag was never pulled is
    an error at its line (exit 2); once pulled, the Flow validates offline."""
    push(jina_bin, registry, make_package(tmp_path / "src"))
    flow_file = write_flow(tmp_path / "project", [("shouter", "jinaai://acme/text-shout:0.1.0")])
    env = {"JINA_HUB_REGISTRY": registry.host}
    missing = run_jina(jina_bin, "flow", "--uses", str(flow_file), "--validate", "--offline", env=env)
    assert missing.returncode == 2, report(missing)
    assert "flow.yml:" in missing.stderr and "is not in the Hub cache" in missing.stderr, report(missing)
    hub_pull(jina_bin, registry, "acme/text-shout:0.1.0")
    present = run_jina(jina_bin, "flow", "--uses", str(flow_file), "--validate", "--offline", env=env)
    assert present.returncode == 0, report(present)


def test_deployment_runs_a_hub_package(jina_bin, registry, tmp_path):
    """`jina deployment` takes a Hub reference as its `uses`, pulls it and serves it behind its
    gateway; `--validate` checks the reference without any registry."""
    push(jina_bin, registry, make_package(tmp_path / "src", suffix="?"))
    port = free_port()
    deployment = tmp_path / "project" / "dep.yml"
    deployment.parent.mkdir()
    deployment.write_text(f"jtype: Deployment\nwith:\n  name: shouter\n  uses: jinaai://acme/text-shout:0.1.0\n"
                          f"  port: {port}\n")
    env = {"JINA_HUB_REGISTRY": registry.host, "JINA_HUB_INSECURE": "1"}
    # No registry is asked: one that cannot be reached does not matter.
    checked = run_jina(jina_bin, "deployment", "--uses", str(deployment), "--validate",
                       env={**env, "JINA_HUB_REGISTRY": "127.0.0.1:1"})
    assert checked.returncode == 0 and "Hub package acme/text-shout:0.1.0" in checked.stdout, report(checked)
    running = RunningFlow(jina_bin, deployment, {**PYTHON_ENV, **env}, subcommand="deployment")
    try:
        running.wait_ready()
        assert post_texts(port, "/", "hi") == ["hi?"], running.text("stderr")
    finally:
        running.kill_all()


# ---------------------------------------------------------------------------------------------
# token auth (Docker Hub, GHCR, ECR) and resumed uploads, through a front for the registry


def front_push(jina_bin, front, folder, *extra, stdin=None):
    return hub(jina_bin, "push", str(folder), "--registry", front.host, "--namespace", "acme", "--insecure",
               *extra, stdin=stdin, env={"JINA_HUB_CACHE": os.environ["JINA_HUB_CACHE"] + "-push"})


def test_bearer_token_challenge(jina_bin, registry, tmp_path):
    """A registry with a token service: the push fetches a token for `pull,push` with the user's
    Basic credentials and goes through; an anonymous pull gets a pull-only token; a push without
    credentials, or with a wrong password, is one error line and exit 1."""
    from hub_registry import BearerFront

    package = make_package(tmp_path / "src")
    with BearerFront(registry, "bob", "t0ken") as front:
        refused = front_push(jina_bin, front, package)
        assert refused.returncode == 1, report(refused)
        assert "needs credentials" in error_line(refused, front.host), report(refused)
        wrong = front_push(jina_bin, front, package, "--username", "bob", "--password-stdin", stdin="nope\n")
        assert wrong.returncode == 1, report(wrong)
        assert "refused the credentials of `bob`" in error_line(wrong, front.host), report(wrong)
        pushed = front_push(jina_bin, front, package, "--username", "bob", "--password-stdin", stdin="t0ken\n")
        assert pushed.returncode == 0, report(pushed)
        assert "repository:acme/text-shout:pull,push" in front.tokens, front.tokens
        pulled = hub(jina_bin, "pull", f"{front.host}/acme/text-shout:0.1.0", "--insecure")
        assert pulled.returncode == 0, report(pulled)
        assert digest_of(pulled.stdout.splitlines()[0]) == digest_of(pushed.stdout.strip())
        assert_same_files(package, pathlib.Path(pulled.stdout.splitlines()[1]))


@pytest.mark.parametrize("stable", [True, False], ids=["stable-upload-url", "stale-upload-url"])
def test_an_upload_cut_off_midway_is_recovered(jina_bin, registry, tmp_path, stable):
    """The first upload request of a blob breaks after half its bytes reached the registry. Where
    the upload's address stays valid, the push asks how far the registry got and sends the rest
    from there; where it went stale with the lost answer (the distribution registry itself), the
    push starts that blob's upload again. Either way the package arrives whole (oras pulls the
    same files)."""
    from hub_registry import BearerFront

    package = make_package(tmp_path / "src")
    (package / "model.bin").write_bytes(os.urandom(300_000))
    with BearerFront(registry, "bob", "t0ken", fail_first_patch=True, stable_uploads=stable) as front:
        pushed = front_push(jina_bin, front, package, "--username", "bob", "--password-stdin", stdin="t0ken\n")
        assert pushed.returncode == 0, report(pushed)
        assert not front.fail_first_patch, "the front never cut an upload"
        if stable:
            resumed = re.search(r"resuming the upload at byte (\d+)", pushed.stderr)
            assert resumed and int(resumed[1]) > 0, report(pushed)
        else:
            assert "starting the upload again" in pushed.stderr, report(pushed)
    out = tmp_path / "oras-out"
    pull(registry, registry.ref("acme/text-shout", "0.1.0"), out)
    assert_same_files(package, out / "text-shout")
