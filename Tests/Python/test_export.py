"""`jina export` checked by real tools and by running what it wrote.

* kubernetes-validate --strict, against the schemas of Kubernetes 1.29 and the newest it ships,
  for every example Flow (own venv: it needs a newer jsonschema than the reference venv);
* docker-compose 1.29.2 `config` for every compose file (own venv: PyYAML 5.4.1, old requests);
* PyYAML reads every emitted file back with the types the Swift side meant;
* the run-the-export test: the manifests are read, every container's command line is started
  as a local process of the built binary (container ports mapped to free loopback ports, Service
  names resolved through the Services' selectors to those ports — only addresses, ports and the
  mounted Flow path are rewritten), and the Python Jina client sends a request through the
  exported gateway to the exported executors.

scripts/test.sh exports KUBERNETES_VALIDATE and DOCKER_COMPOSE (scripts/export-validators-venv.sh).
"""
import contextlib
import os
import pathlib
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request

import pytest
import yaml

from conftest import REPO, free_port, run_jina

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents.legacy import LegacyDocument  # noqa: E402
from jina import Client  # noqa: E402

EXAMPLES = sorted((REPO / "flows").glob("*.yml")) + sorted((REPO / "Tests" / "JinaExportTests" / "Flows").glob("*.yml"))
IDS = [path.stem for path in EXAMPLES]
OLDEST_K8S = "1.29.0"
READY_TIMEOUT = 30
# Variables the examples read; exports run without them so that the defaults apply.
FLOW_VARIABLES = ("JINA_PORT", "SUFFIX", "REPLICAS", "ENCODER_HOST", "ENCODER_PORT")


def export_env(extra=None):
    env = {key: value for key, value in os.environ.items() if key not in FLOW_VARIABLES}
    env.update(extra or {})
    return env


def export_kubernetes(jina_bin, flow, out_dir, *flags, env=None):
    result = subprocess.run([jina_bin, "export", "kubernetes", str(flow), str(out_dir), *flags],
                            capture_output=True, text=True, cwd=REPO, env=export_env(env), timeout=60)
    assert result.returncode == 0, result.stderr
    return sorted(pathlib.Path(out_dir).glob("*.yml"))


def export_compose(jina_bin, flow, out_file, env=None):
    result = subprocess.run([jina_bin, "export", "docker-compose", str(flow), str(out_file)],
                            capture_output=True, text=True, cwd=REPO, env=export_env(env), timeout=60)
    assert result.returncode == 0, result.stderr
    return pathlib.Path(out_file)


def tool(variable, venv_name, program):
    path = os.environ.get(variable) or str(pathlib.Path.home() / ".cache" / venv_name / "bin" / program)
    if not os.access(path, os.X_OK):
        pytest.fail(f"{program} not found at {path}: run scripts/export-validators-venv.sh (scripts/test.sh does)")
    return path


@pytest.fixture(scope="session")
def kubernetes_validate():
    return tool("KUBERNETES_VALIDATE", "jina-kubernetes-validate-venv", "kubernetes-validate")


@pytest.fixture(scope="session")
def docker_compose():
    return tool("DOCKER_COMPOSE", "jina-docker-compose-venv", "docker-compose")


# ---------------------------------------------------------------------------------------------
# Kubernetes: strict schema validation


@pytest.mark.parametrize("flow", EXAMPLES, ids=IDS)
def test_kubernetes_manifests_validate_strictly(jina_bin, kubernetes_validate, flow, tmp_path):
    files = export_kubernetes(jina_bin, flow, tmp_path / "k8s")
    assert (tmp_path / "k8s" / "gateway.yml") in files
    for version in (OLDEST_K8S, None):
        argv = [kubernetes_validate, "--strict", *(["-k", version] if version else []), *map(str, files)]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=300)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "ERROR" not in output and "INVALID" not in output.upper(), output
        # The only thing skipped may be the Prometheus operator's CRD.
        for line in output.splitlines():
            if "WARN" in line:
                assert "ServiceMonitor" in line, line
        validated = len(re.findall(r"(?im)\bpassed\b", output))
        documents = sum(1 for path in files for doc in yaml.safe_load_all(path.read_text())
                        if doc and doc["kind"] != "ServiceMonitor")
        assert validated == documents, output


def load_manifests(directory):
    documents = []
    for path in sorted(pathlib.Path(directory).glob("*.yml")):
        documents += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return documents


@pytest.mark.parametrize("flow", EXAMPLES, ids=IDS)
def test_kubernetes_shape(jina_bin, flow, tmp_path):
    """Headless executor Services, probes on the gRPC health service, every string typed as a string."""
    export_kubernetes(jina_bin, flow, tmp_path)
    documents = load_manifests(tmp_path)
    for service in (d for d in documents if d["kind"] == "Service"):
        component = service["metadata"]["labels"]["app.kubernetes.io/component"]
        assert (service["spec"].get("clusterIP") == "None") == (component == "executor"), service
    for deployment in (d for d in documents if d["kind"] == "Deployment"):
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert all(isinstance(arg, str) for arg in container["args"]), container["args"]
        assert all(isinstance(label, str) for label in deployment["metadata"]["labels"].values())
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert probe in container
        if container["name"] == "executor":
            assert container["readinessProbe"]["grpc"] == {"port": 8080}
    for config_map in (d for d in documents if d["kind"] == "ConfigMap"):
        assert all(isinstance(value, str) for value in config_map["data"].values())


def test_kubernetes_features(jina_bin, tmp_path):
    flow = REPO / "Tests" / "JinaExportTests" / "Flows" / "kubernetes-features.yml"
    export_kubernetes(jina_bin, flow, tmp_path, "--gateway-service-type", "LoadBalancer", "--image", "me/jina:1")
    documents = load_manifests(tmp_path)
    kinds = [(d["kind"], d["metadata"]["name"]) for d in documents]
    assert ("Namespace", "shop-search") in kinds
    assert all(d["metadata"].get("namespace") == "shop-search" for d in documents if d["kind"] != "Namespace")
    deployments = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Deployment"}
    assert set(deployments) == {"encoder-gpu", "filter-0", "filter-1", "filter-2", "audit", "gateway"}
    encoder = deployments["encoder-gpu"]["spec"]["template"]["spec"]
    container = encoder["containers"][0]
    assert container["image"] == "registry.example.com/team/encoder:1.2" and "command" not in container
    assert container["resources"]["limits"] == {"nvidia.com/gpu": 1}
    assert encoder["imagePullSecrets"] == [{"name": "regcred"}]
    assert {"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf", "key": "token"}}} in container["env"]
    assert container["startupProbe"]["failureThreshold"] * container["startupProbe"]["periodSeconds"] == 120
    assert ["--monitoring", "--port-monitoring", "9090"] == container["args"][-3:]
    gateway = deployments["gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["image"] == "me/jina:1"
    executors = [gateway["args"][i + 1] for i, arg in enumerate(gateway["args"]) if arg == "--executor"]
    assert executors == ["Encoder_GPU=dns://encoder-gpu.shop-search.svc:8080",
                         "filter/0=dns://filter-0.shop-search.svc:8080", "filter/1=dns://filter-1.shop-search.svc:8080",
                         "filter/2=dns://filter-2.shop-search.svc:8080", "audit=dns://audit.shop-search.svc:8080",
                         "remote=grpcs://search.example.com:443"]
    services = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Service"}
    assert services["gateway-grpc"]["spec"]["type"] == "LoadBalancer"
    assert services["gateway-http"]["spec"]["ports"][0]["port"] == 8444
    flow_yaml = yaml.safe_load(next(d for d in documents if d["metadata"]["name"] == "gateway-flow")["data"]["flow.yml"])
    # TLS and tokens: flags pointing into the Secrets' mounts, not the exporting machine's paths.
    assert not {"ssl_certfile", "ssl_keyfile", "token_file"} & set(flow_yaml["gateway"])
    args = " ".join(gateway["args"])
    assert "--ssl-certfile /etc/jina/tls/tls.crt --ssl-keyfile /etc/jina/tls/tls.key" in args
    assert "--token-file /etc/jina/auth/tokens" in args
    mounts = {m["mountPath"]: m["name"] for m in gateway["volumeMounts"]}
    volumes = {v["name"]: v for v in deployments["gateway"]["spec"]["template"]["spec"]["volumes"]}
    assert volumes[mounts["/etc/jina/tls"]]["secret"]["secretName"] == "gateway-tls"
    assert volumes[mounts["/etc/jina/auth"]]["secret"]["secretName"] == "gateway-token"
    assert gateway["readinessProbe"] == {"tcpSocket": {"port": 8443}, "periodSeconds": 5, "timeoutSeconds": 3,
                                         "failureThreshold": 2}
    assert flow_yaml["executors"][1]["uses_with"] == {"text": "on"}
    monitors = [d for d in documents if d["kind"] == "ServiceMonitor"]
    assert sorted(m["metadata"]["name"] for m in monitors) == ["encoder-gpu", "gateway"]
    assert all(m["spec"]["endpoints"] == [{"port": "monitoring", "path": "/metrics", "interval": "15s"}] for m in monitors)


def test_program_executors_are_refused(jina_bin, tmp_path):
    flow = tmp_path / "flow.yml"
    flow.write_text("jtype: Flow\nexecutors:\n  - name: mine\n    uses: ./my-executor\n")
    result = run_jina(jina_bin, "export", "kubernetes", str(flow), str(tmp_path / "out"))
    assert result.returncode == 2
    assert "docker://" in result.stderr


# ---------------------------------------------------------------------------------------------
# docker-compose


@pytest.mark.parametrize("flow", EXAMPLES, ids=IDS)
def test_compose_config_accepts_the_file(jina_bin, docker_compose, flow, tmp_path):
    compose_file = export_compose(jina_bin, flow, tmp_path / "docker-compose.yml")
    assert (tmp_path / "docker-compose.flow.yml").exists()
    written = yaml.safe_load(compose_file.read_text())
    assert "version" not in written
    result = subprocess.run([docker_compose, "-f", str(compose_file), "config"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "is not set" not in result.stderr, result.stderr
    resolved = yaml.safe_load(result.stdout)
    for name, service in written["services"].items():
        # Interpolation left every command and variable as written (`config` prints the
        # resolved file, escaping `$` again): nothing was substituted or blanked.
        assert resolved["services"][name]["command"] == service["command"], name
        if "environment" in service:
            assert resolved["services"][name]["environment"] == service["environment"], name
    depends = resolved["services"]["gateway"].get("depends_on", {})
    assert all(value == {"condition": "service_healthy"} for value in depends.values())
    assert set(depends) == set(written["services"]) - {"gateway"}
    published = [port["published"] for service in resolved["services"].values() for port in service.get("ports", [])]
    assert len(published) == len(set(published)), published


def test_compose_escapes_dollars(jina_bin, docker_compose, tmp_path):
    flow = REPO / "Tests" / "JinaExportTests" / "Flows" / "kubernetes-features.yml"
    compose_file = export_compose(jina_bin, flow, tmp_path / "compose.yml")
    result = subprocess.run([docker_compose, "-f", str(compose_file), "config"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "is not set" not in result.stderr, result.stderr
    # Written `$$` (compose's escape for `$`), and still `$$` in the resolved file: compose
    # substituted nothing, so the container gets a single `$`.
    written = yaml.safe_load(compose_file.read_text())["services"]["encoder-gpu"]
    assert written["environment"]["DOLLAR"] == "costs $$HOME $${PATH}"
    resolved = yaml.safe_load(result.stdout)
    encoder = resolved["services"]["encoder-gpu"]
    assert encoder["environment"]["DOLLAR"] == "costs $$HOME $${PATH}"
    assert '{"model":"small","price":"$$5"}' in encoder["command"]
    assert len([name for name in resolved["services"] if name.startswith("filter-")]) == 3


# ---------------------------------------------------------------------------------------------
# Running the export


class Process:
    """One container's command line as a local process; waits for its `ready` line(s), or for
    `ready()` (a Python Jina executor prints none)."""

    def __init__(self, argv, env, ready_lines=1, cwd=None, ready=None):
        self.argv = argv
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE if ready is None else subprocess.DEVNULL,
                                     stderr=self.stderr, text=True, env=env, start_new_session=True, cwd=cwd)
        if ready is not None and not ready():
            self.stop()
            self.stderr.seek(0)
            raise AssertionError(f"{argv}: never became ready; stderr:\n{self.stderr.read()}")
        for _ in range(ready_lines if ready is None else 0):
            readable, _, _ = select.select([self.proc.stdout], [], [], READY_TIMEOUT)
            line = self.proc.stdout.readline().strip() if readable else ""
            if not line.startswith("ready "):
                self.stop()
                self.stderr.seek(0)
                raise AssertionError(f"{argv}: no ready line (got {line!r}); stderr:\n{self.stderr.read()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def rewrite(args, replacements):
    """`--flag VALUE` pairs with VALUE replaced where `replacements[flag]` says so."""
    result = []
    index = 0
    while index < len(args):
        arg = args[index]
        result.append(arg)
        if arg in replacements and index + 1 < len(args):
            result.append(replacements[arg](args[index + 1]))
            index += 1
        index += 1
    return result


def container_env(container, config_maps):
    env = dict(os.environ)
    for source in container.get("envFrom", []):
        env.update(config_maps[source["configMapRef"]["name"]]["data"])
    for variable in container.get("env", []):
        if "value" in variable:
            env[variable["name"]] = variable["value"]
    return env


def selects(selector, labels):
    return all(labels.get(key) == value for key, value in selector.items())


RUNS = {
    # flow: (documents to send, texts expected back)
    "hello": ([LegacyDocument(text="")], ["hello, world!hello, world!"]),
    "dag": ([LegacyDocument(text="x")], ["x|S|R|M"]),
    "conditions": ([LegacyDocument(text="", tags={"category": "A"}), LegacyDocument(text="", tags={"category": "B"})],
                   ["|A", "|B"]),
    "env": ([LegacyDocument(text="x")], ["x(from env.yml)"]),  # the default loses its surrounding spaces
    "replicas-shards": ([LegacyDocument(text="x")], ["x|encoded"]),
    "multi-protocol": ([LegacyDocument(text="")], ["hello, world!"]),
    "external": ([LegacyDocument(text="x")], ["x (prepared)|ext"]),
    "executor-config": ([LegacyDocument(text="x")], ["x (flow)"]),
    "monitoring": ([LegacyDocument(text="x")], ["x!"]),
    "python-executors": ([LegacyDocument(text="x")], ["x+py+yml!"]),
}
# Endpoints other than "/" (the Python executors bind `/text`).
ENDPOINTS = {"python-executors": "/text"}
# Python Jina's own command line, which the images of Python executors run.
PYTHON_JINA = str(pathlib.Path(sys.executable).parent / "jina")


def python_image_files(k8s_dir, image, flow, tmp_path):
    """The files a Python executor's image holds under /app, copied as its Dockerfile says
    (from the Flow's folder, the build context) into a folder that stands for /app."""
    name = image.split("/")[-1].split(":")[0][len("jina-executor-"):]
    app = tmp_path / f"app-{name}"
    for line in (k8s_dir / f"Dockerfile.{name}").read_text().splitlines():
        if line.startswith("COPY ") and " /app/" in line:
            source, target = line.split()[1:3]
            destination = app / target[len("/app/"):]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(flow.parent / source, destination)
    return app


def python_ready(port):
    """A gRPC health check that waits for the executor's port (gRPC's wait_for_ready: the call
    waits while the channel connects, no polling here)."""
    def ready():
        import grpc
        from grpc_health.v1 import health_pb2, health_pb2_grpc
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            try:
                reply = health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=READY_TIMEOUT * 4, wait_for_ready=True)
            except grpc.RpcError:
                return False
            return reply.status == health_pb2.HealthCheckResponse.SERVING
    return ready


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_exported_flow_runs(jina_bin, name, tmp_path):
    flow = next(path for path in EXAMPLES if path.stem == name)
    processes = []
    try:
        env = {}
        if name == "external":
            # The external executor the Flow names, started on a free port given at export time.
            port = free_port()
            external = [jina_bin, "executor", "--uses", "TextAppend", "--uses-with", '{"text":"|ext"}',
                        "--host", "127.0.0.1", "--port", str(port)]
            processes.append(Process(external, dict(os.environ)))
            env = {"ENCODER_PORT": str(port)}
        export_kubernetes(jina_bin, flow, tmp_path / "k8s", env=env)
        documents = load_manifests(tmp_path / "k8s")
        config_maps = {d["metadata"]["name"]: d for d in documents if d["kind"] == "ConfigMap"}
        services = [d for d in documents if d["kind"] == "Service"]
        deployments = [d for d in documents if d["kind"] == "Deployment"]
        namespace = deployments[0]["metadata"]["namespace"]

        # Every executor pod (replicas of each Deployment), each on its own loopback port.
        pods = []  # (labels, {container port: local port})
        for deployment in (d for d in deployments if d["metadata"]["name"] != "gateway"):
            template = deployment["spec"]["template"]
            assert selects(deployment["spec"]["selector"]["matchLabels"], template["metadata"]["labels"])
            container = template["spec"]["containers"][0]
            for _ in range(deployment["spec"]["replicas"]):
                ports = {}

                def mapped(value, ports=ports):
                    ports[int(value)] = free_port()
                    return str(ports[int(value)])

                args = rewrite(container["args"], {"--port": mapped, "--port-monitoring": mapped,
                                                   "--host": lambda _: "127.0.0.1"})
                if "command" not in container and container["image"].split("/")[-1].startswith("jina-executor-"):
                    # A Python executor's image: Python Jina's CLI in /app with the copied files.
                    app = python_image_files(tmp_path / "k8s", container["image"], flow, tmp_path)
                    processes.append(Process([PYTHON_JINA, *args], container_env(container, config_maps), cwd=app,
                                             ready=python_ready(ports[8080])))
                else:
                    argv = [jina_bin if container["command"] == ["jina"] else container["command"][0], *args]
                    processes.append(Process(argv, container_env(container, config_maps)))
                named = {port["name"]: ports[port["containerPort"]] for port in container["ports"]}
                pods.append((template["metadata"]["labels"], named))

        def resolve(address):
            """`NAME=dns://SVC.NS.svc:PORT` → the pods behind that Service, as grpc:// addresses."""
            key, target = address.split("=", 1)
            if target.startswith("grpc://"):
                return address  # an external executor, reached where the Flow says
            match = re.fullmatch(r"dns://([a-z0-9-]+)\.([a-z0-9-]+)\.svc:(\d+)", target)
            assert match, target
            service = next(s for s in services if s["metadata"]["name"] == match[1])
            assert match[2] == namespace == service["metadata"]["namespace"]
            assert service["spec"]["clusterIP"] == "None"
            port = next(p for p in service["spec"]["ports"] if p["port"] == int(match[3]))
            selected = [ports for labels, ports in pods if selects(service["spec"]["selector"], labels)]
            assert selected, f"service {match[1]} selects no pod"
            return key + "=" + ",".join(f"grpc://127.0.0.1:{ports[port['targetPort']]}" for ports in selected)

        gateway = next(d for d in deployments if d["metadata"]["name"] == "gateway")
        pod = gateway["spec"]["template"]["spec"]
        container = pod["containers"][0]
        # The mounted Flow: the ConfigMap behind the volume mounted at the --uses path.
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        volumes = {v["name"]: v for v in pod["volumes"]}

        def mounted(path):
            directory, file_name = path.rsplit("/", 1)
            config_map = config_maps[volumes[mounts[directory]]["configMap"]["name"]]
            local = tmp_path / file_name
            local.write_text(config_map["data"][file_name])
            return str(local)

        gateway_ports = {}

        def map_port(value):
            gateway_ports[int(value)] = free_port()
            return str(gateway_ports[int(value)])

        args = rewrite(container["args"], {"--uses": mounted, "--executor": resolve, "--port": map_port,
                                           "--port-monitoring": map_port, "--host": lambda _: "127.0.0.1"})
        grpc_service = next(s for s in services if s["metadata"]["name"] == "gateway-grpc")
        assert selects(grpc_service["spec"]["selector"], pod.get("labels", gateway["spec"]["template"]["metadata"]["labels"]))
        grpc_port = gateway_ports[grpc_service["spec"]["ports"][0]["port"]]
        processes.append(Process([jina_bin, *args], container_env(container, config_maps), ready_lines=1))

        inputs, expected = RUNS[name]
        client = Client(host=f"grpc://127.0.0.1:{grpc_port}")
        docs = client.post(ENDPOINTS.get(name, "/"), DocList[LegacyDocument](inputs),
                           return_type=DocList[LegacyDocument])
        assert sorted(doc.text for doc in docs) == sorted(expected)

        # Every ServiceMonitor's port and path reach a metrics endpoint of every pod it selects.
        gateway_labels = gateway["spec"]["template"]["metadata"]["labels"]
        named_gateway = {p["name"]: gateway_ports[p["containerPort"]] for p in container["ports"]}
        all_pods = pods + [(gateway_labels, named_gateway)]
        monitors = [d for d in documents if d["kind"] == "ServiceMonitor"]
        assert bool(monitors) == (name in ("monitoring", "python-executors"))
        for monitor in monitors:
            endpoint = monitor["spec"]["endpoints"][0]
            chosen = [s for s in services if selects(monitor["spec"]["selector"]["matchLabels"], s["metadata"]["labels"])
                      and any(p["name"] == endpoint["port"] for p in s["spec"]["ports"])]
            assert chosen, monitor["metadata"]["name"]
            for service in chosen:
                target = next(p for p in service["spec"]["ports"] if p["name"] == endpoint["port"])["targetPort"]
                scraped = [ports[target] for labels, ports in all_pods if selects(service["spec"]["selector"], labels)]
                assert scraped
                for port in scraped:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{endpoint['path']}", timeout=10) as reply:
                        assert reply.status == 200
                        assert "jina_" in reply.read().decode()
    finally:
        for process in reversed(processes):
            process.stop()


# ---------------------------------------------------------------------------------------------
# The YAML emitter, read back by PyYAML


TRICKY = ["yes", "no", "on", "Off", "y", "n", "true", "null", "~", "", "1", "-1", "1.5", "1e3", "1.0e+3", ".5",
          "0x1F", "010", "0o17", "0b11", "1:30", "1_000", ".inf", ".nan", "=", "<<", "2024-01-31",
          "2001-12-14t21:59:43.10-05:00", ": x", "a: b", "#c", "x #c", "- x", "-", "*a", "&a", "!t", "%x", "@x",
          "`x`", "{a}", "[a]", "'q'", '"dq"', "trailing ", " leading", "two\nlines", "ünï ✓", "$eq", "100m"]


def test_pyyaml_reads_back_every_string(jina_bin, tmp_path):
    env = "\n".join(f"    V{index}: {json_quote(value)}" for index, value in enumerate(TRICKY))
    flow = tmp_path / "flow.yml"
    flow.write_text(f"jtype: Flow\nwith:\n  env:\n{env}\nexecutors:\n  - name: e\n    uses: TextAppend\n"
                    f"    uses_with:\n      text: {json_quote(TRICKY[0])}\n")
    export_kubernetes(jina_bin, flow, tmp_path / "k8s")
    documents = load_manifests(tmp_path / "k8s")
    data = next(d for d in documents if d["metadata"]["name"] == "e-env")["data"]
    assert data == {f"V{index}": value for index, value in enumerate(TRICKY)}
    copy = yaml.safe_load(next(d for d in documents if d["metadata"]["name"] == "gateway-flow")["data"]["flow.yml"])
    assert copy["with"]["env"] == data
    assert copy["executors"][0]["uses_with"] == {"text": "yes"}


def json_quote(value):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    import json
    return json.dumps(value, ensure_ascii=False)


COMPOSE_RUNS = ["hello", "conditions", "replicas-shards", "monitoring"]


@pytest.mark.parametrize("name", COMPOSE_RUNS)
def test_the_exported_compose_file_runs(jina_bin, name, tmp_path):
    """Every compose service's entrypoint + command as a local process (service names and
    container ports mapped to loopback ports), its healthcheck command run against it, and a
    request through the gateway."""
    flow = next(path for path in EXAMPLES if path.stem == name)
    compose_file = export_compose(jina_bin, flow, tmp_path / "docker-compose.yml")
    services = yaml.safe_load(compose_file.read_text())["services"]
    processes = []
    try:
        local_ports = {}  # service → {container port: local port}

        def start(service_name, extra=None):
            service = services[service_name]
            ports = local_ports.setdefault(service_name, {})

            def mapped(value):
                ports[int(value)] = free_port()
                return str(ports[int(value)])

            replacements = {"--port": mapped, "--port-monitoring": mapped, "--host": lambda _: "127.0.0.1"}
            replacements.update(extra or {})
            command = [arg.replace("$$", "$") for arg in service["command"]]
            assert service["entrypoint"] == ["jina"]
            env = dict(os.environ)
            env.update({key: value.replace("$$", "$") for key, value in service.get("environment", {}).items()})
            processes.append(Process([jina_bin, *rewrite(command, replacements)], env))
            # The healthcheck, as compose would run it inside the container.
            test = service["healthcheck"]["test"]
            assert test[0] == "CMD" and test[1] in ("jina", "bash"), test
            # `jina ping …` (the image's binary is the one built here), or bash's /dev/tcp check
            # for a TLS gateway; either way the container port becomes its loopback port.
            probe = [re.sub(r"127\.0\.0\.1([:/])(\d+)", lambda m: f"127.0.0.1{m[1]}{ports[int(m[2])]}", arg)
                     for arg in test[2:]]
            program = jina_bin if test[1] == "jina" else "bash"
            assert subprocess.run([program, *probe], capture_output=True, timeout=30).returncode == 0, probe

        for service_name in services:
            if service_name != "gateway":
                start(service_name)

        def resolve(value):
            key, addresses = value.split("=", 1)
            local = []
            for address in addresses.split(","):
                match = re.fullmatch(r"grpc://([a-z0-9-]+):(\d+)", address)
                assert match and match[1] in services, address
                local.append(f"grpc://127.0.0.1:{local_ports[match[1]][int(match[2])]}")
            return key + "=" + ",".join(local)

        gateway = services["gateway"]
        source, target = gateway["volumes"][0].split(":")[:2]

        def mounted(path):
            assert path == target
            return str(compose_file.parent / source)

        start("gateway", {"--uses": mounted, "--executor": resolve})
        published = [int(mapping.split(":")[0]) for mapping in gateway["ports"]]
        assert published == list(local_ports["gateway"])[:len(published)]
        inputs, expected = RUNS[name]
        client = Client(host=f"grpc://127.0.0.1:{local_ports['gateway'][published[0]]}")
        docs = client.post("/", DocList[LegacyDocument](inputs), return_type=DocList[LegacyDocument])
        assert sorted(doc.text for doc in docs) == sorted(expected)
    finally:
        for process in reversed(processes):
            process.stop()


# ---------------------------------------------------------------------------------------------
# Python executors: a Dockerfile per executor, the image it names


def test_python_executors_get_a_dockerfile_and_their_image(jina_bin, tmp_path):
    flow = next(path for path in EXAMPLES if path.stem == "python-executors")
    export_kubernetes(jina_bin, flow, tmp_path / "k8s", "--image-prefix", "registry.example.com/shop/")
    documents = load_manifests(tmp_path / "k8s")
    images = {d["metadata"]["name"]: d["spec"]["template"]["spec"]["containers"][0]["image"]
              for d in documents if d["kind"] == "Deployment"}
    version = images["gateway"].split(":")[-1]
    assert images["tagger"] == f"registry.example.com/shop/jina-executor-tagger:{version}"
    assert images["from-yaml-0"] == images["from-yaml-1"] == f"registry.example.com/shop/jina-executor-from-yaml:{version}"
    assert not images["bang"].startswith("registry.example.com/")  # built-ins keep the jina image
    pins = dict(line.split("==") for line in (REPO.parent / "shared" / "bench" / "reference-requirements.txt")
                .read_text().split() if "==" in line) if (REPO.parent / "shared").is_dir() else {}
    for name, sources in (("tagger", ["python/executors.py"]), ("from-yaml", ["python/tagger.yml", "python/executors.py"])):
        text = (tmp_path / "k8s" / f"Dockerfile.{name}").read_text()
        assert f"-t registry.example.com/shop/jina-executor-{name}:{version}" in text
        assert text.splitlines()[2].startswith("FROM python:3.")
        assert "jina==3.34.0" in text and "prometheus_client==0.21.1" in text and "starlette==0.45.3" in text
        for package, pinned in pins.items():
            assert f"{package}=={pinned}" in text
        # The executor's requirements.txt, then its files, copied from the Flow's folder.
        assert "COPY python/requirements.txt /tmp/requirements.txt" in text
        copied = [line.split()[1] for line in text.splitlines() if line.startswith("COPY ") and "/app/" in line]
        assert copied == sources
        for source in copied:
            assert (flow.parent / source).is_file()
        assert text.rstrip().endswith('ENTRYPOINT ["jina"]')
    # Files outside the Flow's folder cannot be in the build context.
    outside = tmp_path / "flows" / "outside.yml"
    outside.parent.mkdir()
    (tmp_path / "mod.py").write_text("class X: pass\n")
    outside.write_text("jtype: Flow\nexecutors:\n  - uses: X\n    py_modules: ../mod.py\n")
    result = run_jina(jina_bin, "export", "kubernetes", str(outside), str(tmp_path / "out"))
    assert result.returncode == 2
    assert "is outside the Flow's folder, which is the image's build context" in result.stderr
