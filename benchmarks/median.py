#!/usr/bin/env python3
"""Median of each figure over several benchmark summaries (benchmarks/alternate.sh), and the
our/Jina ratios of the medians: requests/s, server CPU per request, mean latency."""
import re
import statistics
import sys


def fields(line):
    return dict(re.findall(r"(\w+)=([^\s\[]+)", line))


def main(paths):
    values = {}  # figure -> field -> [values]
    for path in paths:
        for line in open(path):
            if line.startswith("FIGURE "):
                name = line.split()[1]
                for key, value in fields(line).items():
                    try:
                        number = float(value)
                    except ValueError:
                        continue
                    values.setdefault(name, {}).setdefault(key, []).append(number)
            elif line.startswith("STARTUP "):
                f = fields(line)
                values.setdefault("startup_" + f.get("impl", "?"), {}).setdefault("ready_ping_s", []).append(float(f["ready_ping_s"]))
    medians = {name: {key: statistics.median(v) for key, v in keys.items()} for name, keys in values.items()}
    for name in sorted(medians):
        keys = medians[name]
        shown = " ".join(f"{k}={v:.4g}" for k, v in sorted(keys.items()) if k.startswith("median") or k in ("ready_ping_s",))
        print(f"MEDIAN {name} n={len(next(iter(values[name].values())))} {shown}")
    for name in sorted(medians):
        impl, _, kind = name.partition("_")
        if impl != "ours" or f"jina_{kind}" not in medians:
            continue
        o, j = medians[name], medians[f"jina_{kind}"]
        parts = []
        if "median_rps" in o and "median_rps" in j:
            parts.append(f"rps ours/jina = {o['median_rps'] / j['median_rps']:.1f}x")
        cpu = "median_server_cpu_ms_per_req"
        if cpu in o and cpu in j and o[cpu] > 0:
            parts.append(f"server CPU per request = 1/{j[cpu] / o[cpu]:.1f}")
        print(f"RATIO {kind}: " + "; ".join(parts))


if __name__ == "__main__":
    main(sys.argv[1:])
