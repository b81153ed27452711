"""Per-passage work spread over processes.

Normalising, tokenising and finding names run in Python, one passage at a time; on a
200,000-passage corpus they were most of the aligner's time and used one core. Large inputs
are cut into chunks that worker processes handle (``forkserver`` where the platform has it,
else ``spawn``: no fork of a process that may run threads); small ones are handled in this
process, where starting workers would cost more than it saves. The results do not depend on
the number of workers: every task is a pure function of its chunk, and chunks come back in
order.

Workers end with the process that started them, however it ends (``kill -9`` included): each
watches that process's pid and exits when it is gone, and on Linux also asks the kernel for a
SIGKILL when its own parent ends (``PR_SET_PDEATHSIG``). Before, four workers of a killed
``align`` stayed alive for minutes, holding its output.
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

PARALLEL_MIN_ITEMS = 20_000
"""Inputs with fewer items than this are handled in this process."""
PRELOAD = (
    "__main__",  # as without a preload list
    "nato_compare.alignment.claims",
    "nato_compare.alignment.evidence",
    "nato_compare.alignment.stories",
    "sklearn.feature_extraction.text",
)
"""Modules the forkserver imports before it forks workers."""
CHUNKS_PER_WORKER = 4  # several chunks per worker: progress reports, and even finishing times


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(workers: int) -> int:
    """Processes to use for ``workers`` (-1 or 0: every available core)."""
    cores = available_cores()
    return cores if workers < 1 else min(workers, cores)


#: Seconds between two looks of a worker at whether the process that started it still runs.
WATCH_INTERVAL = 0.5
_PR_SET_PDEATHSIG = 1


def _pid_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a killed process its parent has not reaped yet does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in (b"Z", b"X")


def _watch_parent(parent: int) -> None:
    """In a worker: end this process as soon as ``parent`` has ended."""
    if sys.platform.startswith("linux"):
        try:  # the kernel kills us when our parent (the forkserver, or the parent) ends
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while _pid_alive(parent):
            time.sleep(WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@dataclass
class Pool:
    executor: ProcessPoolExecutor | None
    workers: int

    def map_chunks(
        self,
        task: Callable[[Sequence[Item]], Result],
        items: Sequence[Item],
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Result]:
        """``task`` applied to consecutive chunks of ``items``; the results in order (one
        result when the pool has no worker processes)."""
        if self.executor is None or not items:
            result = task(items)
            if progress:
                progress(len(items), len(items))
            return [result]
        size = math.ceil(len(items) / (self.workers * CHUNKS_PER_WORKER))
        chunks = [items[start : start + size] for start in range(0, len(items), size)]
        results, done = [], 0
        for chunk, result in zip(chunks, self.executor.map(task, chunks)):
            results.append(result)
            done += len(chunk)
            if progress:
                progress(done, len(items))
        return results


@contextmanager
def process_pool(workers: int, items: int) -> Iterator[Pool]:
    """Worker processes for work on ``items`` items, or none when the input is small or one
    core is all there is."""
    count = worker_count(workers)
    if count < 2 or items < PARALLEL_MIN_ITEMS:
        yield Pool(None, 1)
        return
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        # workers fork from a server that has imported what they run once (scikit-learn, the
        # stemmer) instead of importing it each: a second per worker at every start
        context.set_forkserver_preload(list(PRELOAD))
    executor = ProcessPoolExecutor(
        count,
        mp_context=context,
        initializer=_watch_parent,
        initargs=(os.getpid(),),
    )
    try:
        yield Pool(executor, count)
    except BaseException:
        # an error or Ctrl-C: drop the queued chunks rather than finish them first
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def flatten(parts: Sequence[Sequence[Any]]) -> list[Any]:
    return [item for part in parts for item in part]
