"""The aligner measured the way analysts measure it: the seed gold entered as judgements.

    python benchmarks/review_gold.py

The seed articles are ingested and aligned at the defaults (no judgements), then the gold pairs
of ``tests/data/gold_alignments.csv`` are written as a links file (``same`` → ``same``;
``related``, the same theme but another event, → ``different``) and read in with
``nato-compare import``, as a gold standard made elsewhere would be; ``nato-compare align
--evaluate`` prints the precision and recall of the run per outlet pair, with 95 % Wilson
intervals. Every step is the real command.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "gold_alignments.csv"
VERDICT = {"same": "same", "related": "different"}


def command(*args: str, cwd: Path) -> str:
    executable = Path(sys.executable).parent / "nato-compare"
    done = subprocess.run(
        [str(executable), *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout + done.stderr


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(command("ingest", str(REPO / "sources"), "--db", "seed.db", cwd=folder), end="")
        print(command("align", "--ignore-judgements", "--db", "seed.db", cwd=folder), end="")
        links = folder / "gold-links.csv"
        with GOLD.open(encoding="utf-8") as source, links.open("w", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["passage_a", "passage_b", "verdict", "annotator", "created_at"])
            for row in csv.DictReader(source):
                writer.writerow(
                    [
                        row["passage_a"],
                        row["passage_b"],
                        VERDICT[row["relation"]],
                        "seed-gold",
                        "2026-01-01T00:00:00+00:00",
                    ]
                )
        print(command("import", str(links), "--db", "seed.db", cwd=folder), end="")
        print(command("align", "--evaluate", "--db", "seed.db", cwd=folder), end="")


if __name__ == "__main__":
    main()
