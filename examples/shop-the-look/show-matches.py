#!/usr/bin/env python3
"""Prints the matches of the query documents `jina client post` writes (JSON lines on stdin):
score and title, best first."""
import json
import sys

for line in sys.stdin:
    for match in json.loads(line).get("matches") or []:
        score = next(iter(match.get("scores", {}).values()), float("nan"))
        print(f"  {score:.3f}  {match.get('text', match.get('id'))}")
