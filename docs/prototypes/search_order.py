"""Does a search index whose row ids follow the name order answer faster?

Uses the 1,000,000-contact file that `import_floor.py bulkbuild 1000000`
leaves in /tmp. Its search index (`contact_search`) has row id = contact
id, as Agenda's has: a query must collect every candidate to sort them by
name (the planner's probes, up to 2,001 ids, and the probe "beyond the name
prefix"). Two more trigram indexes are built over the same rows:

- exact: row id = the contact's position in (sort_key, id) order, times
  1,024 (gaps). FTS5 returns matches in row id order, so the first page of
  any query is its first 51 matches and reading stops there;
- bucket6: row id = the first 6 characters of the name, coded in order,
  then the contact id (no table needed to find the contact); order is exact
  only between buckets, so a page must read to the end of its last bucket.

    python3 docs/prototypes/search_order.py

Prints the median of 7 runs per statement (milliseconds) and the rows read.
"""
import statistics
import time

import pysqlite3 as sqlite3

db = sqlite3.connect("/tmp/agenda-floor-bulkbuild.db", isolation_level=None)
db.execute("PRAGMA cache_size=-32768")


def code6(sort_key):
    value = 0
    for i in range(6):
        c = ord(sort_key[i]) if i < len(sort_key) else -1
        digit = (0 if c < 0 else 1 if c < 0x20 else 2 if c == 0x20 else 3 if c < 0x61
                 else 4 + c - 0x61 if c <= 0x7A else 30)
        value = value * 31 + digit
    return value


for table in ("r_exact", "r_bucket"):
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(text, phones,"
               " tokenize='trigram', content='', contentless_delete=1)")
if db.execute("SELECT count(*) FROM r_exact_docsize").fetchone()[0] == 0:
    rows = db.execute("SELECT id, sort_key, search_text, search_phones FROM contacts"
                      " ORDER BY sort_key, id").fetchall()
    db.execute("BEGIN")
    db.executemany("INSERT INTO r_exact (rowid, text, phones) VALUES (?, ?, ?)",
                   ((i * 1024, r[2], r[3]) for i, r in enumerate(rows, 1)))
    db.executemany("INSERT INTO r_bucket (rowid, text, phones) VALUES (?, ?, ?)",
                   sorted(((code6(r[1]) << 32) | r[0], r[2], r[3]) for r in rows))
    db.execute("COMMIT")

db.execute("PRAGMA cache_size=-2000")  # the search pool's default cache
digits = db.execute("SELECT substr(e164, 6, 8) FROM contact_phones WHERE id = 777777").fetchone()[0]
queries = {  # kind: (FTS5 expression as Agenda writes it, name prefix or None)
    "name prefix": ('{text}: "soni"', "soni"),
    "name substring": ('{text}: "ntun"', None),
    "full name": ('{text}: "sonia" AND {text}: "antunes"', "sonia antunes"),
    "first name": ('{text}: "sonia"', "sonia"),
    "e-mail, 8 chars": ('{text}: "sonia.an"', "sonia an"),
    "low selectivity": ('{text}: "silva"', "silva"),
    "e-mail (phrase)": ('{text}: "sonia.antunes55@bol.com.br"', None),
    "phone digits": ('{phones}: "%s"' % digits, None),
    "no match": ('{text}: "sonia" AND {text}: "zzq"', None),
}


def timed(sql, args):
    runs = []
    for _ in range(7):
        s = time.perf_counter()
        found = db.execute(sql, args).fetchall()
        runs.append((time.perf_counter() - s) * 1000)
    return statistics.median(runs), len(found)


PROBE = "SELECT rowid FROM contact_search WHERE contact_search MATCH ? LIMIT 2001"
print("kind | now: probe | now: beyond the prefix | exact: first page | bucket6: first page + rest of bucket")
for kind, (query, prefix) in queries.items():
    probe, probed = timed(PROBE, (query,))
    beyond, beyond_n = (0.0, 0)
    if prefix and probed > 2000:
        beyond, beyond_n = timed(PROBE, (f'({query}) NOT ({{text}} : ^"{prefix}")',))
    exact, exact_n = timed(
        "SELECT rowid FROM r_exact WHERE r_exact MATCH ? ORDER BY rowid LIMIT 51", (query,))
    first_sql = "SELECT rowid FROM r_bucket WHERE r_bucket MATCH ? ORDER BY rowid LIMIT 51"
    first, first_n = timed(first_sql, (query,))
    page = db.execute(first_sql, (query,)).fetchall()
    rest, rest_n = (0.0, 0)
    if len(page) == 51:
        last = page[-1][0]
        rest, rest_n = timed("SELECT rowid FROM r_bucket WHERE r_bucket MATCH ?"
                             " AND rowid > ? AND rowid < ?",
                             (query, last, ((last >> 32) + 1) << 32))
    print(f"{kind} | {probe:.2f} ms ({probed}) | {beyond:.2f} ms ({beyond_n}) |"
          f" {exact:.2f} ms ({exact_n}) | {first:.2f} + {rest:.2f} ms ({first_n} + {rest_n})")
