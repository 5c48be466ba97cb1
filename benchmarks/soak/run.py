"""The soak (issue #17 item 5): mixed gRPC, HTTP and WebSocket load from the real Jina client
through a Flow with replicas and shards, one executor replica SIGKILLed every minute, for
DURATION seconds. Writes into OUT:

* requests.csv   time_s, protocol, latency_ms, ok, error   (one row per request)
* rss.csv        time_s, process, pid, rss_mib             (every 5 s: the jina flow process —
                 which holds the gateway — and each executor replica by name/replica/shard)
* kills.csv      time_s, process, pid
* summary.json   totals, failures, p99 per minute, RSS growth of every process after warm-up

    python run.py JINA_BINARY FLOW_YML PORT_GRPC PORT_HTTP PORT_WS DURATION OUT

Nothing sleeps to wait for readiness: the Flow is ready when it prints its `ready` lines. The
samplers and the killer tick on a monotonic schedule (Event.wait with a deadline).
"""
import csv
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

from docarray import DocList
from docarray.documents import TextDoc
from jina import Client

WARM_UP_S = 120
KILL_EVERY_S = 60
SAMPLE_EVERY_S = 5


def children(pid):
    """Children of every thread of `pid` (a thread's `children` lists only those it started)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(p) for p in handle.read().split()]
        except OSError:
            pass
    return found


def descendants(pid):
    found = []
    for child in children(pid):
        found.append(child)
        found += descendants(child)
    return found


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().split(b"\0")[:-1]
    except OSError:
        return []


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def replicas(flow_pid):
    """Executor replica processes under `jina flow`: {"exec1/rep-0": pid, …}."""
    found = {}
    for pid in descendants(flow_pid):
        args = [a.decode(errors="replace") for a in cmdline(pid)]
        if "--name" not in args or "--replica-id" not in args:
            continue
        name = args[args.index("--name") + 1] + "/rep-" + args[args.index("--replica-id") + 1]
        if "--shard-id" in args:
            name = args[args.index("--name") + 1] + "/shard-" + args[args.index("--shard-id") + 1] + "/rep-" + \
                args[args.index("--replica-id") + 1]
        found[name] = pid
    return found


def main():
    binary, flow, port_grpc, port_http, port_ws, duration, out = sys.argv[1:8]
    duration = float(duration)
    os.makedirs(out, exist_ok=True)
    proc = subprocess.Popen([binary, "flow", "--uses", flow], stdout=subprocess.PIPE,
                            stderr=open(os.path.join(out, "flow.log"), "w"), text=True)
    ready = 0
    while ready < 3:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"jina flow ended before it was ready; see {out}/flow.log")
        ready += line.startswith("ready ")
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()

    start = time.monotonic()
    stop = threading.Event()
    lock = threading.Lock()
    rows, rss_rows, kills = [], [], []

    def load(protocol, port):
        client = Client(host=f"{protocol}://127.0.0.1:{port}")
        n = 0
        while not stop.is_set():
            n += 1
            began = time.monotonic()
            try:
                docs = client.post("/", inputs=DocList[TextDoc]([TextDoc(text=f"{protocol}-{n}")]),
                                   return_type=DocList[TextDoc])
                ok = len(docs) == 1 and docs[0].text.startswith(f"{protocol}-{n}")
                error = "" if ok else f"unexpected reply {[d.text for d in docs]}"
            except Exception as exc:  # an error reply or a transport failure: both count
                ok, error = False, repr(exc)[:200]
            with lock:
                rows.append((round(began - start, 3), protocol, round((time.monotonic() - began) * 1000, 2), int(ok), error))

    def sample():
        deadline = start
        while not stop.wait(max(0.0, deadline - time.monotonic())):
            now = round(time.monotonic() - start, 1)
            processes = [("flow+gateway", proc.pid)] + sorted(replicas(proc.pid).items())
            values = [(name, pid, rss_mib(pid)) for name, pid in processes]
            with lock:
                rss_rows.extend((now, name, pid, round(value, 1)) for name, pid, value in values if value is not None)
            deadline += SAMPLE_EVERY_S

    def kill():
        deadline = start + KILL_EVERY_S
        rng = random.Random(17)
        while not stop.wait(max(0.0, deadline - time.monotonic())):
            found = replicas(proc.pid)
            if found:
                name = rng.choice(sorted(found))
                os.kill(found[name], signal.SIGKILL)
                with lock:
                    kills.append((round(time.monotonic() - start, 1), name, found[name]))
            deadline += KILL_EVERY_S

    threads = [threading.Thread(target=load, args=args) for args in
               (("grpc", port_grpc), ("http", port_http), ("websocket", port_ws))]
    threads += [threading.Thread(target=sample), threading.Thread(target=kill)]
    for thread in threads:
        thread.start()
    stop.wait(duration)
    stop.set()
    for thread in threads:
        thread.join(120)
    proc.send_signal(signal.SIGINT)
    proc.wait(60)

    with open(os.path.join(out, "requests.csv"), "w", newline="") as handle:
        csv.writer(handle).writerows([("time_s", "protocol", "latency_ms", "ok", "error")] + rows)
    with open(os.path.join(out, "rss.csv"), "w", newline="") as handle:
        csv.writer(handle).writerows([("time_s", "process", "pid", "rss_mib")] + rss_rows)
    with open(os.path.join(out, "kills.csv"), "w", newline="") as handle:
        csv.writer(handle).writerows([("time_s", "process", "pid")] + kills)

    def p99(values):
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * 0.99))] if values else None

    minutes = {}
    for t, protocol, latency, ok, _ in rows:
        minutes.setdefault(int(t // 60), []).append(latency)
    # RSS growth after warm-up, per life of a process (a killed replica restarts with a new pid):
    # from its first sample after warm-up (or after its start, plus a minute) to its last; lives
    # with less than two minutes of samples are left out. The worst life per process is kept.
    growth = {}
    for name, pid in sorted({(r[1], r[2]) for r in rss_rows}):
        series = [(t, v) for t, n, p, v in rss_rows if n == name and p == pid]
        born = series[0][0]
        after = [(t, v) for t, v in series if t >= max(WARM_UP_S, born + 60)]
        if len(after) < 2 or after[-1][0] - after[0][0] < 120:
            continue
        baseline, last = after[0][1], after[-1][1]
        life = {"pid": pid, "from_s": after[0][0], "to_s": after[-1][0], "start_mib": baseline, "end_mib": last,
                "max_mib": max(v for _, v in after), "growth_pct": round((last - baseline) / baseline * 100, 1)}
        if name not in growth or life["growth_pct"] > growth[name]["growth_pct"]:
            growth[name] = life
    summary = {
        "duration_s": duration,
        "requests": len(rows),
        "by_protocol": {p: sum(1 for r in rows if r[1] == p) for p in ("grpc", "http", "websocket")},
        "failed": sum(1 for r in rows if not r[3]),
        "failures": [r for r in rows if not r[3]][:20],
        "kills": kills,
        "p99_ms_per_minute": {m: p99(v) for m, v in sorted(minutes.items())},
        "rss": growth,
    }
    with open(os.path.join(out, "summary.json"), "w") as handle:
        json.dump(summary, handle, indent=2)
    print(json.dumps({k: summary[k] for k in ("requests", "by_protocol", "failed", "p99_ms_per_minute")}))


if __name__ == "__main__":
    main()
