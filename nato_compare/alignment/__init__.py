"""Alignment: find what different outlets report about the same event, and group it into events.

The public API of the aligner (importing it loads NumPy and RapidFuzz: the command line and the
annotation interface import it only where they align or score).

- :func:`align` — passages in, scored cross-outlet pairs and events out (pure, no database);
- :func:`align_db` — the same over a database's live passages, storing the run;
- :func:`similarity`, :func:`similarity_many` — how surely two passages report the same thing;
- :func:`evidence` — why a pair scores as it does (shared amounts, names, words);
- :func:`normalize` — the normalised form every comparison works on;
- :func:`find_stories` — which articles report the same story (the ``stories`` command).

Method notes: ``docs/alignment.md`` and ``docs/similarity.md``.
"""

from __future__ import annotations

from .aligner import STAGES, AlignParams, Progress, align, find_stories
from .database import FORMATS, AlignSummary, align_db
from .evidence import evidence, evidence_many
from ..normalize import normalize
from .similarity import similarity, similarity_many

__all__ = [
    "FORMATS",
    "STAGES",
    "AlignParams",
    "AlignSummary",
    "Progress",
    "align",
    "align_db",
    "evidence",
    "evidence_many",
    "find_stories",
    "normalize",
    "similarity",
    "similarity_many",
]
