"""Scale of the aligner on a seeded synthetic corpus, and of the real command end to end.

    python benchmarks/scale.py                        # 200,000 passages from 20 outlets
    python benchmarks/scale.py --passages 20000 --command
        # and: the real `nato-compare align` over a database of the same passages, against one
        # exhaustive rapidfuzz cdist (token_sort_ratio) of every passage with every other

The corpus: sentences of the seed articles (``sources/``) serve as templates. An *event* is a
base passage of 1-3 sentences, each spliced from two template sentences, whose names, numbers
and most content words are replaced, so that no two events share more than common words. A
*story* is 2-8 events; each outlet covering it writes one article of its paraphrases of most of
them (synonyms swapped, words dropped, amounts rewritten, sentences reordered) and a few
passages of its own. ``--unrelated`` of the passages are in articles nobody else's covers.

Printed: wall and CPU time of :func:`nato_compare.alignment.align` (all stages, evidence
included), peak memory, the stages' seconds; purity of the pairs (both passages report one
event) and recall of the true event pairs; and the recall of the exhaustive pairs the aligner
targets: on a sample of whole stories plus lone articles, the claim stage is run over every
cross-outlet article pair (no story linking), and each pair it keeps between passages of one
event must also be found by the aligner on the whole corpus (paired, or put in one event).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

from nato_compare.alignment import AlignParams, align
from nato_compare.alignment import aligner as aligner_module
from nato_compare.normalize import STOP_WORDS
from nato_compare.ingest import read_sources
from nato_compare.segment import split_sentences

REPO = Path(__file__).resolve().parent.parent

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
        self.stop = set(STOP_WORDS)

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
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _true_pairs(rows: list[dict], truth: dict[str, str | None]) -> set[tuple[str, str]]:
    by_event: dict[str, list[dict]] = {}
    for row in rows:
        if truth[row["id"]]:
            by_event.setdefault(truth[row["id"]], []).append(row)
    pairs = set()
    for members in by_event.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                if a["outlet"] != b["outlet"]:
                    pairs.add((min(a["id"], b["id"]), max(a["id"], b["id"])))
    return pairs


def _sample(rows: list[dict], truth: dict[str, str | None], articles: int, seed: int) -> list[dict]:
    """Whole stories (articles sharing an event) and lone articles, about ``articles`` of them."""
    rng = random.Random(seed)
    by_article: dict[str, list[dict]] = {}
    for row in rows:
        by_article.setdefault(row["article_id"], []).append(row)
    events_of = {a: {truth[r["id"]] for r in rs} - {None} for a, rs in by_article.items()}
    article_of_event: dict[str, set[str]] = {}
    for a, events in events_of.items():
        for e in events:
            article_of_event.setdefault(e, set()).add(a)
    chosen: set[str] = set()
    names = sorted(by_article)
    rng.shuffle(names)
    for a in names:
        if len(chosen) >= articles:
            break
        story = {a} | {b for e in events_of[a] for b in article_of_event[e]}
        chosen |= story
    return [r for a in sorted(chosen) for r in by_article[a]]


def exhaustive_targets(rows: list[dict], truth: dict[str, str | None], params: AlignParams) -> set:
    """The pairs of one event the claim stage keeps when every cross-outlet article pair is
    compared (story linking replaced by 'every pair')."""
    original = aligner_module.link_stories

    def every_pair(articles, **_):
        return [
            (i, j, 1.0)
            for i in range(len(articles))
            for j in range(i + 1, len(articles))
            if articles[i].outlet != articles[j].outlet
        ]

    aligner_module.link_stories = every_pair
    try:
        result = align(rows, params=params, with_evidence=False)
    finally:
        aligner_module.link_stories = original
    return {(p.a, p.b) for p in result.pairs if truth[p.a] and truth[p.a] == truth[p.b]}


def run(passages: int, outlets: int, seed: int, unrelated: float, sample_articles: int) -> None:
    started = time.perf_counter()
    rows, truth = generate_corpus(passages, outlets=outlets, seed=seed, unrelated=unrelated)
    print(
        f"corpus: {len(rows):,} passages, {len({r['article_id'] for r in rows}):,} articles, "
        f"{outlets} outlets (made in {time.perf_counter() - started:.1f} s)"
    )
    params = AlignParams(processes=-1)
    cpu, wall = _cpu_seconds(), time.perf_counter()
    result = align(rows, params=params)
    wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
    kept = {(p.a, p.b) for p in result.pairs}
    right = sum(1 for a, b in kept if truth[a] and truth[a] == truth[b])
    true_pairs = _true_pairs(rows, truth)
    print(
        f"align: {wall:.1f} s wall, {cpu:.1f} s CPU in this process (workers not counted), "
        f"peak {_rss_mb():,.0f} MB; stages {result.stats['seconds']}"
    )
    print(
        f"  {result.stats['story_links']:,} story links, {result.stats['candidates']:,} sentence "
        f"pairs scored, {len(kept):,} pairs kept, {len(result.events):,} events"
    )
    print(
        f"  purity {right / max(len(kept), 1):.3f}; recall of the true event pairs "
        f"{len(kept & true_pairs) / max(len(true_pairs), 1):.3f} ({len(true_pairs):,})"
    )
    sample = _sample(rows, truth, sample_articles, seed)
    targets = exhaustive_targets(sample, truth, params)
    events_of: dict[str, set[str]] = {}  # a passage may stand in several events
    for event in result.events:
        for member in event.members:
            events_of.setdefault(member.passage_id, set()).add(event.id)
    found = sum(
        1 for a, b in targets if (a, b) in kept or events_of.get(a, set()) & events_of.get(b, set())
    )
    print(
        f"  exhaustive targets on a sample of {len(sample):,} passages: {len(targets):,}; "
        f"found by the aligner on the whole corpus (paired, or in one event): "
        f"{found / max(len(targets), 1):.3f}"
    )


def run_command(passages: int, outlets: int, seed: int, unrelated: float) -> None:
    """The real command over a database, against one exhaustive cdist, timed in one run."""
    rows, _ = generate_corpus(passages, outlets=outlets, seed=seed, unrelated=unrelated)
    with tempfile.TemporaryDirectory() as tmp:
        corpus, db = Path(tmp) / "corpus.jsonl", Path(tmp) / "scale.db"
        by_article: dict[str, list[dict]] = {}
        for row in rows:
            by_article.setdefault(row["article_id"], []).append(row)
        with corpus.open("w", encoding="utf-8") as out:
            for article, members in by_article.items():
                text = "\n\n".join(r["text"] for r in members)
                out.write(
                    json.dumps({"id": article, "outlet": members[0]["outlet"], "text": text}) + "\n"
                )
        command = [str(Path(sys.executable).parent / "nato-compare")]
        subprocess.run(
            [*command, "ingest", str(corpus), "--db", str(db)], check=True, capture_output=True
        )
        stored = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sqlite3,sys; print(sqlite3.connect(sys.argv[1])"
                ".execute('select count(*) from passages').fetchone()[0])",
                str(db),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        started = time.perf_counter()
        subprocess.run(
            [*command, "align", "--db", str(db), "--output", str(Path(tmp) / "a.csv")],
            check=True,
            capture_output=True,
        )
        command_seconds = time.perf_counter() - started
        texts = [r["text"] for r in rows]
        started = time.perf_counter()
        process.cdist(
            texts,
            texts,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            workers=-1,
            dtype=np.uint8,
        )
        cdist_seconds = time.perf_counter() - started
    print(
        f"end to end, {stored} passages in the database: 'nato-compare align --output' "
        f"{command_seconds:.1f} s (reading the database, aligning, storing the run, writing "
        f"the CSV); one exhaustive cdist of token_sort_ratio {cdist_seconds:.1f} s: "
        f"{cdist_seconds / command_seconds:.0f}x faster"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=200_000)
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unrelated", type=float, default=0.4)
    parser.add_argument("--sample-articles", type=int, default=400)
    parser.add_argument(
        "--command",
        action="store_true",
        help="also time the real command end to end against one cdist",
    )
    args = parser.parse_args(argv)
    run(args.passages, args.outlets, args.seed, args.unrelated, args.sample_articles)
    if args.command:
        run_command(args.passages, args.outlets, args.seed, args.unrelated)


if __name__ == "__main__":
    main()
