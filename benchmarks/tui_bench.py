"""Annotation TUI benchmark: time to first screen and key-press-to-refresh on a large database.

Builds (once, cached in the temp directory) a synthetic database of 100,000
passages in 5,000 events (20 passages from 5 outlets each; 2% of the passages
already labelled), then drives the app headless through Textual's Pilot:

- time to first screen: from starting the app to the end of the first repaint showing the first
  event's passages (its terminal output included); also when the event list (read after the
  first event is painted) is painted, and when the app is first idle;
- key-press-to-refresh: ``]`` (next event) pressed repeatedly, first each time after the
  app has finished its background work (an analyst reads an event before moving on: the
  target), then again as soon as the new event is painted; each time, from the moment
  the screen handles the key until the end of the first repaint that shows the new event,
  the repaint's terminal output (escape codes) included (median and 95th percentile), and
  the CPU time the process spent on it; also counted from the moment the Pilot injects the
  key (its own event plumbing included). Other jobs on the machine slow the wall-clock
  figures: the load average is printed with them, and the CPU time is the figure to compare
  across runs.

Targets (issue 4): < 1 s and < 50 ms on 2 cores.

    python benchmarks/tui_bench.py [--passages 100000] [--events 5000] [--presses 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from nato_compare.store import open_db

OUTLETS = ["CGTN", "ICARO Media Group", "The Eastern Herald", "Fox News", "HuffPost"]
WORDS = (
    "nato allies ukraine russia support military aid billion euro pledge defence ministers "
    "stoltenberg rutte summit weapons ammunition artillery production security alliance "
    "members spending percent report kyiv moscow washington brussels talks plan fund "
    "coordination escalation threat deterrence sanctions economy energy public opinion"
).split()


def build(path: Path, passages: int, events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    per_event = passages // events
    articles_per_outlet = max(1, events // 10)
    db = open_db(path)
    stamp = "2026-01-01T00:00:00+00:00"
    with db.atomic():
        articles = []
        for o, outlet in enumerate(OUTLETS):
            for a in range(articles_per_outlet):
                articles.append(
                    {
                        "id": f"a-{o}-{a}",
                        "source": f"bench/{o}-{a}.txt",
                        "outlet": outlet,
                        "title": f"{outlet} report {a}",
                        "date": "2024-06",
                        "url": None,
                        "content_hash": "x",
                        "cleaned_text": "",
                        "removed_lines": 0,
                        "ingested_at": stamp,
                        "updated_at": stamp,
                    }
                )
        db["articles"].insert_all(articles, batch_size=5000)
        run = (
            db["align_runs"]
            .insert(
                {
                    "started_at": stamp,
                    "finished_at": stamp,
                    "params": "{}",
                    "passages": passages,
                    "pairs": 0,
                    "events": events,
                }
            )
            .last_pk
        )
        passage_rows, event_rows, member_rows, label_rows = [], [], [], []
        seq_in_article: dict[str, int] = {}
        for e in range(events):
            event_id = f"e-{e:06d}"
            event_rows.append(
                {
                    "id": event_id,
                    "run_id": run,
                    "seq": e + 1,
                    "label": " ".join(rng.sample(WORDS, 5)),
                    "passages": per_event,
                    "outlets": len(OUTLETS),
                }
            )
            for k in range(per_event):
                o = k % len(OUTLETS)
                article = f"a-{o}-{rng.randrange(articles_per_outlet)}"
                seq = seq_in_article.get(article, 0)
                seq_in_article[article] = seq + 1
                words = [rng.choice(WORDS) for _ in range(rng.randint(30, 70))]
                words.insert(rng.randrange(len(words)), f"€{rng.randint(1, 99)} billion")
                text = " ".join(words).capitalize() + "."
                pid = f"p-{e:06d}{k:02d}"
                passage_rows.append(
                    {
                        "id": pid,
                        "article_id": article,
                        "seq": seq,
                        "start": 0,
                        "end": len(text),
                        "text": text,
                        "created_at": stamp,
                        "superseded_at": None,
                    }
                )
                member_rows.append({"event_id": event_id, "passage_id": pid, "score": 0.8})
                if rng.random() < 0.02:
                    label_rows.append(
                        {
                            "id": uuid.uuid4().hex,
                            "annotator": "alice",
                            "passage_id": pid,
                            "dimension": "frame",
                            "label": "Economic",
                            "note": "",
                            "created_at": stamp,
                        }
                    )
        db["passages"].insert_all(passage_rows, batch_size=5000)
        db["events"].insert_all(event_rows, batch_size=5000)
        db["event_passages"].insert_all(member_rows, batch_size=5000)
        db["annotations"].insert_all(label_rows, batch_size=5000)
    db.close()


async def measure(path: Path, presses: int, size: tuple[int, int]) -> dict:
    from nato_compare.tui.app import make_app
    from nato_compare.tui.screens.event_screen import EventScreen

    # The first repaints that show the first event's passages, and the event list, are
    # timestamped inside the app (end of the repaint, terminal output included).
    startup_paints: dict[str, float] = {}
    screen_repaint = EventScreen._compositor_refresh

    def timed_startup_repaint(screen) -> None:
        screen_repaint(screen)
        if screen.view is not None and screen.grid:
            startup_paints.setdefault("event", time.perf_counter())
            if screen.event_list.events:
                startup_paints.setdefault("list", time.perf_counter())

    EventScreen._compositor_refresh = timed_startup_repaint
    started = time.perf_counter()
    app = make_app(path, "alice")
    # Headless, Textual skips turning a repaint into the terminal's escape codes; a real
    # terminal pays for that, so the benchmark does it too (and discards the text).
    display = app._display

    def display_as_terminal(on_screen, update) -> None:
        if update is not None and hasattr(update, "render_segments"):
            update.render_segments(app.console)
        display(on_screen, update)

    app._display = display_as_terminal
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        while "list" not in startup_paints:
            await asyncio.sleep(0.005)
        await pilot.pause()  # until the app is idle: the neighbouring events read ahead too
        idle = time.perf_counter() - started
        EventScreen._compositor_refresh = screen_repaint
        first_screen = startup_paints["event"] - started
        list_shown = startup_paints["list"] - started
        # The end of each repaint is timestamped inside the app, so the Pilot's own waiting
        # (it sleeps in 20 ms steps until the process is idle) is not counted.
        # The first repaint showing another event than ``leaving`` is awaited through an
        # asyncio.Event (polling from the app's own event loop would slow the app down).
        painted: list[tuple[float, float]] = []  # (wall, CPU time) at the end of that repaint
        shown = asyncio.Event()
        leaving = [0]
        repaint = screen._compositor_refresh

        def timed_repaint() -> None:
            repaint()
            if (
                not shown.is_set()
                and screen.view is not None
                and screen.grid
                and screen.view.summary.seq != leaving[0]
            ):
                painted.append((time.perf_counter(), time.process_time()))
                shown.set()

        screen._compositor_refresh = timed_repaint
        keys: list[tuple[float, float]] = []  # when the screen got the key (wall, CPU)
        next_event = screen.action_next_event

        def timed_next_event() -> None:
            keys.append((time.perf_counter(), time.process_time()))
            next_event()

        screen.action_next_event = timed_next_event
        results = {}
        for mode in ("idle", "rapid"):
            timings, cpu, injected = [], [], []
            for _ in range(presses):
                if mode == "idle":
                    # The analyst reads the event before moving on: the app has finished its
                    # background work (reading the neighbouring events ahead) by then.
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                leaving[0] = screen.view.summary.seq
                shown.clear()
                t0 = time.perf_counter()
                await pilot.press("right_square_bracket")
                await shown.wait()
                wall, used = painted[-1]
                key_wall, key_cpu = keys[-1]
                timings.append(wall - key_wall)
                cpu.append(used - key_cpu)
                injected.append(wall - t0)
                await pilot.pause()
            results[mode] = {"timings": timings, "cpu": cpu, "injected": injected}
        listed = len(screen.event_list.events)
    return {
        "first_screen": first_screen,
        "list_shown": list_shown,
        "settled": idle,
        "listed": listed,
        **results,
    }


def terminal_first_screen(path: Path, size: tuple[int, int], runs: int) -> list[float] | None:
    """Seconds from starting ``nato-compare tui`` in a real terminal (tmux) to the first
    event's passages on that terminal, interpreter start and every import included; None
    without tmux. The screen is read every 5 ms (``capture-pane``), so a figure may be up to
    ~10 ms late."""
    if shutil.which("tmux") is None:
        return None
    command = Path(sys.executable).parent / "nato-compare"
    if not command.exists():
        return None
    timings = []
    for run in range(runs):
        # A tmux server of its own for each start (one that is exiting could refuse the next
        # session). The shell is started first and the command typed into it, so the tmux
        # server's and the shell's start are not counted.
        tmux = ["tmux", "-L", f"nato-tui-bench-{os.getpid()}-{run}"]
        subprocess.run(
            [
                *tmux,
                "new-session",
                "-d",
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                "bash --norc --noprofile",
            ],
            check=True,
        )
        try:
            time.sleep(0.3)
            started = time.perf_counter()
            subprocess.run(
                [*tmux, "send-keys", f"exec {command} tui --db {path} --annotator alice", "Enter"],
                check=True,
            )
            while time.perf_counter() - started < 30:
                screen = subprocess.run(
                    [*tmux, "capture-pane", "-p"], capture_output=True, text=True
                ).stdout
                if re.search(
                    r"¶[0-9]", screen
                ):  # a passage's mark: the first event is on the terminal
                    timings.append(time.perf_counter() - started)
                    break
                time.sleep(0.005)
            else:
                print(f"start {run + 1}: no event on the terminal after 30 s", file=sys.stderr)
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--size", default="200x50", help="terminal size, e.g. 80x24")
    parser.add_argument("--db", type=Path, help="where to build the database (default: temp dir)")
    parser.add_argument(
        "--terminal-runs",
        type=int,
        default=7,
        help="starts of the real command in tmux to time (0: none)",
    )
    args = parser.parse_args()

    path = (
        args.db or Path(tempfile.gettempdir()) / f"nato-tui-bench-{args.passages}-{args.events}.db"
    )
    if not path.exists():
        t = time.perf_counter()
        build(path, args.passages, args.events)
        print(
            f"built {path} ({args.passages:,} passages, {args.events:,} events) "
            f"in {time.perf_counter() - t:.1f} s"
        )
    import textual  # noqa: F401  (imported before timing: the import is not the app's work)

    # What the command pays before the app starts, in a fresh interpreter: importing the
    # command line and the interface (not counted in the time to first screen below).
    # As `nato-compare tui` imports them: the tui command first, then the app.
    imports = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t = time.perf_counter(); import click; "
            "from nato_compare.cli import main; main.get_command(click.Context(main), 'tui'); "
            "import nato_compare.tui.app; print(time.perf_counter() - t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )

    width, height = (int(v) for v in args.size.split("x"))
    terminal = (
        terminal_first_screen(path, (width, height), args.terminal_runs)
        if args.terminal_runs
        else None
    )
    result = asyncio.run(measure(path, args.presses, (width, height)))
    print(
        f"terminal {args.size}; cores: {os.cpu_count()}, load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    print(f"events listed: {result['listed']:,}")
    print(
        f"importing the command and the interface (fresh interpreter, before the app starts): "
        f"{float(imports.stdout):.3f} s"
    )
    print(
        f"time to first screen (the first event's passages painted): {result['first_screen']:.3f} s"
        "  (target < 1 s)"
    )
    print(
        f"  the event list (every event's progress) painted: {result['list_shown']:.3f} s;"
        f" the app idle (neighbouring events read ahead): {result['settled']:.3f} s"
    )
    if terminal:
        print(
            f"from typing `nato-compare tui` in a real terminal (tmux) to the first event on it, "
            f"interpreter start and imports included: median {statistics.median(terminal):.3f} s, "
            f"slowest {max(terminal):.3f} s (n={len(terminal)}; target < 1 s)"
        )
    elif args.terminal_runs and terminal is None:
        print(
            "(tmux or the nato-compare command not found: the start in a real terminal is not timed)"
        )
    elif args.terminal_runs:
        print("(no start in a real terminal showed the first event: see the messages above)")
    for mode, title in (
        ("idle", "each press after the app has finished reading ahead"),
        ("rapid", "pressed again as soon as the new event is painted"),
    ):
        timings = sorted(result[mode]["timings"])
        median = statistics.median(timings) * 1000
        p95 = timings[int(0.95 * (len(timings) - 1))] * 1000
        cpu_median = statistics.median(result[mode]["cpu"]) * 1000
        injected = statistics.median(result[mode]["injected"]) * 1000
        print(f"key press to refresh (next event, {title}; n={len(timings)}):")
        print(
            f"  median {median:.1f} ms, p95 {p95:.1f} ms"
            + ("  (target median < 50 ms)" if mode == "idle" else "")
        )
        print(f"  CPU time until then (all threads of the process): median {cpu_median:.1f} ms")
        print(f"  counted from the Pilot's key injection instead: median {injected:.1f} ms")


if __name__ == "__main__":
    main()
