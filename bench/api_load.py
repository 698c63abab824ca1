"""The API under load: one uvicorn worker, 16 keep-alive clients, and the memory probe.

`python -m bench.api_load serve --port N (--db FILE | --seeds)` serves the app over an
imported store (or the seeds), as `aifg serve` does but without access logs. `probe DB
HUB` opens a store as the server would, answers the hub's exposure once (building the
cached views a server holds) and prints its peak RSS as JSON.

The load client is a small asyncio HTTP/1.1 client: each of the 16 connections sends a
request, reads the whole response and sends the next, so the server always has 16
requests in flight; latency is from sending to the last byte.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CLIENTS = 16
HEAVY_DEPTH = 6  # the look-through asked beside /health: each runs into its time budget
DATES = 200  # distinct as_of dates asked in a row (the attack asked 468)
VIEW_DATES = 20  # the view cache (32 views, 4 per exposure date) is full after these
HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]  # where `-m bench.api_load` is importable


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def server(args: list[str], *, startup_s: float = 900.0) -> Iterator[tuple[int, int]]:
    """A `serve` subprocess on a free port, ready (GET /health is 200) when yielded as
    (port, pid)."""
    port = free_port()
    command = [sys.executable, "-m", "bench.api_load", "serve", "--port", str(port), *args]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT)
        try:
            deadline = time.monotonic() + startup_s
            while True:
                if process.poll() is not None:
                    errors.seek(0)
                    message = errors.read().decode(errors="replace")
                    raise RuntimeError(f"bench server exited: {message[-2000:]}")
                try:
                    with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=5) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError("bench server did not start")
                time.sleep(0.2)
            yield port, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def _client(
    port: int, path: str, stop: float, latencies: list[float], etag: str | None = None
) -> int:
    """One keep-alive connection sending GET `path` until `stop`; returns how many answers
    were not 200 (with `etag` sent in If-None-Match: not 304)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    headers, status = ("", b"200") if etag is None else (f"If-None-Match: {etag}\r\n", b"304")
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n{headers}\r\n".encode()
    errors = 0
    try:
        while time.perf_counter() < stop:
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if head[9:12] != status:
                errors += 1
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    return errors


async def _load(
    port: int, path: str, seconds: float, beside: str | None, clients: int, etag: str | None
) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    start = time.perf_counter()
    stop = start + seconds
    askers = [_client(port, path, stop, latencies, etag) for _ in range(clients)]
    if beside is not None:  # one more client asking `beside` all along (not counted)
        askers.append(_client(port, beside, stop, []))
    errors = await asyncio.gather(*askers)
    return latencies, time.perf_counter() - start, sum(errors[:clients])


def load(
    port: int,
    path: str,
    seconds: float,
    beside: str | None = None,
    clients: int = CLIENTS,
    etag: str | None = None,
) -> dict[str, Any]:
    """Requests per second and latency of GET `path` from `clients` concurrent clients
    (and one more asking `beside` meanwhile, if given); with `etag`, each sends it in
    If-None-Match and expects 304."""
    warm_up = min(1.0, seconds / 2)  # caches, connections
    asyncio.run(_load(port, path, warm_up, None, clients, etag))
    latencies, elapsed, errors = asyncio.run(_load(port, path, seconds, beside, clients, etag))
    ordered = sorted(latencies)
    n = len(ordered)
    return {
        "requests": n,
        "rps": n / elapsed,
        "p50_s": ordered[(n - 1) // 2],
        "p99_s": ordered[min(n - 1, int(0.99 * n))],
        "errors": errors,
    }


def measure_api(
    server_args: list[str], hub: str, as_of: str, *, seconds: float, repeat: int
) -> dict[str, Any]:
    """Exposure vs /health (the ceiling) on one server, alternating, median of `repeat`."""
    exposure_path = f"/entities/{hub}/exposure?direction=in&as_of={as_of}"
    heavy_path = f"/entities/{hub}/exposure?direction=in&as_of={as_of}&depth={HEAVY_DEPTH}"
    runs: dict[str, list[dict[str, Any]]] = {
        "exposure": [],
        "health": [],
        "health_one": [],
        "health_beside": [],
        "not_modified": [],
    }
    with server(server_args) as (port, pid):
        start = time.perf_counter()
        with urllib.request.urlopen(f"http://{HOST}:{port}{exposure_path}", timeout=900) as r:
            first_s = time.perf_counter() - start
            etag = r.headers["ETag"]
        for _ in range(repeat):
            runs["health"].append(load(port, "/health", seconds))
            runs["exposure"].append(load(port, exposure_path, seconds))
            runs["not_modified"].append(load(port, exposure_path, seconds, etag=etag))
            # One client asking /health, alone and beside one asking a heavy question.
            runs["health_one"].append(load(port, "/health", seconds, clients=1))
            runs["health_beside"].append(
                load(port, "/health", seconds, beside=heavy_path, clients=1)
            )
        memory = rss_over_dates(port, pid, hub, dt.date.fromisoformat(as_of))
    out: dict[str, Any] = {
        "path": exposure_path,
        "heavy_path": heavy_path,
        "clients": CLIENTS,
        "seconds": seconds,
        "first_request_s": first_s,
        "dates": memory,
    }
    for name, items in runs.items():
        out[name] = {
            key: statistics.median(item[key] for item in items)
            for key in ("rps", "p50_s", "p99_s", "requests", "errors")
        }
    out["ratio"] = out["exposure"]["rps"] / out["health"]["rps"]
    out["not_modified_ratio"] = out["not_modified"]["rps"] / out["health"]["rps"]
    out["beside_ratio"] = out["health_beside"]["p99_s"] / out["health_one"]["p99_s"]
    return out


def _server_rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024  # kB
    raise RuntimeError(f"no VmRSS for {pid}")


def rss_over_dates(port: int, pid: int, hub: str, last: dt.date) -> dict[str, Any]:
    """The server's RSS after exposure questions at DATES distinct dates, against its RSS
    after the first VIEW_DATES of them (the view cache full by then): flat means bounded."""
    rss: dict[int, int] = {}
    for n in range(1, DATES + 1):
        day = last - dt.timedelta(days=n)
        url = f"http://{HOST}:{port}/entities/{hub}/exposure?as_of={day.isoformat()}"
        with urllib.request.urlopen(url, timeout=120) as answer:
            answer.read()
        if n in (VIEW_DATES, DATES):
            rss[n] = _server_rss(pid)
    return {
        "dates": DATES,
        "rss_after_first_bytes": rss[VIEW_DATES],
        "rss_after_all_bytes": rss[DATES],
        "ratio": rss[DATES] / rss[VIEW_DATES],
    }


def probe_memory(db: Path, hub: str, as_of: str) -> dict[str, Any]:
    """Peak RSS of a fresh process that opens `db` as the API server does (subprocess)."""
    command = [sys.executable, "-m", "bench.api_load", "probe", str(db), hub, as_of]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss_bytes() -> int:
    """This process's high-water RSS. Not getrusage: its ru_maxrss survives fork and exec,
    so a probe started by a big benchmark process would report the parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _probe(db: Path, hub: str, as_of: str) -> None:
    import datetime as dt

    from api.app import create_app
    from graph import queries
    from graph.settings import Settings
    from graph.snapshot import SnapshotSource
    from graph.store.embedded import EmbeddedStore
    from schemas.enums import Direction
    from schemas.queries import ExposureQuery

    settings = Settings(data_dir=db.parent, seed_on_start=False)
    empty = _rss_bytes()
    source = SnapshotSource(EmbeddedStore(db))
    create_app(settings, source)
    day = dt.date.fromisoformat(as_of)
    for direction in (Direction.OUT, Direction.IN):
        query = ExposureQuery(as_of=day, direction=direction)
        queries.exposure(source.current(), hub, query, today=day)
    peak = _peak_rss_bytes()
    count = len(source.current().commitments)
    print(
        json.dumps(
            {"peak_rss": peak, "held_rss": _rss_bytes(), "empty_rss": empty, "commitments": count}
        )
    )


def _serve(port: int, db: Path | None) -> None:
    import uvicorn

    from api.app import create_app
    from graph.imports import open_source
    from graph.settings import Settings

    with tempfile.TemporaryDirectory(prefix="aifg-bench-serve-") as tmp:
        if db is None:
            settings = Settings(data_dir=Path(tmp), seed_on_start=True)
        else:
            settings = Settings(data_dir=db.parent, seed_on_start=False)
        source = open_source(settings)
        try:
            uvicorn.run(
                create_app(settings, source),
                host=HOST,
                port=port,
                log_level="warning",
                access_log=False,
                workers=1,
            )
        finally:
            source.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bench helpers: a server, a memory probe")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--port", type=int, required=True)
    source = serve.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", type=Path)
    source.add_argument("--seeds", action="store_true")
    probe = sub.add_parser("probe")
    probe.add_argument("db", type=Path)
    probe.add_argument("hub")
    probe.add_argument("as_of")
    args = parser.parse_args(argv)
    if args.command == "serve":
        _serve(args.port, args.db)
    else:
        _probe(args.db, args.hub, args.as_of)
    return 0


if __name__ == "__main__":
    sys.exit(main())
