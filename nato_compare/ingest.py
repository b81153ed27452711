"""Sources → cleaned articles with metadata (no database, no UI).

Accepted sources:

- ``.txt`` / ``.md``: one article per file, web copy as saved from the page;
- ``.html`` / ``.htm``: one article per file, main text taken by trafilatura;
- ``.jsonl``: a corpus, one JSON object per line;
- ``.csv``: a corpus, one article per row with a header line.

Corpus rows carry the fields ``id``, ``outlet``, ``title``, ``date``, ``url``
and ``text`` (paragraphs separated by blank lines); only ``id`` and ``text``
are required. Corpus text is taken as already clean (research corpora are),
so only blank-line paragraphing is applied.

For single files, title, date and outlet are read from the page header
(:func:`extract_metadata`); a ``manifest.csv`` in the same folder (columns
``file, outlet, title, date, url``) overrides what was read. Where neither
names the outlet it is recorded as ``unknown``.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date as Date
from pathlib import Path
from typing import Any

from . import clean
from .errors import NatoCompareError, require
from .model import UNKNOWN_OUTLET, Article
from .segment import join_paragraphs, segment

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm"}
CORPUS_SUFFIXES = {".jsonl", ".csv"}
SUFFIXES = ARTICLE_SUFFIXES | CORPUS_SUFFIXES
MANIFEST_NAME = "manifest.csv"
MANIFEST_FIELDS = ("file", "outlet", "title", "date", "url")
CORPUS_FIELDS = ("id", "outlet", "title", "date", "url", "text")
FALLBACK_ENCODING = "cp1252"

#: Outlets recognised by name in a page header line.
KNOWN_OUTLETS = (
    "CGTN",
    "ICARO Media Group",
    "The Eastern Herald",
    "Fox News",
    "The New York Times",
    "HuffPost",
    "Reuters",
    "Associated Press",
    "BBC News",
    "Al Jazeera",
    "RT",
    "TASS",
    "Xinhua",
    "Politico",
    "The Guardian",
    "Deutsche Welle",
    "Euronews",
    "Kyiv Independent",
)
# Promotional lines that name the outlet ("Discover more from X", "follow X on …").
_OUTLET_IN_PROMO = [
    re.compile(r"^Discover more from (.+?)\s*$"),
    re.compile(r"\bfollow (.+?) on (?:Google News|Twitter|Facebook|Instagram)\b"),
]
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_DATE_LINE = re.compile(
    r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})\s+(?P<month2>[A-Z][a-z]+)\s+(?P<year2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\s*$"
)
_PUBLISHED = re.compile(r"^[–—-]?\s*(?:Published|Updated)(?: on)?:?\s*$", re.I)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "article"


#: Byte-order marks of the UTF encodings besides UTF-8 (UTF-32 first: its little-endian mark
#: begins with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_text(path: Path) -> str:
    """Decode a file: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, else cp1252
    with a warning."""
    data = path.read_bytes()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                data = data.decode(encoding).encode("utf-8")
            except UnicodeDecodeError as exc:
                raise NatoCompareError(
                    f"{path}: not valid {encoding.upper()} ({exc.reason} at byte {exc.start})"
                ) from None
            break
    if not data.strip():
        raise NatoCompareError(f"{path}: file is empty")
    if b"\x00" in data[:8192]:
        raise NatoCompareError(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        warnings.warn(
            f"{path}: not valid UTF-8 (byte {exc.start}); read as {FALLBACK_ENCODING}",
            stacklevel=2,
        )
        return data.decode(FALLBACK_ENCODING, errors="replace")


def parse_date(line: str) -> str | None:
    """An ISO date from a line that is only a date ("Friday, June 21, 2024")."""
    match = _DATE_LINE.match(line.strip())
    if not match:
        return None
    if match.group("iso"):
        return match.group("iso")
    month = (match.group("month") or match.group("month2")).lower()
    day = match.group("day") or match.group("day2")
    year = match.group("year") or match.group("year2")
    if month not in _MONTHS:
        return None
    try:
        return Date(int(year), _MONTHS.index(month) + 1, int(day)).isoformat()
    except ValueError:
        return None


def extract_metadata(lines: list[str]) -> dict[str, str | None]:
    """Title, date and outlet read from the page's header and promotional lines.

    The header is everything before the first body paragraph. Its date line
    gives the date; a line naming a known outlet gives the outlet; the title
    is the last remaining header line of at least three words that is not
    boilerplate (pages put the headline right before the byline or body).
    """
    counts = Counter(line.strip() for line in lines)
    meta: dict[str, str | None] = {"title": None, "date": None, "outlet": None}
    known = {o.lower(): o for o in KNOWN_OUTLETS}
    for line in lines:
        for pattern in _OUTLET_IN_PROMO:
            found = pattern.search(line)
            if found and not meta["outlet"]:
                meta["outlet"] = found.group(1).strip()
    for line in lines:
        line = line.strip()
        if clean.boilerplate_rule(line, counts) is None:
            break  # first body paragraph: the header ends here
        if parse_date(line):
            meta["date"] = meta["date"] or parse_date(line)
        elif line.lower() in known:
            meta["outlet"] = meta["outlet"] or known[line.lower()]
        elif (
            len(line.split()) >= 3
            and not _PUBLISHED.match(line)
            and clean.boilerplate_rule(line) in ("furniture", None)
        ):
            meta["title"] = line
    return meta


def load_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Rows of ``folder/manifest.csv`` keyed by file name (empty if there is none)."""
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = set(MANIFEST_FIELDS) - set(reader.fieldnames or [])
        if missing:
            raise NatoCompareError(f"{path}: missing columns: {', '.join(sorted(missing))}")
        return {row["file"]: row for row in reader}


def article_from_text(
    article_id: str, source: str, raw: str, overrides: Mapping[str, str | None] | None = None
) -> Article:
    lines = clean.paragraph_lines(raw)
    meta = extract_metadata(lines)
    for key, value in (overrides or {}).items():
        if key in meta or key in ("url", "story"):
            if value and value.strip():
                meta[key] = value.strip()
    kept, removed = clean.clean_lines(lines)
    if not kept:
        raise NatoCompareError(f"{source}: no article text left after removing boilerplate")
    text = join_paragraphs(kept)
    article = Article(
        id=article_id,
        source=source,
        outlet=meta.get("outlet") or UNKNOWN_OUTLET,
        title=meta.get("title"),
        date=meta.get("date"),
        url=meta.get("url"),
        story=meta.get("story"),
        cleaned_text=text,
        raw_text=raw,
        removed_lines=[f"{r.rule}: {r.line}" for r in removed],
    )
    article.passages = segment(article.id, text)
    return article


def article_from_html(
    article_id: str, source: str, html: str, overrides: Mapping[str, str | None]
) -> Article:
    trafilatura = require("trafilatura", "html", f"{source}: reading HTML")
    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text:
        raise NatoCompareError(f"{source}: no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    found: dict[str, str | None] = {
        "title": meta.title if meta else None,
        "date": meta.date if meta else None,
        "outlet": meta.sitename if meta else None,
        "url": meta.url if meta else None,
    }
    found.update({k: v for k, v in overrides.items() if v})  # story too
    header = "\n".join(filter(None, [found.get("title")]))
    article = article_from_text(article_id, source, f"{header}\n\n{text}", found)
    return article


def article_from_row(row: dict[str, Any], source: str) -> Article:
    missing = [f for f in ("id", "text") if not str(row.get(f) or "").strip()]
    if missing:
        raise NatoCompareError(f"{source}: row without {' and '.join(missing)}")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(row["text"])) if p.strip()]
    text = join_paragraphs(paragraphs)
    article_id = str(row["id"]).strip()
    article = Article(
        id=article_id,
        source=source,
        outlet=str(row.get("outlet") or "").strip() or UNKNOWN_OUTLET,
        title=str(row.get("title") or "").strip() or None,
        date=str(row.get("date") or "").strip() or None,
        url=str(row.get("url") or "").strip() or None,
        story=str(row.get("story") or "").strip() or None,
        cleaned_text=text,
        raw_text=str(row["text"]),
    )
    article.passages = segment(article_id, text)
    return article


def _check_types(row: dict[str, Any], where: str) -> None:
    """Refuse a corpus row whose fields are not text (a list stored as its Python repr, or
    ``true`` as "True", is no outlet or id); an id may be a whole number."""
    for name in (*CORPUS_FIELDS, "story"):
        value = row.get(name)
        if value is None or isinstance(value, str):
            continue
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            continue
        kind = {bool: "true/false", list: "a list", dict: "an object"}.get(
            type(value), f"a {type(value).__name__}"
        )
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise NatoCompareError(f"{where}: field {name!r} must be text, not {kind} ({shown})")


def read_corpus(path: Path) -> Iterator[Article]:
    text = read_text(path)
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise NatoCompareError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise NatoCompareError(f"{path}:{number}: expected a JSON object per line")
            _check_types(row, f"{path}:{number}")
            yield article_from_row(row, f"{path.name}:{number}")
    else:
        reader = csv.DictReader(text.splitlines(keepends=True))
        if not reader.fieldnames or not {"id", "text"} <= set(reader.fieldnames):
            raise NatoCompareError(f"{path}: a corpus CSV needs a header with at least id and text")
        for number, row in enumerate(reader, 2):
            yield article_from_row(row, f"{path.name}:{number}")


def read_article_file(path: Path, manifest: dict[str, dict[str, str]]) -> Article:
    overrides = {k: v for k, v in manifest.get(path.name, {}).items() if k != "file"}
    article_id = slugify(path.stem)
    if path.suffix.lower() in (".html", ".htm"):
        return article_from_html(article_id, path.name, read_text(path), overrides)
    return article_from_text(article_id, path.name, read_text(path), overrides)


def discover(paths: list[Path]) -> list[Path]:
    """Files to ingest under ``paths`` (folders are searched, not recursively)."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise NatoCompareError(f"no such file or directory: {path}")
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUFFIXES and p.name != MANIFEST_NAME
            )
            if not found:
                kinds = ", ".join(sorted(SUFFIXES))
                raise NatoCompareError(f"{path}: no article files ({kinds}) in this directory")
            files.extend(found)
        elif not path.is_file():  # reading a named pipe would wait for a writer forever
            raise NatoCompareError(
                f"{path}: not a regular file (a named pipe, socket or device); give a file"
            )
        elif path.suffix.lower() not in SUFFIXES:
            raise NatoCompareError(
                f"{path}: unsupported file type {path.suffix or '(none)'}; "
                f"use one of {', '.join(sorted(SUFFIXES))}"
            )
        else:
            files.append(path)
    return files


def read_sources(paths: list[Path]) -> Iterator[Article]:
    """Every article of ``paths``, cleaned and segmented, in a stable order."""
    for path in discover(paths):
        if path.suffix.lower() in CORPUS_SUFFIXES:
            yield from read_corpus(path)
        else:
            yield read_article_file(path, load_manifest(path.parent))
