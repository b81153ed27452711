"""Regenerate the tables in docs/ that are made from the code: the database schema, the keys of
the annotation screen and every command's options.

A generated block sits between two markers in a Markdown page::

    <!-- generated: options align -->
    ...made by this script, do not edit...
    <!-- end generated -->

Run ``python tools/docs_tables.py`` after changing a command, a key or a migration;
``--check`` rewrites nothing and exits 1 naming every stale block (tests/test_docs.py runs it).
"""

from __future__ import annotations

import re
import sqlite3
import sys
import tempfile
import textwrap
from pathlib import Path

import click

REPO = Path(__file__).resolve().parent.parent
PAGES = sorted((REPO / "docs").glob("*.md"))
BLOCK = re.compile(
    r"(<!-- generated: (?P<name>[^>]*?) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S
)


def schema_sql() -> str:
    """`sqlite3 annotations.db .schema` of a new database, one statement after another."""
    from nato_compare.store import open_db

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.db"
        open_db(path).close()
        conn = sqlite3.connect(path)
        try:
            statements = [
                sql
                for (sql,) in conn.execute(
                    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
                )
            ]
        finally:
            conn.close()
    return "```sql\n" + ";\n".join(_tidy(sql) for sql in statements) + ";\n```\n"


def _tidy(sql: str) -> str:
    """A CREATE statement with its column lines indented by four spaces."""
    first, _, rest = sql.partition("\n")
    if not rest:
        return first.strip()
    body = textwrap.indent(textwrap.dedent(rest), "    ")
    return (first + "\n" + body).replace("\n    )", "\n)").strip()


def keys_table() -> str:
    """Every key of the annotation screen with the default codebook's labels."""
    from nato_compare.codebook import load_codebook
    from nato_compare.tui.bindings import COMMAND_BINDINGS, key_rows

    more = {b.key_display or b.key: b.tooltip for b in COMMAND_BINDINGS if b.tooltip}
    lines = ["| key | does |", "|---|---|"]
    for keys, does in key_rows(load_codebook()):
        if keys in more:
            does = f"{does} — {more[keys]}"
        lines.append(f"| `{_cell(keys)}` | {_cell(does)} |")
    return "\n".join(lines) + "\n"


def options_table(command_name: str) -> str:
    """A command's arguments and options with their defaults and help, as `--help` gives them."""
    from nato_compare.cli import main

    command = main.get_command(click.Context(main), command_name)
    if command is None:
        raise SystemExit(f"no command {command_name!r}")
    ctx = click.Context(command, info_name=command_name)
    lines = [
        f"`nato-compare {command_name} {' '.join(command.collect_usage_pieces(ctx))}`",
        "",
        "| option | default | meaning |",
        "|---|---|---|",
    ]
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if isinstance(param, click.Argument):
            lines.append(f"| `{param.make_metavar(ctx)}` | (argument) | |")
            continue
        if record is None or "--help" in param.opts:
            continue
        names, help_text = record
        default = ""
        match = re.search(r"\s*\[default: (.*?)\]$", help_text)
        if match:
            default = f"`{match.group(1)}`"
            help_text = help_text[: match.start()]
        help_text = re.sub(r"\s*\[(required)\]$", r" (\1)", help_text)
        lines.append(f"| `{_cell(names)}` | {default} | {_cell(help_text)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def make(name: str) -> str:
    """The text of the generated block called ``name``."""
    kind, _, argument = name.partition(" ")
    if kind == "schema":
        return schema_sql()
    if kind == "keys":
        return keys_table()
    if kind == "options":
        return options_table(argument)
    raise SystemExit(f"unknown generated block {name!r}")


def refresh(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + make(m.group("name")) + m.group(4), text)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        fresh = refresh(text)
        if fresh == text:
            continue
        if check:
            names = [m.group("name") for m in BLOCK.finditer(text)]
            changed = [n for n, m in zip(names, BLOCK.finditer(fresh)) if m.group(0) not in text]
            stale.append(f"{page.relative_to(REPO)}: {', '.join(changed)}")
        else:
            page.write_text(fresh, encoding="utf-8")
            print(f"updated {page.relative_to(REPO)}")
    if stale:
        print("stale generated tables (run python tools/docs_tables.py):", file=sys.stderr)
        for line in stale:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
