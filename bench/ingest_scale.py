"""Ingest at scale: articles/s and peak memory of `frontwatch ingest --workers N`, SQLite and PostgreSQL.

Builds a corpus of news-like articles (default 10,000) from the public benchmark texts in
../shared/bench — CASE 2021 event snippets, LGL and GeoVirus news articles, TimeBank/AQUAINT
wire stories — each article one CASE snippet (its lead) and two paragraphs of the others,
chosen by a seeded generator, so every article is a distinct document. Then, in the same run,
it ingests the corpus with each number of workers into each store, every time into a fresh,
empty database, through the real command line:

    frontwatch ingest corpus.jsonl --db URL --workers N -q

(``--workers 0``: the plain one-process ingest, without Dask) and prints, per run: articles/s
over the whole command (cluster start and model loading included), articles/s once the first
article is stored (the steady rate), peak memory of the whole process tree (the command and its
Dask workers, summed, sampled every 0.25 s) and of the command's own process, CPU time per
article of the whole tree, of the command's own process (reading inputs, the Dask scheduler and
client, writing) and of each worker, and the ratio of each run to the 1-worker run of the same
round on the same store (1 worker on the same Dask path: the fair baseline for 2 workers).

    .venv/bin/python bench/ingest_scale.py                        # 10,000 articles, 1 and 2 workers, SQLite
    .venv/bin/python bench/ingest_scale.py --articles 1000        # a quick look
    .venv/bin/python bench/ingest_scale.py --pg-url postgresql+psycopg://postgres@127.0.0.1:54329/frontwatch
                                                                  # also PostgreSQL (a fresh database per run)
    .venv/bin/python bench/ingest_scale.py --json out.json        # also write the figures
    .venv/bin/python bench/ingest_scale.py --articles 1000 --workers 0,1,2 --rounds 3
                                                                  # plain ingest, 1 and 2 workers, back to back, 3 times

PostgreSQL runs need a server (scripts/postgres.sh start prints a URL; $FRONTWATCH_TEST_PG_URL
is used when set). The machine's other load is not controlled: say what it was when you
report the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO.parent / "shared" / "bench"
TARGET_RATIO = 1.7  # 2 workers against 1, the target
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t]+")


# ---- the corpus ---------------------------------------------------------------------------------


def _paragraphs(raw: str, min_words: int = 25, max_words: int = 120) -> list[str]:
    """Blank-line paragraphs of a text, short ones joined, long ones cut at a sentence end."""
    found: list[str] = []
    current = ""
    for block in re.split(r"\n\s*\n", raw):
        block = _SPACE.sub(" ", block.replace("\n", " ")).strip()
        if not block:
            continue
        current = f"{current} {block}".strip()
        if len(current.split()) >= min_words:
            words = current.split()
            found.append(" ".join(words[:max_words]) if len(words) > max_words else current)
            current = ""
    return found


def load_sources(bench: Path) -> tuple[list[str], list[str]]:
    """(leads, paragraphs): CASE snippets, and paragraphs of LGL, GeoVirus and TimeBank/AQUAINT."""
    leads = []
    with (bench / "events" / "case2021-task2-dev.tsv").open(encoding="utf-8") as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and len(parts[1].split()) >= 8:
                leads.append(parts[1].strip())
    paragraphs: list[str] = []
    for name in ("geo/lgl.xml", "geo/GeoVirus.xml"):
        for article in ET.parse(bench / name).getroot().iter("article"):
            paragraphs += _paragraphs(article.findtext("text") or "")
    for tml in sorted((bench / "time" / "tbaq-cleaned").rglob("*.tml")):
        body = re.search(r"<TEXT>(.*)</TEXT>", tml.read_text(encoding="utf-8", errors="replace"), re.S)
        if body:
            paragraphs += _paragraphs(_TAG.sub("", body.group(1)).replace("&amp;", "&"))
    return leads, paragraphs


def build_corpus(path: Path, articles: int, bench: Path, seed: int = 0) -> dict[str, Any]:
    leads, paragraphs = load_sources(bench)
    rng = random.Random(seed)
    seen: set[str] = set()
    words = 0
    with path.open("w", encoding="utf-8") as out:
        while len(seen) < articles:
            lead = rng.choice(leads)
            body = [lead, *rng.sample(paragraphs, 2)]
            article_text = "\n\n".join(body)
            if article_text in seen:
                continue
            seen.add(article_text)
            words += len(article_text.split())
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
            title = " ".join(lead.split()[:10])
            record = {"id": f"bench-{len(seen)}", "published": day.isoformat(), "title": title, "text": article_text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {"articles": articles, "words": words, "leads": len(leads), "paragraphs": len(paragraphs)}


# ---- one run ----------------------------------------------------------------------------------


@dataclass
class Run:
    store: str
    workers: int
    articles: int
    seconds: float
    steady_seconds: float  # from the first stored article to the end
    steady_articles: int
    peak_tree_mb: float  # the command and its workers, summed
    peak_main_mb: float  # the command's own process
    cpu_seconds: float  # user + system time of the whole tree: the work done, whatever the machine's load
    cpu_main_seconds: float
    exit_status: int
    cpu_children: list[float]  # CPU seconds of each other process of the tree (the Dask workers), largest first
    round: int = 1
    # CPU seconds from the first stored article to the end (start-up and model loading left out)
    steady_cpu_main: float = 0.0
    steady_cpu_children: list[float] = field(default_factory=list)

    def steady_ms(self) -> tuple[float, float]:
        """(main, all workers) CPU ms per article once started: what the machine's load does not change."""
        n = max(self.steady_articles, 1)
        return 1000 * self.steady_cpu_main / n, 1000 * sum(self.steady_cpu_children) / n

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def steady_rate(self) -> float:
        return self.steady_articles / self.steady_seconds if self.steady_seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "articles_per_s": self.rate, "steady_articles_per_s": self.steady_rate}


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM documents")).scalar() or 0)
    except Exception:  # tables not made yet, or locked for a moment
        return 0
    finally:
        engine.dispose()


def _sample(process: psutil.Process, cpu: dict[int, float]) -> tuple[float, float]:
    """(tree RSS MB, main RSS MB); records each process's CPU seconds so far in ``cpu``."""
    total = main = 0.0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0.0, 0.0
    for member in members:
        try:
            rss = member.memory_info().rss / 2**20
            times = member.cpu_times()
        except psutil.Error:
            continue
        cpu[member.pid] = max(cpu.get(member.pid, 0.0), times.user + times.system)
        total += rss
        main = rss if member.pid == process.pid else main
    return total, main


def run_ingest(corpus: Path, url: str, store: str, workers: int, articles: int, batch: int, round: int) -> Run:
    """One ingest; ``workers`` 0 is the plain one-process ingest (no Dask)."""
    command = [sys.executable, "-m", "frontwatch.cli", "ingest", str(corpus), "--db", url, "-q"]
    if workers:
        command += ["--workers", str(workers), "--batch-size", str(batch)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    peak_tree = peak_main = 0.0
    cpu: dict[int, float] = {}
    first_stored: tuple[float, int] | None = None
    cpu_at_first: dict[int, float] = {}
    last_poll = 0.0
    while process.poll() is None:
        tree, main = _sample(watched, cpu)
        peak_tree, peak_main = max(peak_tree, tree), max(peak_main, main)
        now = time.perf_counter()
        if first_stored is None and now - last_poll >= 1.0:
            last_poll = now
            stored = _count(url)
            if stored:
                first_stored = (now, stored)
                cpu_at_first = dict(cpu)
        time.sleep(0.25)
    seconds = time.perf_counter() - started
    err = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        print(f"  ingest exited {process.returncode}: {err.strip()[-500:]}", file=sys.stderr)
    since, already = first_stored or (started, 0)
    return Run(store, workers, articles, seconds, seconds - (since - started), articles - already,
               peak_tree, peak_main, sum(cpu.values()), cpu.get(process.pid, 0.0), process.returncode,
               sorted((c for pid, c in cpu.items() if pid != process.pid), reverse=True), round,
               cpu.get(process.pid, 0.0) - cpu_at_first.get(process.pid, 0.0),
               sorted((c - cpu_at_first.get(pid, 0.0) for pid, c in cpu.items() if pid != process.pid), reverse=True))


def _projected(run: Run, base: Run) -> str:
    """The ratio the steady CPU costs allow on 2 cores nobody else uses: one worker is bound by its own
    CPU per article (the main process has the other core); two workers and the main process share both
    cores, so they are bound by their total CPU per article, or by the main process alone."""
    if not run.workers or not base.workers:
        return "–"
    base_main, base_workers = base.steady_ms()
    main, workers = run.steady_ms()
    if not base_workers or not workers:
        return "–"
    one = 1000 / max(base_workers, base_main)
    cores = min(run.workers + 1, 2)
    rate = min(1000 * cores / (main + workers), 1000 * run.workers / workers, 1000 / max(main, 1e-9))
    return f"{rate / one:.2f}"


# ---- stores ---------------------------------------------------------------------------------------


class PgDatabases:
    """Fresh databases on one PostgreSQL server, dropped at the end."""

    def __init__(self, server: str) -> None:
        self.server = make_url(server)
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.made: list[str] = []

    def new(self) -> str:
        name = f"fw_bench_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return self.server.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


# ---- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10,000)")
    parser.add_argument("--workers", default="1,2",
                        help="worker counts to compare, e.g. 1,2 (default); 0 is the plain ingest, without Dask")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the worker counts back to back this many times (the machine's load moves)")
    parser.add_argument("--pg-url", default=os.environ.get("FRONTWATCH_TEST_PG_URL"),
                        help="PostgreSQL server for the PostgreSQL runs (default $FRONTWATCH_TEST_PG_URL)")
    parser.add_argument("--stores", default=None, help="sqlite,postgresql (default: both when a server is given)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--bench", type=Path, default=BENCH, help="the shared benchmark folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    stores = (args.stores or ("sqlite,postgresql" if args.pg_url else "sqlite")).split(",")
    if "postgresql" in stores and not args.pg_url:
        parser.error("PostgreSQL runs need --pg-url (or $FRONTWATCH_TEST_PG_URL)")
    worker_counts = [int(w) for w in args.workers.split(",")]
    load = os.getloadavg()
    print(f"cpus {os.cpu_count()}, load average before the runs {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="frontwatch-bench-") as folder:
        corpus = Path(folder) / "corpus.jsonl"
        t0 = time.perf_counter()
        info = build_corpus(corpus, args.articles, args.bench)
        print(f"corpus: {info['articles']:,} articles, {info['words']:,} words ({info['leads']} CASE leads, "
              f"{info['paragraphs']:,} paragraphs), built in {time.perf_counter() - t0:.1f} s")
        pg = PgDatabases(args.pg_url) if "postgresql" in stores else None
        try:
            for round in range(1, args.rounds + 1):
                for store in stores:
                    for workers in worker_counts:
                        name = f"{round}-{workers}.db"
                        url = pg.new() if store == "postgresql" and pg else f"sqlite:///{Path(folder) / name}"
                        run = run_ingest(corpus, url, store, workers, args.articles, args.batch_size, round)
                        runs.append(run)
                        children = " + ".join(f"{c:.0f}" for c in run.cpu_children) or "none"
                        print(f"  round {round} {store:<10} {workers} worker(s): {run.rate:6.1f} articles/s "
                              f"({run.steady_rate:6.1f}/s steady), {run.seconds:7.1f} s, "
                              f"peak {run.peak_tree_mb:,.0f} MB (main {run.peak_main_mb:,.0f} MB), "
                              f"CPU {run.cpu_seconds:.0f} s (main {run.cpu_main_seconds:.0f} s, "
                              f"others {children} s), load {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            if pg:
                pg.close()

    print()
    print("| round | store | workers | articles/s | steady articles/s | × 1 worker (steady) | seconds "
          "| peak MB (all) | peak MB (main) | CPU ms/article: all | main | each worker "
          "| steady CPU ms/article: main | workers | × 1 worker on 2 idle cores (from CPU) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    base_workers = 1 if 1 in worker_counts else min(worker_counts)
    for run in runs:
        base = next((r for r in runs if r.store == run.store and r.round == run.round
                     and r.workers == base_workers), run)
        ratio = run.steady_rate / base.steady_rate if base.steady_rate else 0.0
        # the Dask workers are the largest other processes (a few small helpers may follow)
        per_worker = " / ".join(f"{1000 * c / run.articles:.0f}" for c in run.cpu_children[: run.workers]) or "–"
        print(f"| {run.round} | {run.store} | {run.workers or 'none (plain)'} | {run.rate:.1f} | "
              f"{run.steady_rate:.1f} | {ratio:.2f} | {run.seconds:.0f} | {run.peak_tree_mb:,.0f} | "
              f"{run.peak_main_mb:,.0f} | {1000 * run.cpu_seconds / run.articles:.1f} | "
              f"{1000 * run.cpu_main_seconds / run.articles:.1f} | {per_worker} | "
              f"{run.steady_ms()[0]:.1f} | {run.steady_ms()[1]:.1f} | {_projected(run, base)} |")
    load = os.getloadavg()
    print(f"\nload average after the runs {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"target: 2 workers ≥ {TARGET_RATIO}× one")
    if args.json:
        args.json.write_text(json.dumps({"corpus": info, "runs": [r.to_json() for r in runs]}, indent=2))
    if any(r.exit_status != 0 for r in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
