"""Scale benchmark of the aligner on a seeded synthetic corpus.

    python benchmarks/scale.py                      # 200,000 passages from 20 outlets
    python benchmarks/scale.py --passages 20000     # a quicker run

The corpus: sentences of the seed articles (``sources/``) serve as templates. An *event* is a
base passage of 1-3 sentences, each spliced from two template sentences, whose names, numbers
and most content words are replaced (names by made-up proper nouns, content words by a Zipf-distributed lexicon of real
seed words and made-up words), so that no two events share more than common words. Each outlet
that covers the event writes a paraphrase of it: synonyms swapped, words dropped or reworded,
amounts rewritten ("40 billion euros" / "€40 billion"), sentences reordered, a sentence of its
own added. ``--unrelated`` of the passages report nothing anyone else reports.

Printed: passages, wall time of :func:`nato_compare.alignment.aligner.align` (all stages, evidence
included), peak memory (resident set size of the process), pairs scored, the speed-up against
scoring every cross-outlet pair with the same scorer (timed on a subsample, extrapolated to the
whole corpus), and the recall of those exhaustive pairs: the subsample is made of whole events
plus unrelated passages, and each of its cross-outlet pairs that scores at least
``--recall-threshold`` (50: as likely as not the same event) must have been scored by the
aligner running on the whole corpus; the recall above the aligner's own threshold (10 by
default: faint resemblances, mostly chance ones between unrelated passages) is printed too.
The aligner runs at its default settings unless told otherwise.
"""

from __future__ import annotations

import argparse
import os
import importlib
import random
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from nato_compare.alignment.aligner import AlignParams, align
from nato_compare.ingest import read_sources
from nato_compare.segment import split_sentences

REPO = Path(__file__).resolve().parent.parent

similarity = importlib.import_module("nato_compare.alignment.similarity")

SYNONYMS = [
    ["troops", "forces", "soldiers"],
    ["said", "stated", "declared"],
    ["aid", "assistance", "support"],
    ["announced", "unveiled", "revealed"],
    ["meeting", "talks", "summit"],
    ["alliance", "bloc"],
    ["countries", "nations", "states"],
    ["weapons", "arms"],
    ["leaders", "chiefs", "heads"],
    ["agreed", "approved", "endorsed"],
    ["plans", "intends", "aims"],
    ["increase", "boost", "raise"],
    ["help", "assist"],
    ["warned", "cautioned"],
    ["conflict", "war", "fighting"],
    ["urged", "called on", "pressed"],
    ["military", "armed forces"],
    ["however", "but", "yet"],
    ["confirmed", "affirmed"],
    ["major", "significant", "large"],
    ["recent", "latest"],
]
SYNONYM_OF = {w: group for group in SYNONYMS for w in group}
_WORD = re.compile(r"^(\W*)([\w’'-]+)(\W*)$")
_AMOUNT_WORDS = re.compile(r"\b(\d+(?:\.\d+)?) (billion|million) (euros|dollars)\b")
_AMOUNT_SYMBOL = re.compile(r"([€$])(\d+(?:\.\d+)?) (billion|million)\b")
SYLLABLES = (
    "ka lo mir ten sa vo rud pel an ki tor ba zel mu ri on fa gu dra ne vil os tam "
    "lek ju har po sin cer dum ye"
).split()


def seed_templates() -> tuple[list[str], list[str]]:
    """Sentences of the seed articles, and their lower-case content words."""
    sentences, words = [], set()
    for article in read_sources([REPO / "sources"]):
        for passage in article.passages:
            for start, end in split_sentences(passage.text):
                sentence = passage.text[start:end]
                if len(sentence.split()) >= 8:
                    sentences.append(sentence)
                    words.update(w for w in re.findall(r"[a-z]{4,}", sentence))
    return sentences, sorted(words)


class Generator:
    def __init__(self, seed: int, lexicon_size: int = 60_000) -> None:
        self.rng = random.Random(seed)
        self.templates, seed_words = seed_templates()
        made_up = set()
        while len(made_up) < lexicon_size:
            made_up.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))))
        self.lexicon = seed_words + sorted(made_up - set(seed_words))
        ranks = np.arange(1, len(self.lexicon) + 1)
        weights = 1.0 / (ranks + 20) ** 1.05
        self.cumulative = np.cumsum(weights / weights.sum())
        self.stop = set(similarity.STOP_WORDS) if hasattr(similarity, "STOP_WORDS") else set()

    def _zipf_words(self, k: int) -> list[str]:
        draws = np.searchsorted(self.cumulative, [self.rng.random() for _ in range(k)])
        return [self.lexicon[min(i, len(self.lexicon) - 1)] for i in draws]

    def _name(self) -> str:
        return "".join(
            self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))
        ).capitalize()

    def base(self) -> list[str]:
        """A fresh passage (list of sentences), each spliced from two template sentences."""
        names: dict[str, str] = {}
        sentences = []
        for _ in range(self.rng.randint(1, 3)):
            first, second = (t.split() for t in self.rng.sample(self.templates, 2))
            tokens = (
                first[: self.rng.randint(3, len(first))]
                + second[self.rng.randint(0, len(second) - 3) :]
            )
            fresh = iter(self._zipf_words(len(tokens)))
            out = []
            for position, token in enumerate(tokens):
                m = _WORD.match(token)
                if not m:
                    out.append(token)
                    continue
                pre, word, post = m.groups()
                if word[0].isdigit():
                    word = str(self.rng.randint(2, 999))
                elif word[0].isupper() and position > 0:
                    word = names.setdefault(word, self._name())
                elif len(word) > 3 and word.lower() not in self.stop and self.rng.random() < 0.85:
                    word = next(fresh)
                out.append(pre + word + post)
            sentences.append(" ".join(out))
        return sentences

    def paraphrase(self, sentences: list[str]) -> str:
        """An outlet's own wording of ``sentences``."""
        rng = self.rng
        out_sentences = []
        for sentence in sentences:
            out = []
            tokens = sentence.split()
            fresh = iter(self._zipf_words(len(tokens)))
            for token in tokens:
                m = _WORD.match(token)
                word = m.group(2).lower() if m else ""
                draw = rng.random()
                if word in SYNONYM_OF and draw < 0.6:
                    choice = rng.choice(SYNONYM_OF[word])
                    out.append(m.group(1) + choice + m.group(3))
                elif m and not word[:1].isdigit() and not m.group(2)[0].isupper() and draw < 0.08:
                    continue  # dropped
                elif m and word.isalpha() and len(word) > 3 and draw < 0.16:
                    out.append(m.group(1) + next(fresh) + m.group(3))  # the outlet's own word
                else:
                    out.append(token)
            out_sentences.append(" ".join(out))
        if len(out_sentences) > 1 and rng.random() < 0.3:
            rng.shuffle(out_sentences)
        if rng.random() < 0.3:
            out_sentences.append(" ".join(self.base()[:1]))
        text = " ".join(out_sentences)
        if rng.random() < 0.5:
            text = _AMOUNT_WORDS.sub(
                lambda m: f"{'€' if m[3] == 'euros' else '$'}{m[1]} {m[2]}", text
            )
        else:
            text = _AMOUNT_SYMBOL.sub(
                lambda m: f"{m[2]} {m[3]} {'euros' if m[1] == '€' else 'dollars'}", text
            )
        return text


def generate_corpus(
    passages: int, outlets: int = 20, seed: int = 1, unrelated: float = 0.4
) -> tuple[list[dict], dict[str, str | None]]:
    """``passages`` rows (id, article_id, outlet, text) and each passage's true event (or None).

    A *story* is 2-8 events (base passages); each outlet covering the story writes one article
    with its paraphrases of most of the story's events and a few passages of its own.
    Articles that cover no story hold only passages of their own.
    """
    gen = Generator(seed)
    rng = gen.rng
    names = [f"Outlet {i:02d}" for i in range(outlets)]
    articles: list[tuple[str, list[tuple[str, str | None]]]] = []
    count, event_no = 0, 0
    while count < passages * (1 - unrelated):
        story = []
        for _ in range(rng.randint(2, 8)):
            story.append((gen.base(), f"event-{event_no:07d}"))
            event_no += 1
        for outlet in rng.sample(names, min(outlets, 2 + int(rng.expovariate(0.5)))):
            body = [(gen.paraphrase(base), event) for base, event in story if rng.random() < 0.8]
            body += [(" ".join(gen.base()), None) for _ in range(rng.randint(0, 3))]
            rng.shuffle(body)
            articles.append((outlet, body))
            count += len(body)
    while count < passages:
        body = [(" ".join(gen.base()), None) for _ in range(rng.randint(4, 12))]
        articles.append((rng.choice(names), body))
        count += len(body)
    rows: list[dict] = []
    truth: dict[str, str | None] = {}
    for number, (outlet, body) in enumerate(articles):
        for k, (text, event) in enumerate(body):
            if len(rows) == passages:
                break
            pid = f"p-{number:06d}-{k:02d}"
            rows.append(
                {
                    "id": pid,
                    "article_id": f"{outlet[-2:]}-{number:06d}",
                    "outlet": outlet,
                    "text": text,
                }
            )
            truth[pid] = event
    return rows, truth


def _cpu_seconds() -> float:
    """User + system CPU time of this process, all threads (less sensitive to the machine's
    load than the wall time)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _subsample(rows: list[dict], truth: dict[str, str | None], size: int, seed: int) -> list[int]:
    """Indices of whole events (half of ``size``) plus unrelated passages."""
    rng = random.Random(seed)
    members: dict[str, list[int]] = {}
    loose = []
    for i, row in enumerate(rows):
        event = truth[row["id"]]
        (members.setdefault(event, []) if event else loose).append(i)
    chosen: list[int] = []
    for event in rng.sample(sorted(members), len(members)):
        if len(chosen) >= size // 2:
            break
        chosen.extend(members[event])
    chosen.extend(rng.sample(loose, min(len(loose), size - len(chosen))))
    return sorted(chosen)


def exhaustive(
    normalized: list[str], outlets: list[str], workers: int = -1
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Every cross-outlet pair scored by the aligner's scorer; also time ``cdist`` on the sample.

    Returns (pairs, scores, seconds with the same scorer, seconds of one ``process.cdist``
    ``token_sort_ratio`` matrix, the cheapest single rapidfuzz scorer).
    """
    n = len(normalized)
    i, j = np.triu_indices(n, k=1)
    codes = np.unique(outlets, return_inverse=True)[1]
    cross = codes[i] != codes[j]
    pairs = np.stack([i[cross], j[cross]], axis=1)
    start = time.perf_counter()
    scores = (
        np.concatenate(
            [
                similarity.similarity_many_normalized(
                    [normalized[a] for a in pairs[k : k + 200_000, 0]],
                    [normalized[b] for b in pairs[k : k + 200_000, 1]],
                    workers=workers,
                )
                for k in range(0, len(pairs), 200_000)
            ]
        )
        if len(pairs)
        else np.zeros(0)
    )
    same_scorer = time.perf_counter() - start
    start = time.perf_counter()
    process.cdist(
        normalized, normalized, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=workers
    )
    cdist_seconds = time.perf_counter() - start
    return pairs, scores, same_scorer, cdist_seconds


def run(
    passages: int,
    outlets: int = 20,
    seed: int = 1,
    sample: int = 2000,
    params: AlignParams | None = None,
    quiet: bool = False,
    recall_threshold: float = 50.0,
) -> dict:
    params = params or AlignParams()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    start = time.perf_counter()
    rows, truth = generate_corpus(passages, outlets, seed)
    say(f"generated {len(rows)} passages in {time.perf_counter() - start:.1f} s")
    rss_before = _rss_mb()
    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds()
    start = time.perf_counter()
    result = align(rows, params=params, return_scored=True)
    wall = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_before
    load_after = os.getloadavg()[0]
    peak = _rss_mb()
    say(f"aligned in {wall:.1f} s: {result.stats['seconds']}")

    chosen = _subsample(rows, truth, sample, seed)
    ids = [rows[i]["id"] for i in chosen]
    normalized = [similarity.normalize(rows[i]["text"]) for i in chosen]
    pairs, scores, same_seconds, cdist_seconds = exhaustive(
        normalized, [rows[i]["outlet"] for i in chosen], params.workers
    )
    above = {(ids[a], ids[b]) for (a, b), s in zip(pairs.tolist(), scores) if s >= recall_threshold}
    faint = {(ids[a], ids[b]) for (a, b), s in zip(pairs.tolist(), scores) if s >= params.threshold}
    # every pair the aligner scored (its own score may differ: it sets the corpus's common
    # words aside, see AlignParams.common_share), so this is the recall of candidate generation
    scored = set(result.scored)
    kept = {(p.a, p.b) for p in result.pairs}
    found = len(above & scored)

    sizes = np.unique([r["outlet"] for r in rows], return_counts=True)[1].astype(np.float64)
    full_pairs = (len(rows) ** 2 - (sizes**2).sum()) / 2
    extrapolated = same_seconds / max(len(pairs), 1) * full_pairs
    cdist_extrapolated = cdist_seconds / max(len(chosen) ** 2, 1) * len(rows) ** 2
    true_kept = sum(1 for a, b in kept if truth.get(a) and truth.get(a) == truth.get(b))
    return {
        "passages": len(rows),
        "outlets": outlets,
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "load_average_1min_before_after": (round(load_before, 2), round(load_after, 2)),
        "wall_seconds_without_evidence": round(
            wall - result.stats["seconds"].get("evidence", 0.0), 1
        ),
        "stage_seconds": result.stats["seconds"],
        "peak_rss_mb": round(peak),
        "rss_before_align_mb": round(rss_before),
        "pairs_scored": result.stats["candidates"],
        "pairs_kept": len(result.pairs),
        "events": len(result.events),
        "largest_event": max((len(e.members) for e in result.events), default=0),
        "kept_precision_vs_truth": round(true_kept / max(len(kept), 1), 3),
        "sample_passages": len(chosen),
        "sample_pairs_exhaustive": int(len(pairs)),
        "recall_threshold": recall_threshold,
        "sample_pairs_above_threshold": len(above),
        "recall_of_exhaustive": round(found / len(above), 4) if above else None,
        f"sample_pairs_above_{params.threshold:g}": len(faint),
        f"recall_of_exhaustive_above_{params.threshold:g}": round(
            len(faint & scored) / len(faint), 4
        )
        if faint
        else None,
        "exhaustive_seconds_extrapolated": round(extrapolated),
        "speedup_vs_same_scorer": round(extrapolated / wall, 1),
        "cdist_token_sort_seconds_extrapolated": round(cdist_extrapolated),
        "speedup_vs_cdist_token_sort": round(cdist_extrapolated / wall, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=200_000)
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sample",
        type=int,
        default=2000,
        help="passages in the exhaustive subsample (default 2000)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=AlignParams().threshold,
        help="the aligner's threshold (default: its default, %(default)s)",
    )
    parser.add_argument(
        "--recall-threshold",
        type=float,
        default=50.0,
        help="exhaustive pairs scoring at least this must be found (default 50: "
        "as likely as not the same event; recall above the aligner's "
        "threshold, which counts faint resemblances too, is printed as well)",
    )
    parser.add_argument("--index-tokens", type=int, default=AlignParams().index_tokens)
    parser.add_argument("--min-shared", type=int, default=AlignParams().min_shared)
    parser.add_argument("--max-postings", type=int, default=AlignParams().max_postings)
    parser.add_argument(
        "--processes",
        type=int,
        default=-1,
        help="worker processes for the per-passage stages (default -1: every "
        "core, as `nato-compare align` uses)",
    )
    parser.add_argument(
        "--no-evidence", action="store_true", help="time the alignment without evidence"
    )
    args = parser.parse_args(argv)
    params = AlignParams(
        threshold=args.threshold,
        index_tokens=args.index_tokens,
        min_shared=args.min_shared,
        max_postings=args.max_postings,
        with_evidence=not args.no_evidence,
        processes=args.processes,
    )
    print(f"settings: {params}")
    figures = run(
        args.passages,
        args.outlets,
        args.seed,
        args.sample,
        params,
        recall_threshold=args.recall_threshold,
    )
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
