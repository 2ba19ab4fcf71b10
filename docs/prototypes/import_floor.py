"""What SQLite alone needs to store an import, without Agenda's code.

Builds the real schema (migrations/sqlite) in a scratch file and inserts N
generated contacts (one to three phones, one e-mail, the search columns
filled as the import fills them) in transactions of 2,500 rows, with the
import's bulk-writer settings (32 MiB cache, checkpoint every 8,192 pages).

    pip install pysqlite3-binary        # SQLite 3.51; the stdlib one is older
    python3 docs/prototypes/import_floor.py bare 1000000
    python3 docs/prototypes/import_floor.py bulkbuild 1000000

MODE full: the schema as it is (every index and the FTS5 trigram index
maintained by the triggers while rows arrive); bare: no secondary index and
no search index (the cost of storing the rows alone); bulkbuild: bare, then
each index and the search index built once at the end (the cheapest order
SQLite offers, possible only for an empty database). Python's own time to
generate the rows is measured apart and left out.
"""
import glob
import os
import random
import sys
import time

import pysqlite3 as sqlite3

mode, n = sys.argv[1], int(sys.argv[2])
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
path = f"/tmp/agenda-floor-{mode}.db"
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("PRAGMA cache_size=-32768")
db.execute("PRAGMA wal_autocheckpoint=8192")
for migration in sorted(glob.glob(os.path.join(root, "migrations/sqlite/*.sql"))):
    db.executescript(open(migration).read())
db.execute("INSERT INTO companies (id, name, created_at) VALUES (1, 'x', '2026')")
secondary = db.execute(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    " AND tbl_name IN ('contacts', 'contact_phones', 'contact_emails')").fetchall()
index_trigger = db.execute(
    "SELECT name, sql FROM sqlite_master WHERE name = 'contact_search_index_insert'").fetchall()
if mode in ("bare", "bulkbuild"):
    for name, _ in secondary + index_trigger:
        db.execute(f"DROP {'TRIGGER' if name.startswith('contact_search') else 'INDEX'} {name}")

random.seed(7)
first = ("ana maria joao jose sonia monica paulo pedro lucas rafael carla julia"
         " beatriz otavio vitoria bruno").split()
last = ("silva souza santos oliveira pereira lima costa antunes falcao ribeiro"
        " almeida carvalho gomes martins rocha").split()


def rows(lo, hi):
    contacts, phones, emails = [], [], []
    for i in range(lo, hi):
        f, l1, l2 = random.choice(first), random.choice(last), random.choice(last)
        name = f"{f} {l1} {l2}"
        email = f"{f}.{l1}{random.randint(1, 99)}@bol.com.br"
        numbers = ["+55%d9%08d" % (random.randint(11, 99), random.randint(0, 99999999))
                   for _ in range(random.randint(1, 3))]
        contacts.append((i, name.title(), name, f"Rua X, {i}", name + "\n" + email,
                         "\n".join(p[1:] for p in numbers)))
        phones.extend((i, p, k) for k, p in enumerate(numbers))
        emails.append((i, email, 0))
    return contacts, phones, emails


BATCH = 2500
start = time.time()
generating = 0.0
for lo in range(1, n + 1, BATCH):
    g = time.time()
    contacts, phones, emails = rows(lo, min(lo + BATCH, n + 1))
    generating += time.time() - g
    db.execute("BEGIN")
    db.executemany("INSERT INTO contact_phones (company_id, contact_id, e164, position)"
                   " VALUES (1, ?, ?, ?)", phones)
    db.executemany("INSERT INTO contact_emails (company_id, contact_id, email, position)"
                   " VALUES (1, ?, ?, ?)", emails)
    db.executemany("INSERT INTO contacts (id, company_id, name, sort_key, address, created_at,"
                   " updated_at, search_text, search_phones)"
                   " VALUES (?, 1, ?, ?, ?, '2026', '2026', ?, ?)", contacts)
    db.execute("COMMIT")
stored = time.time() - start - generating
print(f"{mode} {n:,} contacts: inserts {stored:.1f} s -> {n / stored:,.0f} rows/s"
      f" (generating in Python, not counted: {generating:.1f} s)")
if mode == "bulkbuild":
    db.execute("BEGIN")
    for name, sql in secondary:
        s = time.time()
        db.execute(sql)
        print(f"  index {name}: {time.time() - s:.1f} s")
    s = time.time()
    db.execute("INSERT INTO contact_search (rowid, text, phones)"
               " SELECT id, search_text, search_phones FROM contacts")
    print(f"  search index (FTS5 trigram): {time.time() - s:.1f} s")
    for _, sql in index_trigger:
        db.execute(sql)
    db.execute("COMMIT")
    total = time.time() - start - generating
    print(f"bulkbuild total {total:.1f} s -> {n / total:,.0f} rows/s")
