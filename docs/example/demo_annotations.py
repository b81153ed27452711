"""Write reproducible example annotations by "alice" and "bob" for the worked example of docs/exporting.md.

Neither is a real coder. alice labels every live passage of the seed sources
by the keyword rules below; bob follows the same rules but, like a second
human coder, sometimes sees it differently: for each passage a random
generator seeded by the passage id (so every run gives the same labels) makes
him pick another stance about one time in four and add or drop a frame about
one time in five. Annotation ids are derived from the annotation's content, so
running the script twice adds nothing.

    nato-compare ingest sources/ --db alice.db
    nato-compare ingest sources/ --db bob.db
    python docs/example/demo_annotations.py alice.db bob.db
"""

from __future__ import annotations

import random
import re
import sys
import uuid

from nato_compare.export import single_label_dimensions
from nato_compare.store import open_db
from nato_compare.store.articles import current_passages
from nato_compare.store.exchange import insert_annotations

STAMP = "2026-01-15T09:00:00+00:00"
STANCES = ["FAVOR", "AGAINST", "NONE"]

# stance toward NATO military support to Ukraine, first matching rule wins
STANCE_RULES = [
    (
        "AGAINST",
        r"\bno (immediate|imminent)\b|\bdilemma\b|\bfatigue\b|\bescalat|\breluctan|\bcritic",
    ),
    ("FAVOR", r"\bsupport\b|\baid\b|\bpledge|\bbillion\b|\bweapons\b|\bair defen[cs]e"),
]
FRAME_RULES = [
    ("Economic", r"\bbillion\b|\beuros?\b|\bbudget|\bcosts?\b|\binvest|\bfund"),
    (
        "Security and defense",
        r"\bmilitary\b|\bweapons?\b|\bdefen[cs]e\b|\bsecurity\b|\bthreat|\barms\b",
    ),
    ("Political", r"\bsummit\b|\ballies\b|\bmembers?\b|\belection|\bStoltenberg\b|\bRutte\b"),
    ("Policy prescription and evaluation", r"\bpledge|\bplan\b|\bpropos|\bcommit"),
]


def rule_labels(text: str) -> tuple[str, set[str]]:
    stance = next((label for label, rule in STANCE_RULES if re.search(rule, text, re.I)), "NONE")
    frames = {label for label, rule in FRAME_RULES if re.search(rule, text, re.I)} or {"Other"}
    return stance, frames


def labels_for(annotator: str, passage_id: str, text: str) -> tuple[str, set[str]]:
    stance, frames = rule_labels(text)
    if annotator == "bob":
        rng = random.Random(f"bob:{passage_id}")
        if rng.random() < 0.25:
            stance = rng.choice([s for s in STANCES if s != stance])
        if rng.random() < 0.2:
            frames ^= {rng.choice([label for label, _ in FRAME_RULES])}
        frames = frames or {"Other"}
    return stance, frames


def annotate(db_path: str, annotator: str) -> int:
    db = open_db(db_path)
    try:
        rows = []
        for passage in current_passages(db):
            stance, frames = labels_for(annotator, passage["id"], passage["text"])
            for dimension, label in [("stance", stance)] + [("frame", f) for f in sorted(frames)]:
                key = f"{annotator}\x1f{passage['id']}\x1f{dimension}\x1f{label}"
                rows.append(
                    {
                        "id": uuid.uuid5(uuid.NAMESPACE_URL, key).hex,
                        "annotator": annotator,
                        "passage_id": passage["id"],
                        "dimension": dimension,
                        "label": label,
                        "note": "",
                        "created_at": STAMP,
                    }
                )
        with db.atomic():
            result = insert_annotations(db, rows, single_label_dimensions())
        return result.inserted
    finally:
        db.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python docs/example/demo_annotations.py ALICE_DB BOB_DB")
    for name, path in zip(("alice", "bob"), sys.argv[1:]):
        print(f"{name}: {annotate(path, name)} annotations -> {path}", file=sys.stderr)
