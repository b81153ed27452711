"""Export, import, merge, agreement and report on a synthetic team: prints timings.

Builds a database of ARTICLES articles × PASSAGES passages from 5 outlets,
has CODERS annotators each give every passage a stance and one or two frames
(seeded, so runs are comparable), then times each operation.

    python benchmarks/exchange.py [--articles 200] [--passages 25] [--coders 3]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from pathlib import Path

from nato_compare.agreement import agreement
from nato_compare.export import export_annotations, import_annotations, merge_databases
from nato_compare.report import distribution, render_image
from nato_compare.store import open_db
from nato_compare.store.exchange import insert_annotations

FRAMES = ["Economic", "Security and defense", "Political", "Morality", "Public opinion"]
STAMP = "2026-01-01T00:00:00+00:00"


def build(path: Path, articles: int, passages: int) -> list[str]:
    db = open_db(path)
    ids = []
    with db.atomic():
        for a in range(articles):
            db["articles"].insert(
                {
                    "id": f"a{a}",
                    "source": f"a{a}.txt",
                    "outlet": f"Outlet {a % 5}",
                    "title": f"Title {a}",
                    "date": "2024",
                    "url": None,
                    "content_hash": str(a),
                    "cleaned_text": "x",
                    "removed_lines": 0,
                    "ingested_at": STAMP,
                    "updated_at": STAMP,
                }
            )
            rows = [
                {
                    "id": f"p-{a}-{s}",
                    "article_id": f"a{a}",
                    "seq": s,
                    "start": 0,
                    "end": 1,
                    "text": f'Passage {s} of article {a}, with "quotes"\nand a second line.',
                    "created_at": STAMP,
                    "superseded_at": None,
                }
                for s in range(passages)
            ]
            db["passages"].insert_all(rows)
            ids += [r["id"] for r in rows]
    db.close()
    return ids


def annotations(coder: str, passages: list[str]) -> list[dict]:
    rng = random.Random(coder)
    rows = []
    for p in passages:
        labels = [("stance", rng.choice(["FAVOR", "AGAINST", "NONE"]))]
        labels += [("frame", f) for f in rng.sample(FRAMES, rng.randint(1, 2))]
        rows += [
            {
                "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                "annotator": coder,
                "passage_id": p,
                "dimension": d,
                "label": label,
                "note": "",
                "created_at": STAMP,
            }
            for d, label in labels
        ]
    return rows


def timed(name: str, func):
    start = time.perf_counter()
    value = func()
    print(f"{name:<44} {time.perf_counter() - start:7.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--passages", type=int, default=25)
    parser.add_argument("--coders", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        coders = [f"coder{i}" for i in range(args.coders)]
        laptops = []
        for coder in coders:
            path = tmp / f"{coder}.db"
            passages = build(path, args.articles, args.passages)
            db = open_db(path)
            with db.atomic():
                insert_annotations(db, annotations(coder, passages), frozenset({"stance"}))
            db.close()
            laptops.append(path)
        team = tmp / "team.db"
        build(team, args.articles, args.passages)
        print(f"{len(passages)} passages, {len(coders)} coders")
        merged = timed(f"merge {len(coders)} databases", lambda: merge_databases(laptops, team))
        total = sum(r.inserted for r in merged.per_database.values())
        print(f"  {total} annotations merged")
        timed("merge again (idempotent)", lambda: merge_databases(laptops, team))
        out = tmp / "all.csv"
        count = timed("export CSV", lambda: export_annotations(team, out))
        print(f"  {count} rows, {out.stat().st_size / 1e6:.1f} MB")
        fresh = tmp / "fresh.db"
        build(fresh, args.articles, args.passages)
        timed("import CSV into a fresh database", lambda: import_annotations(out, fresh))
        figures = timed("agreement (all dimensions, per outlet)", lambda: agreement(team))
        print(f"  {len(figures)} figures")
        table = timed("report table", lambda: distribution(team))
        timed("report PNG", lambda: render_image(table))


if __name__ == "__main__":
    main()
