"""`jina export` of Flows that use Hub packages (issue #19): no image per executor, an init step
that pulls the locked digest into a volume. The manifests are checked by kubernetes-validate and
docker-compose, and then run: each pod's init command (`jina hub pull … --output /hub/package`)
and executor command are started as local processes with `/hub` moved to a temporary folder,
and the Python Jina client sends a request through them.
"""
import os
import pathlib
import shutil
import subprocess

import yaml

from conftest import REPO, free_port, run_jina
from hub_registry import registry  # noqa: F401  (fixture)
from test_export import (PYTHON_JINA, Process, container_env, docker_compose, kubernetes_validate,  # noqa: F401
                         python_ready, rewrite)

from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from jina import Client  # noqa: E402


# A prebuilt Swift SDK executor program (serves /shout), built by `swift build --build-tests`.
SHOUT_EXECUTOR = os.environ.get("JINA_SHOUT_EXECUTOR", str(REPO / ".build" / "debug" / "shout-executor"))


def hub_env(folder: pathlib.Path) -> dict:
    """A cache and a Docker config of the test's own."""
    (folder / "docker").mkdir(parents=True, exist_ok=True)
    return {"JINA_HUB_CACHE": str(folder / "cache"), "DOCKER_CONFIG": str(folder / "docker")}


def publish(jina_bin, reg, tmp_path, env):
    """A Python package (`jina hub new`) and a program package (the shout executor), pushed."""
    made = run_jina(jina_bin, "hub", "new", "text-suffix", "--output", str(tmp_path / "text-suffix"), env=env)
    assert made.returncode == 0, made.stderr
    program = tmp_path / "shouter"
    (program / "bin").mkdir(parents=True)
    (program / "manifest.yml").write_text("name: shouter\nversion: '1.0'\nkind: program\nexecutable: bin/shout\n")
    shutil.copy(SHOUT_EXECUTOR, program / "bin" / "shout")
    for folder in (tmp_path / "text-suffix", program):
        pushed = run_jina(jina_bin, "hub", "push", str(folder), "--registry", reg.host, "--namespace", "team",
                          "--insecure", env=env)
        assert pushed.returncode == 0, pushed.stderr


def test_exports_pull_the_locked_digest_in_an_init_step_and_run(jina_bin, registry, tmp_path,  # noqa: F811
                                                                 kubernetes_validate, docker_compose):  # noqa: F811
    env = {**hub_env(tmp_path / "publisher"), "JINA_HUB_REGISTRY": registry.host, "JINA_HUB_INSECURE": "1"}
    publish(jina_bin, registry, tmp_path, env)
    project = tmp_path / "project"
    project.mkdir()
    flow = project / "flow.yml"
    flow.write_text(
        "jtype: Flow\nexecutors:\n"
        "  - name: suffix\n    uses: jinaai://team/text-suffix:0.1.0\n    replicas: 2\n"
        "  - name: shout\n    uses: jinaai://team/shouter:1.0\n"
        "  - name: image\n    uses: jinaai+docker://team/some-image:2\n")
    locked = run_jina(jina_bin, "flow", "--uses", str(flow), "--validate", "--lock", env=env)
    assert locked.returncode == 0, locked.stderr
    lock = yaml.safe_load((project / "flow.lock").read_text())["packages"]
    digests = {key.split("/")[-1].split(":")[0]: entry["digest"] for key, entry in lock.items()}
    assert set(digests) == {"text-suffix", "shouter"}

    # Offline: the lock and the cache are enough.
    out = tmp_path / "k8s"
    exported = run_jina(jina_bin, "export", "kubernetes", str(flow), str(out), "--offline", env=env)
    assert exported.returncode == 0, exported.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Dockerfile.jina-python", "gateway.yml", "image.yml",
                                                     "shout.yml", "suffix.yml"]
    for version in ([], ["-k", "1.29.0"]):
        checked = subprocess.run([kubernetes_validate, "--strict", *version, *map(str, sorted(out.glob("*.yml")))],
                                 capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "jina==3.34.0" in (out / "Dockerfile.jina-python").read_text()

    pods = {}
    for name in ("suffix", "shout", "image"):
        deployment = next(d for d in yaml.safe_load_all((out / f"{name}.yml").read_text())
                          if d and d["kind"] == "Deployment")
        pods[name] = deployment["spec"]["template"]["spec"]
    image = pods["image"]["containers"][0]
    assert image["image"] == f"{registry.host}/team/some-image:2" and "command" not in image
    assert "initContainers" not in pods["image"]
    for name, package in (("suffix", "text-suffix"), ("shout", "shouter")):
        init = pods[name]["initContainers"][0]
        assert init["command"] == ["jina", "hub", "pull", f"{registry.host}/team/{package}@{digests[package]}",
                                   "--output", "/hub/package"]
        assert init["image"] == "jina:0.1.0"
        assert {"name": "hub", "emptyDir": {}} in pods[name]["volumes"]
        mounts = pods[name]["containers"][0]["volumeMounts"]
        assert {"name": "hub", "mountPath": "/hub", "readOnly": True} in mounts
    suffix, shout = pods["suffix"]["containers"][0], pods["shout"]["containers"][0]
    assert suffix["image"] == "jina-python:0.1.0" and "command" not in suffix
    assert suffix["args"][:3] == ["executor", "--uses", "/hub/package/config.yml"]
    assert shout["image"] == "jina:0.1.0" and shout["command"] == ["/hub/package/bin/shout"]

    # Compose: a pull service per executor, a named volume, executors waiting for the pull.
    compose_file = tmp_path / "compose" / "docker-compose.yml"
    compose_file.parent.mkdir()
    exported = run_jina(jina_bin, "export", "docker-compose", str(flow), str(compose_file), "--offline", env=env)
    assert exported.returncode == 0, exported.stderr
    checked = subprocess.run([docker_compose, "-f", str(compose_file), "config"], capture_output=True, text=True,
                             timeout=60, cwd=compose_file.parent)
    assert checked.returncode == 0, checked.stderr
    compose = yaml.safe_load(checked.stdout)
    assert compose["services"]["suffix-hub-pull"]["entrypoint"][-1] == "/hub/package"
    for service in ("suffix-rep-0", "suffix-rep-1"):
        assert compose["services"][service]["depends_on"]["suffix-hub-pull"]["condition"] == "service_completed_successfully"
    assert "suffix-hub" in compose["volumes"] and "shout-hub" in compose["volumes"]

    # Run the pods: the init step pulls (into a fresh cache), then the executor starts from /hub.
    processes = []
    try:
        ports = {}
        for name in ("suffix", "shout"):
            hub = tmp_path / f"hub-{name}"
            init = pods[name]["initContainers"][0]["command"]
            pull_env = {**hub_env(tmp_path / f"node-{name}"), "JINA_HUB_INSECURE": "1"}
            for _ in range(2):  # a restarted init step finds its files in place and succeeds again
                pulled = run_jina(jina_bin, *[arg.replace("/hub", str(hub)) for arg in init[1:]], env=pull_env)
                assert pulled.returncode == 0, pulled.stderr
            container = pods[name]["containers"][0]
            ports[name] = free_port()
            args = rewrite(container["args"], {"--port": lambda _, name=name: str(ports[name]),
                                               "--host": lambda _: "127.0.0.1"})
            args = [arg.replace("/hub", str(hub)) for arg in args]
            run_env = container_env(container, {})
            if "command" in container:
                processes.append(Process([container["command"][0].replace("/hub", str(hub)), *args], run_env))
            else:
                processes.append(Process([PYTHON_JINA, *args], run_env, ready=python_ready(ports[name])))
        # A gateway in front of the two (external executors of a Flow), answering the real client.
        gateway_port = free_port()
        chain = tmp_path / "chain.yml"
        chain.write_text(
            f"jtype: Flow\nwith:\n  port: {gateway_port}\nexecutors:\n"
            f"  - name: suffix\n    external: true\n    host: 127.0.0.1\n    port: {ports['suffix']}\n"
            f"  - name: shout\n    external: true\n    host: 127.0.0.1\n    port: {ports['shout']}\n")
        gateway = Process([jina_bin, "gateway", "--uses", str(chain)], dict(os.environ), ready_lines=1)
        processes.append(gateway)
        docs = Client(host=f"grpc://127.0.0.1:{gateway_port}").post(
            "/shout", inputs=DocList[TextDoc]([TextDoc(text="hi")]), return_type=DocList[TextDoc])
        assert docs.text == ["HI!!"]
    finally:
        for process in reversed(processes):
            process.stop()


def test_exporting_without_the_package_offline_names_it(jina_bin, tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "flow.yml").write_text("jtype: Flow\nexecutors:\n  - uses: jinaai://team/missing:1\n")
    env = {**hub_env(tmp_path), "JINA_HUB_REGISTRY": "127.0.0.1:1"}
    result = run_jina(jina_bin, "export", "kubernetes", str(project / "flow.yml"), str(tmp_path / "out"), "--offline",
                      env=env)
    assert result.returncode == 1, result.stderr
    assert "127.0.0.1:1/team/missing:1" in result.stderr and "--offline" in result.stderr
    assert not (tmp_path / "out").exists()
