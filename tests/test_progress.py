"""Progress that moves: every stage of a long run names itself, the run's clock keeps ticking
after a stage's bar is full, and a stage that cannot count shows a spinner, not '0/1'."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress

from nato_compare.cli.common import StageProgress, progress_columns


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make(clock: Clock) -> tuple[Progress, StageProgress, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system=None)
    progress = Progress(*progress_columns(), console=console, auto_refresh=False, get_time=clock)
    return progress, StageProgress(progress, "aligning"), out


def screen(progress: Progress) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    with console.capture() as capture:
        console.print(progress.make_tasks_table(progress.tasks))
    return capture.get()


def test_the_run_clock_ticks_on_after_a_stage_is_full_and_the_next_cannot_count() -> None:
    clock = Clock()
    progress, stages, _ = make(clock)
    stages.update(0, 30_000, "index")
    clock.now = 10.0
    stages.update(30_000, 30_000, "index")  # the bar is full...
    clock.now = 80.0  # ...and the next stage takes 70 s before it reports anything
    run, index = progress.tasks[0], progress.tasks[1]
    assert run.elapsed == 80.0 and not run.finished  # the run's clock did not stop
    assert index.finished and index.finished_time == 10.0  # the stage keeps what it took
    stages.update(0, 1, "select")  # cannot count: a spinner, no 0/1
    clock.now = 135.0
    select = progress.tasks[2]
    assert select.total is None and not select.finished
    shown = screen(progress)
    assert "select" in shown and "0/1" not in shown
    assert "30,000/30,000" in shown and "0:02:15" in shown  # the run's clock, still going
    stages.update(1, 1, "select")
    assert progress.tasks[2].finished


def test_a_new_stage_closes_the_one_before() -> None:
    clock = Clock()
    progress, stages, _ = make(clock)
    stages.update(0, 1, "read passages")
    stages.update(0, 5, "sentences")
    assert progress.tasks[1].finished  # 'read passages' never said it was done
    assert [t.description.strip() for t in progress.tasks] == [
        "aligning",
        "read passages",
        "sentences",
    ]


def test_a_run_of_one_stage_counts_on_its_own_line() -> None:
    clock = Clock()
    progress, stages, _ = make(clock)
    stages.update(3, 5)
    clock.now = 4.0
    assert len(progress.tasks) == 1 and not progress.tasks[0].finished
    assert "3/5" in screen(progress) and "0:00:04" in screen(progress)
