"""Routing benchmark: compiled triggers and mappings against Segment's own Node libraries.

For every generated event, every one of the five workload mappings whose trigger
matches produces a payload. Sluiceway runs `triggers.compile` + `mapping.compile`; the
peer runs `@segment/destination-subscriptions` (`parseFql` once, `validate` per event)
and `@segment/actions-core` mapping-kit `transform`, exactly as Segment's pipeline calls
them. Both sides are pinned to the same single core, build their events before timing,
warm up on the same events, and hash every payload they produce: the run fails unless
both produced the same number of payloads with the same content. Runs alternate (ours,
peer, ours, peer, ...).

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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import WORKLOAD, canonical, load_mappings, make_event

from sluiceway import mapping, triggers

PEER = Path(__file__).resolve().parent / "peer"
WARMUP = 5_000
README_EVENTS, README_PAYLOADS = 100_000, 95_000
DIFF_EVENTS = 5_000

Route = tuple[Callable[[Any], bool], Callable[[Any], Any]]


def compile_routes() -> list[Route]:
    """Each workload mapping as (compiled trigger, compiled mapping), built once."""
    return [(triggers.compile(m["subscribe"]), mapping.compile(m["mapping"])) for m in load_mappings()]


def route_sluiceway(events: list[dict[str, Any]], warmup: int = WARMUP) -> dict[str, Any]:
    """Time Sluiceway's routing of `events`; return figures and the payload digest.

    Compiling is outside the timing, as the peer's `parseFql` is: a deployed route is
    compiled once when its subscription is saved, not per event.
    """
    routes = compile_routes()
    _route(routes, events[:warmup], [])
    payloads: list[Any] = []
    start = time.perf_counter()
    _route(routes, events, payloads)
    seconds = time.perf_counter() - start
    return {"events": len(events), "payloads": len(payloads), "seconds": seconds,
            "events_per_s": len(events) / seconds, "payloads_per_s": len(payloads) / seconds,
            "digest": digest(payloads)}


def _route(routes: list[Route], events: list[dict[str, Any]], out: list[Any]) -> None:
    append = out.append
    for event in events:
        for matches, build in routes:
            if matches(event):
                append(build(event))


def digest(payloads: Iterable[Any]) -> str:
    """SHA-256 over every payload's canonical JSON, one per line (the peer's very recipe)."""
    hashed = hashlib.sha256()
    for payload in payloads:
        hashed.update((canonical(payload) + "\n").encode())
    return hashed.hexdigest()


def install_peer() -> Path:
    """npm-install the pinned peer packages into a temp dir, reused while package.json is unchanged.

    The install goes to a fresh directory first and is renamed into place only when
    complete, so an interrupted install is never mistaken for a good one.
    """
    spec = (PEER / "package.json").read_bytes()
    target = Path(tempfile.gettempdir()) / f"sluiceway-bench-peer-{hashlib.sha256(spec).hexdigest()[:12]}"
    if not (target / "node_modules" / "@segment" / "actions-core").is_dir():
        staging = Path(tempfile.mkdtemp(prefix="sluiceway-bench-peer-"))
        shutil.copy(PEER / "package.json", staging / "package.json")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=staging, check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    _check_pins(target)
    return target


def _check_pins(install: Path) -> None:
    """Refuse to compare against anything but the exact versions package.json pins."""
    pins = json.loads((PEER / "package.json").read_text())["dependencies"]
    for name, pinned in pins.items():
        installed = json.loads((install / "node_modules" / name / "package.json").read_text())["version"]
        if installed != pinned:
            raise SystemExit(f"peer package {name} is {installed} in {install}, package.json pins {pinned}")


def peer_versions(install: Path) -> str:
    pins = json.loads((PEER / "package.json").read_text())["dependencies"]
    node = subprocess.run(["node", "--version"], check=True, capture_output=True, text=True).stdout.strip()
    return ", ".join([f"node {node}", *(f"{name} {version}" for name, version in pins.items())])


def route_peer(install: Path, events: int, warmup: int = WARMUP) -> dict[str, Any]:
    """One timed run of the Node peer on events 0..events-1; its figures as a dict."""
    output = _run_peer(install, str(events), str(warmup))
    return json.loads(output.strip().splitlines()[-1])


def _run_peer(install: Path, *args: str) -> str:
    env = dict(os.environ, NODE_PATH=str(install / "node_modules"))
    result = subprocess.run(["node", str(PEER / "route_core.cjs"), str(WORKLOAD), *args],
                            env=env, check=True, capture_output=True, text=True, preexec_fn=_pin_to_one_core)
    return result.stdout


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})


def first_difference(install: Path, events: list[dict[str, Any]]) -> str:
    """Name the first payload on which the two sides differ, to say where a mismatch lies."""
    names = [m["name"] for m in load_mappings()]
    routes = compile_routes()
    ours = [f"{index}\t{which}\t{canonical(build(event))}"
            for index, event in enumerate(events)
            for which, (matches, build) in enumerate(routes) if matches(event)]
    theirs = _run_peer(install, str(len(events)), "0", "dump").splitlines()
    for mine, peer in zip(ours, theirs, strict=False):
        if mine != peer:
            index, which, ours_json = mine.split("\t", 2)
            peer_index, peer_which, peer_json = peer.split("\t", 2)
            return (f"first difference: sluiceway event {index} mapping {names[int(which)]!r}: {ours_json}\n"
                    f"                  node peer event {peer_index} mapping {names[int(peer_which)]!r}: {peer_json}")
    if len(ours) != len(theirs):
        return f"in the first {len(events):,} events sluiceway made {len(ours):,} payloads, the peer {len(theirs):,}"
    return f"the first {len(events):,} events route identically; the difference lies further on"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=README_EVENTS, help="events to route per run")
    parser.add_argument("--runs", type=int, default=3, help="runs per side, alternating")
    parser.add_argument("--no-peer", action="store_true", help="measure Sluiceway only")
    args = parser.parse_args(argv)
    _pin_to_one_core()
    events = [make_event(i) for i in range(args.events)]
    install = None if args.no_peer else install_peer()
    print(f"{args.events:,} events, 5 mappings, {args.runs} runs per side, pinned to CPU 0, "
          f"python {sys.version.split()[0]}" + ("" if install is None else f"; peer: {peer_versions(install)}"))
    ours: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    for run in range(1, args.runs + 1):
        ours.append(route_sluiceway(events))
        _report(f"run {run} sluiceway", ours[-1])
        if install is not None:
            theirs.append(route_peer(install, args.events))
            _report(f"run {run} node peer", theirs[-1])
    ok = _summarise("sluiceway", ours)
    if args.events == README_EVENTS:
        counted = ours[0]["payloads"]
        print(f"payload count matches the workload README's {README_PAYLOADS:,}: "
              f"{'yes' if counted == README_PAYLOADS else f'NO ({counted:,})'}")
        ok = ok and counted == README_PAYLOADS
    if install is None:
        return 0 if ok else 1
    ok = _summarise("node peer", theirs) and ok
    return 0 if _compare(install, events, ours, theirs) and ok else 1


def _summarise(label: str, results: list[dict[str, Any]]) -> bool:
    """Print a side's medians; true when all its runs produced the same payloads."""
    events_per_s = statistics.median(r["events_per_s"] for r in results)
    payloads_per_s = statistics.median(r["payloads_per_s"] for r in results)
    print(f"{label} median: {events_per_s:,.0f} events/s, {payloads_per_s:,.0f} payloads/s")
    steady = len({(r["payloads"], r["digest"]) for r in results}) == 1
    if not steady:
        print(f"{label}: runs DISAGREE with each other: {[(r['payloads'], r['digest'][:12]) for r in results]}")
    return steady


def _compare(install: Path, events: list[dict[str, Any]], ours: list[dict[str, Any]],
             theirs: list[dict[str, Any]]) -> bool:
    """Print the agreement checks and the ratio; true when both sides made the same payloads."""
    counts = ours[0]["payloads"], theirs[0]["payloads"]
    same_count = counts[0] == counts[1]
    same_payloads = ours[0]["digest"] == theirs[0]["digest"]
    print(f"payload count: sluiceway {counts[0]:,}, node peer {counts[1]:,}: {'agree' if same_count else 'DIFFER'}")
    print(f"payload digest (sha256 of every payload's canonical JSON): sluiceway {ours[0]['digest'][:16]}, "
          f"node peer {theirs[0]['digest'][:16]}: {'agree' if same_payloads else 'DIFFER'}")
    if not same_payloads:
        print(first_difference(install, events[:DIFF_EVENTS]))
    ratio = statistics.median(r["events_per_s"] for r in ours) / statistics.median(r["events_per_s"] for r in theirs)
    print(f"median ratio sluiceway/node: {ratio:.2f}x (events/s)"
          + ("" if same_payloads else "  -- NOT VALID: the payloads differ"))
    return same_count and same_payloads


def _report(label: str, result: dict[str, Any]) -> None:
    print(f"{label}: {result['events_per_s']:,.0f} events/s, {result['payloads_per_s']:,.0f} payloads/s, "
          f"{result['payloads']:,} payloads in {result['seconds']:.3f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
