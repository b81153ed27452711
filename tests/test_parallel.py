"""Worker processes change the aligner's speed, never its result."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nato_compare.alignment import parallel
from nato_compare.alignment import align
from nato_compare.alignment.aligner import AlignParams


def scale_corpus(n: int) -> list[dict]:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py"
    spec = importlib.util.spec_from_file_location("scale_benchmark", path)
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    rows, _ = scale.generate_corpus(n, outlets=5, seed=11)
    return rows


def outcome(result) -> tuple[list, list]:
    return (
        [(p.a, p.b, p.score, p.event_id, p.evidence) for p in result.pairs],
        [(e.id, e.label, e.members) for e in result.events],
    )


def test_two_worker_processes_give_the_same_pairs_events_and_evidence(monkeypatch) -> None:
    rows = scale_corpus(400)
    params = AlignParams(threshold=30)
    alone = align(rows, params=params)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 0)
    with parallel.process_pool(2, len(rows)) as pool:
        if pool.executor is None:
            pytest.skip("one core: no worker processes to compare")
    shared = align(rows, params=params, processes=2)
    assert alone.pairs, "the corpus must give pairs for the comparison to mean anything"
    assert outcome(shared) == outcome(alone)


def test_small_inputs_start_no_worker_processes() -> None:
    with parallel.process_pool(-1, parallel.PARALLEL_MIN_ITEMS - 1) as pool:
        assert pool.executor is None
        assert pool.map_chunks(sum, [1, 2, 3]) == [6]


def test_chunks_come_back_in_order_with_progress(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 0)
    seen: list[tuple[int, int]] = []
    with parallel.process_pool(2, 100) as pool:
        parts = pool.map_chunks(
            list, list(range(100)), lambda done, total: seen.append((done, total))
        )
    assert parallel.flatten(parts) == list(range(100))
    assert seen[-1] == (100, 100)
