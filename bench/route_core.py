"""Routing benchmark: compiled triggers and mappings against Segment's own Node libraries.

For every generated event, every one of the five workload mappings whose trigger
matches produces a payload. Sluiceway runs `triggers.compile` + `mapping.compile`; the
peer runs `@segment/destination-subscriptions` (`parseFql` once, `validate` per event)
and `@segment/actions-core` mapping-kit `transform`, exactly as Segment's pipeline calls
them. Both sides are pinned to the same single core, build their events before timing,
warm up on the same events, and hash every payload they produce: the run fails unless
both produced the same payloads. Runs alternate (ours, peer, ours, peer, …).

    python bench/route_core.py [--events 100000] [--runs 3] [--no-peer]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import WORKLOAD, canonical, load_mappings, make_event

from sluiceway import mapping, triggers

PEER = Path(__file__).resolve().parent / "peer"
WARMUP = 5_000


def route_sluiceway(events: list[dict], warmup: int = WARMUP) -> dict[str, Any]:
    """Time Sluiceway's routing of `events`; return figures and the payload digest."""
    routes = [(triggers.compile(m["subscribe"]), mapping.compile(m["mapping"])) for m in load_mappings()]
    _route(routes, events[:warmup], [])
    payloads: list[Any] = []
    start = time.perf_counter()
    _route(routes, events, payloads)
    seconds = time.perf_counter() - start
    digest = hashlib.sha256()
    for payload in payloads:
        digest.update((canonical(payload) + "\n").encode())
    return {"events": len(events), "payloads": len(payloads), "seconds": seconds,
            "events_per_s": len(events) / seconds, "payloads_per_s": len(payloads) / seconds,
            "digest": digest.hexdigest()}


def _route(routes: list, events: list[dict], out: list) -> None:
    append = out.append
    for event in events:
        for matches, build in routes:
            if matches(event):
                append(build(event))


def install_peer() -> Path:
    """npm-install the pinned peer packages into a temp dir (reused while unchanged)."""
    spec = (PEER / "package.json").read_bytes()
    target = Path(tempfile.gettempdir()) / f"sluiceway-bench-peer-{hashlib.sha256(spec).hexdigest()[:12]}"
    if not (target / "node_modules" / "@segment" / "actions-core").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(PEER / "package.json", target / "package.json")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=target, check=True, stdout=subprocess.DEVNULL)
    return target


def route_peer(install: Path, events: int) -> dict[str, Any]:
    env = dict(os.environ, NODE_PATH=str(install / "node_modules"))
    result = subprocess.run(
        ["node", str(PEER / "route_core.cjs"), str(WORKLOAD), str(events), str(WARMUP)],
        env=env, check=True, capture_output=True, text=True, preexec_fn=_pin_to_one_core,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-peer", action="store_true", help="measure Sluiceway only")
    args = parser.parse_args(argv)
    _pin_to_one_core()
    events = [make_event(i) for i in range(args.events)]
    install = None if args.no_peer else install_peer()
    ours, theirs = [], []
    for run in range(1, args.runs + 1):
        ours.append(route_sluiceway(events))
        _report(f"run {run} sluiceway", ours[-1])
        if install is not None:
            theirs.append(route_peer(install, args.events))
            _report(f"run {run} node peer", theirs[-1])
    our_median = statistics.median(r["events_per_s"] for r in ours)
    print(f"sluiceway median: {our_median:,.0f} events/s, {ours[0]['payloads']:,} payloads")
    if not theirs:
        return 0
    peer_median = statistics.median(r["events_per_s"] for r in theirs)
    agree = {r["digest"] for r in ours} == {r["digest"] for r in theirs} and len({r["digest"] for r in ours}) == 1
    print(f"node peer median: {peer_median:,.0f} events/s, {theirs[0]['payloads']:,} payloads")
    print(f"payloads identical on both sides: {'yes' if agree else 'NO'}")
    print(f"median ratio sluiceway/node: {our_median / peer_median:.2f}x")
    return 0 if agree else 1


def _report(label: str, result: dict[str, Any]) -> None:
    print(f"{label}: {result['events_per_s']:,.0f} events/s, {result['payloads_per_s']:,.0f} payloads/s, "
          f"{result['payloads']:,} payloads in {result['seconds']:.2f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
