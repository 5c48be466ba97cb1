"""Plots a soak run (benchmarks/soak/run.py's OUT folder) into one PNG: p99 latency per 10-second
window for each protocol, with the SIGKILLs marked, and every process's RSS over time.

    python plot.py OUT PNG
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

WINDOW_S = 10


def main():
    out, png = sys.argv[1:3]
    with open(f"{out}/requests.csv") as handle:
        rows = list(csv.DictReader(handle))
    with open(f"{out}/rss.csv") as handle:
        rss = list(csv.DictReader(handle))
    with open(f"{out}/kills.csv") as handle:
        kills = list(csv.DictReader(handle))

    figure, (latency, memory) = plt.subplots(2, 1, figsize=(11, 8), sharex=True)
    for protocol in ("grpc", "http", "websocket"):
        windows = {}
        for row in rows:
            if row["protocol"] == protocol:
                windows.setdefault(int(float(row["time_s"]) // WINDOW_S), []).append(float(row["latency_ms"]))
        xs = sorted(windows)
        p99 = [sorted(windows[x])[min(len(windows[x]) - 1, int(len(windows[x]) * 0.99))] for x in xs]
        latency.plot([x * WINDOW_S for x in xs], p99, label=protocol)
    for kill in kills:
        for axis in (latency, memory):
            axis.axvline(float(kill["time_s"]), color="grey", linestyle=":", linewidth=0.8)
    latency.set_ylabel(f"p99 latency per {WINDOW_S} s (ms)")
    latency.set_yscale("log")
    latency.legend(loc="upper right")
    latency.set_title("Soak: mixed gRPC/HTTP/WebSocket load, one replica SIGKILLed every minute (dotted)")
    for name in sorted({row["process"] for row in rss}):
        points = [(float(r["time_s"]), float(r["rss_mib"])) for r in rss if r["process"] == name]
        memory.plot([t for t, _ in points], [v for _, v in points], label=name, linewidth=1)
    memory.set_ylabel("RSS (MiB)")
    memory.set_xlabel("time (s)")
    memory.legend(loc="upper left", fontsize="small", ncol=2)
    figure.tight_layout()
    figure.savefig(png, dpi=90)


if __name__ == "__main__":
    main()
