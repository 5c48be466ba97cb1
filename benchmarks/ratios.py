#!/usr/bin/env python3
"""Reads a benchmark summary (FIGURE/STARTUP/SHUTDOWN/RSS lines from benchmarks/run.sh) and
prints our/Jina ratios for every figure both sides have."""
import re
import sys


def fields(line):
    return dict(re.findall(r"(\w+)=([^\s\[]+)", line))


def main(path):
    figures, startup, shutdown, rss = {}, {}, {}, {}
    for line in open(path):
        if line.startswith("FIGURE "):
            name = line.split()[1]
            impl, _, kind = name.partition("_")
            figures.setdefault(kind, {})[impl] = fields(line)
        elif line.startswith("STARTUP "):
            f = fields(line)
            startup[f.get("impl")] = float(f["ready_ping_s"])
        elif line.startswith("SHUTDOWN "):
            f = fields(line)
            shutdown[f.get("impl")] = float(f["graceful_s"])
        elif line.startswith("RSS ") and "_idle" in line.split()[1]:
            impl = line.split()[1].split("_")[0]
            rss.setdefault(impl, []).append(float(fields(line)["VmRSS_MiB"]))
    for kind, sides in sorted(figures.items()):
        if {"ours", "jina"} <= sides.keys():
            o, j = sides["ours"], sides["jina"]
            line = f"RATIO {kind}: rps ours/jina = {float(o['median_rps']) / float(j['median_rps']):.1f}x"
            if "median_server_cpu_ms_per_req" in o and "median_server_cpu_ms_per_req" in j:
                oc, jc = float(o["median_server_cpu_ms_per_req"]), float(j["median_server_cpu_ms_per_req"])
                line += f"; server CPU per request ours/jina = 1/{jc / oc:.1f}" if oc > 0 else ""
            print(line)
    if {"ours", "jina"} <= startup.keys():
        print(f"RATIO startup: ours {startup['ours']:.3f} s vs jina {startup['jina']:.2f} s")
    if {"ours", "jina"} <= shutdown.keys():
        print(f"RATIO shutdown: ours {shutdown['ours']:.3f} s vs jina {shutdown['jina']:.2f} s")
    for impl, values in sorted(rss.items()):
        print(f"RSS_IDLE {impl}: max {max(values):.1f} MiB per process ({len(values)} processes)")


if __name__ == "__main__":
    main(sys.argv[1])
