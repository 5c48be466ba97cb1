"""Across hosts (issue #17 item 3): the Kubernetes-shaped deployment — a gateway reaching its
executor's replicas through `dns://NAME:PORT`, as through a headless Service — on test hosts made
of network namespaces joined by veth pairs to a bridge, with dnsmasq answering the service name
with every replica's address. Under load from the real Jina client, one replica's host is cut off
(its link down): requests fail over, none is lost; a new replica added to DNS is found by the
gateway's next lookup; once the link is back, the cut-off replica answers again.

Only addresses inside these namespaces (10.231.x.0/24) or their loopback are used. Needs root,
iproute2 and dnsmasq (scripts/test.sh installs dnsmasq-base); a machine without them fails the
test rather than skipping it.
"""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import REPO

JINA = os.environ.get("JINA_BINARY", str(REPO / ".build" / "debug" / "jina"))
SERVICE = "encoder.jina.svc"
PORT = 8080
GATEWAY_PORT = 12345
LOAD_TIMEOUT = 120

# The load generator, run inside the gateway's namespace: sequential requests through the real
# Jina client until its stdin closes; one JSON line per request: which host answered, or the error.
LOAD = r"""
import json, sys, threading, time
from docarray import DocList
from docarray.documents import TextDoc
from jina import Client

stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
client = Client(host=f"grpc://127.0.0.1:{sys.argv[1]}")
n = 0
while not stop.is_set():
    n += 1
    started = time.monotonic()
    try:
        docs = client.post("/", inputs=DocList[TextDoc]([TextDoc(text=f"r{n}")]), return_type=DocList[TextDoc])
        text = docs[0].text or ""
        print(json.dumps({"n": n, "by": text.split("|")[-1] if "|" in text else None, "text": text,
                          "ms": round((time.monotonic() - started) * 1000)}), flush=True)
    except Exception as error:  # an in-band error reply or a transport failure: both count
        print(json.dumps({"n": n, "error": repr(error)[:300]}), flush=True)
"""


def sh(*argv, namespace=None, check=True):
    full = (["ip", "netns", "exec", namespace] if namespace else []) + list(argv)
    result = subprocess.run(full, capture_output=True, text=True, timeout=30)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(full)}: exit {result.returncode}\n{result.stderr}")
    return result


class Hosts:
    """A bridge in the gateway's namespace, and one namespace per replica host on it."""

    def __init__(self, tag: str):
        self.tag = tag
        self.gateway = f"{tag}gw"
        self.hosts: dict[str, str] = {}  # name → address
        self.processes: list[subprocess.Popen] = []
        self.netns_etc = pathlib.Path("/etc/netns") / self.gateway

    def setup(self, workdir: pathlib.Path, hosts: int):
        sh("ip", "netns", "add", self.gateway)
        sh("ip", "link", "set", "lo", "up", namespace=self.gateway)
        sh("ip", "link", "add", "br0", "type", "bridge", namespace=self.gateway)
        sh("ip", "addr", "add", "10.231.0.1/24", "dev", "br0", namespace=self.gateway)
        sh("ip", "link", "set", "br0", "up", namespace=self.gateway)
        for index in range(1, hosts + 1):
            self.add_host(index)
        # `ip netns exec` puts this file over /etc/resolv.conf: the gateway asks dnsmasq.
        self.netns_etc.mkdir(parents=True, exist_ok=True)
        (self.netns_etc / "resolv.conf").write_text("nameserver 10.231.0.1\n")
        self.hosts_file = workdir / "service-hosts"
        self.write_dns(list(self.hosts))
        self.dns_log = workdir / "dnsmasq.log"
        self.dnsmasq = self.start(self.gateway, [
            shutil.which("dnsmasq") or "/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
            f"--addn-hosts={self.hosts_file}", "--listen-address=10.231.0.1", "--bind-interfaces",
            "--local-ttl=0", "--log-queries", f"--log-facility={self.dns_log}", f"--pid-file={workdir / 'dnsmasq.pid'}",
            "--user=root"], stdout=subprocess.DEVNULL)

    def add_host(self, index: int):
        name = f"h{index}"
        namespace = f"{self.tag}{name}"
        address = f"10.231.0.{10 + index}"
        outer, inner = f"{self.tag}v{index}", f"{self.tag}e{index}"
        sh("ip", "netns", "add", namespace)
        sh("ip", "link", "set", "lo", "up", namespace=namespace)
        sh("ip", "link", "add", outer, "type", "veth", "peer", "name", inner)
        sh("ip", "link", "set", outer, "netns", self.gateway)
        sh("ip", "link", "set", inner, "netns", namespace)
        sh("ip", "link", "set", outer, "master", "br0", namespace=self.gateway)
        sh("ip", "link", "set", outer, "up", namespace=self.gateway)
        sh("ip", "addr", "add", f"{address}/24", "dev", inner, namespace=namespace)
        sh("ip", "link", "set", inner, "up", namespace=namespace)
        self.hosts[name] = address

    def link(self, name: str, up: bool):
        index = name[1:]
        sh("ip", "link", "set", f"{self.tag}e{index}", "up" if up else "down", namespace=f"{self.tag}{name}")

    def write_dns(self, names: list[str]):
        self.hosts_file.write_text("".join(f"{self.hosts[name]} {SERVICE}\n" for name in names))

    def reload_dns(self):
        self.dnsmasq.send_signal(signal.SIGHUP)  # re-reads the addn-hosts file

    def start(self, namespace, argv, **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(["ip", "netns", "exec", namespace, *argv], start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def start_executor(self, name: str) -> subprocess.Popen:
        executor = self.start(f"{self.tag}{name}", [
            JINA, "executor", "--uses", "TextAppend", "--uses-with", json.dumps({"text": f"|{name}"}),
            "--name", "encoder", "--host", self.hosts[name], "--port", str(PORT)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = executor.stdout.readline()
        assert line.startswith("ready "), f"executor on {name} did not start: {line!r}"
        return executor

    def teardown(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        for name in [self.gateway] + [f"{self.tag}{host}" for host in self.hosts]:
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
        shutil.rmtree(self.netns_etc, ignore_errors=True)


class Load:
    """The load generator's answers, read by a thread; `wait_for` blocks on a condition."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.answers: list[dict] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.answers.append(json.loads(line))
                self.changed.notify_all()
        with self.changed:
            self.answers.append({"end": True})
            self.changed.notify_all()

    def wait_for(self, what: str, predicate, timeout=LOAD_TIMEOUT) -> int:
        """Blocks until `predicate(answers since start)` holds; returns the answer count then."""
        with self.changed:
            ok = self.changed.wait_for(lambda: predicate(self.answers) or any("end" in a for a in self.answers), timeout)
            assert ok and predicate(self.answers), f"{what}: not seen in {timeout} s; last answers {self.answers[-5:]}"
            return len(self.answers)


def answered_by(answers, name, since=0):
    return sum(1 for a in answers[since:] if a.get("by") == name)


@pytest.fixture
def hosts(tmp_path):
    assert os.geteuid() == 0, "network namespaces need root"
    assert shutil.which("ip") and (shutil.which("dnsmasq") or os.path.exists("/usr/sbin/dnsmasq")), \
        "iproute2 and dnsmasq are needed: run scripts/test.sh (it installs dnsmasq-base)"
    made = Hosts(f"j{os.getpid() % 100000}")
    try:
        made.setup(tmp_path, hosts=3)
        yield made
    finally:
        made.teardown()


def test_partition_of_a_replica_host_loses_no_request(hosts, tmp_path):
    for name in ("h1", "h2", "h3"):
        hosts.start_executor(name)
    hosts.write_dns(["h1", "h2"])  # h3 joins the service later
    hosts.reload_dns()
    flow = tmp_path / "flow.yml"
    flow.write_text("jtype: Flow\nexecutors:\n  - name: encoder\n    timeout_send: 1000\n")
    gateway = hosts.start(hosts.gateway, [
        JINA, "gateway", "--uses", str(flow), "--executor", f"encoder=dns://{SERVICE}:{PORT}",
        "--host", "127.0.0.1", "--port", str(GATEWAY_PORT), "--dns-refresh", "1"],
        stdout=subprocess.PIPE, stderr=open(tmp_path / "gateway.log", "w"), text=True)
    assert gateway.stdout.readline().startswith("ready "), (tmp_path / "gateway.log").read_text()

    load = Load(hosts.start(hosts.gateway, [sys.executable, "-c", LOAD, str(GATEWAY_PORT)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "JINA_OPTOUT_TELEMETRY": "1"}))
    try:
        # Both replicas behind the name take requests.
        load.wait_for("h1 and h2 both answering", lambda a: answered_by(a, "h1") >= 5 and answered_by(a, "h2") >= 5)

        # h2's host is cut off: its requests time out (1 s) and go to h1; h1 alone answers.
        hosts.link("h2", up=False)
        cut = len(load.answers)
        load.wait_for("only h1 answering after the partition",
                      lambda a: len(a) > cut + 30 and answered_by(a, "h1", len(a) - 20) == 20)

        # A third replica joins the service: the gateway's next lookup (every second) finds it.
        hosts.write_dns(["h1", "h2", "h3"])
        hosts.reload_dns()
        joined = len(load.answers)
        load.wait_for("h3 answering once DNS lists it", lambda a: answered_by(a, "h3", joined) >= 5)

        # The link is back: h2 is probed after its pause (at most 8 s) and answers again.
        hosts.link("h2", up=True)
        healed = len(load.answers)
        load.wait_for("h2 answering again after the link is back", lambda a: answered_by(a, "h2", healed) >= 5)
    finally:
        load.process.stdin.close()
        load.process.wait(60)
    answers = [a for a in load.answers if "n" in a]
    failed = [a for a in answers if "error" in a]
    slowest = max(a.get("ms", 0) for a in answers)
    print(f"multi-host: {len(answers)} requests, {len(failed)} failed, slowest {slowest} ms, "
          f"by host { {h: answered_by(answers, h) for h in ('h1', 'h2', 'h3')} }")
    assert not failed, f"{len(failed)} of {len(answers)} requests failed: {failed[:3]}"
    assert all(a["text"] == f"r{a['n']}|{a['by']}" for a in answers)
    log = (tmp_path / "gateway.log").read_text()
    assert "10.231.0.13" in log, "the gateway never logged the address it found for h3"
    queries = hosts.dns_log.read_text()
    assert queries.count(f"query[A] {SERVICE}") >= 3, "the gateway did not look the name up again"
