"""Rewrite the README's schema block from a fresh database (run after adding a migration)."""

import re, sqlite3, tempfile, pathlib
from nato_compare.store import open_db

p = pathlib.Path(tempfile.mkdtemp()) / "s.db"
open_db(p).close()
conn = sqlite3.connect(p)
sqls = [
    s for (s,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
]
import textwrap


def tidy(sql):
    first, _, rest = sql.partition("\n")
    rest = textwrap.indent(textwrap.dedent(rest), "    ") if rest else ""
    rest = "\n".join(l for l in rest.splitlines())
    return (first + ("\n" + rest if rest else "")).replace("\n    )", "\n)").strip()


body = ";\n".join(tidy(s) for s in sqls) + ";\n"
block = f"<!-- schema:begin -->\n```sql\n{body}```\n<!-- schema:end -->"
r = pathlib.Path("README.md")
t = r.read_text()
if "<!-- schema:begin -->" in t:
    t = re.sub(r"<!-- schema:begin -->.*?<!-- schema:end -->", lambda m: block, t, flags=re.S)
else:
    t = t.replace("<!-- section: schema -->", "<!-- section: schema -->\n" + block)
r.write_text(t)
