#!/usr/bin/env python3
"""SQLite FTS5 peer: the same clause records and query set through an FTS5
table with the trigram tokenizer (the only built-in FTS5 tokenizer that finds
Chinese words inside running text).

The trigram index cannot serve a term of fewer than 3 characters, and most
Chinese words have 2. Such terms fall back to instr(text, term) > 0, which
SQLite evaluates by reading every row (or every MATCH candidate, when another
term of the query has 3+ characters). Each query's "note" says which path it
took: "match", "match+scan" or "scan". A pure scan has no bm25 rank, so its
top-10 is the first 10 rows found (unranked), cheaper than a ranked top-10.
No Traditional/Simplified or full/half-width folding (trigram folds ASCII case).
"""

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402


def build(records, path):
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(text, jpath UNINDEXED, status UNINDEXED, "
                "id UNINDEXED, tokenize='trigram')")
    n = text_bytes = 0
    t0 = time.perf_counter()
    con.execute("BEGIN")
    for rec in records:
        jpath = " " + " ".join(str(c) for c in rec.get("jurisdiction_path", ())) + " "
        con.execute("INSERT INTO t(text, jpath, status, id) VALUES (?,?,?,?)",
                    (rec["text"], jpath, rec.get("status_class", "final"), rec["id"]))
        n += 1
        text_bytes += len(rec["text"].encode("utf-8"))
    con.execute("COMMIT")
    secs = time.perf_counter() - t0
    con.close()
    return n, text_bytes, secs


def fts_quote(s):
    return '"' + s.replace('"', '""') + '"'


def translate(q):
    """(sql_where, params, path) for the query; path is match|match+scan|scan."""
    long_terms = [s for s, _ in q.terms if len(s) >= 3]
    short_terms = [s for s, _ in q.terms if len(s) < 3]
    where, params = [], []
    if q.mode == "or" and short_terms:
        # One short operand forces the whole OR to a scan.
        where.append("(" + " OR ".join("instr(text, ?) > 0" for _ in q.terms) + ")")
        params.extend(s for s, _ in q.terms)
        path = "scan"
    else:
        if long_terms:
            op = " OR " if q.mode == "or" else " AND "
            where.append("t MATCH ?")
            params.append(op.join(fts_quote(s) for s in long_terms))
        for s in short_terms:
            where.append("instr(text, ?) > 0")
            params.append(s)
        path = "match" if not short_terms else ("match+scan" if long_terms else "scan")
    if "jurisdiction" in q.filters:
        where.append("instr(jpath, ?) > 0")
        params.append(f" {q.filters['jurisdiction']} ")
    if "status" in q.filters:
        where.append("status = ?")
        params.append(q.filters["status"])
    return " AND ".join(where), params, path


def main(argv):
    args = pc.main_args(argv, "fts5_peer")
    path, n, text_bytes, secs = pc.build_in_workdir(args, "fts5.db", build)
    index_bytes = pc.dir_bytes(path)

    con = sqlite3.connect(path)

    def run_one(q, mode):
        where, params, qpath = translate(q)
        note = qpath if qpath == "match" else f"{qpath} (terms under 3 characters use instr)"
        if mode == "top10":
            order = " ORDER BY rank" if qpath != "scan" else ""
            rows = con.execute(f"SELECT rowid FROM t WHERE {where}{order} LIMIT 10", params).fetchall()
            return len(rows), note
        return con.execute(f"SELECT count(*) FROM t WHERE {where}", params).fetchone()[0], note

    per_query, classes = pc.run_queries("fts5", pc.read_queries(args.queries), run_one,
                                        args.budget)
    result = {
        "engine": "sqlite-fts5",
        "version": sqlite3.sqlite_version,
        "config": "fts5 tokenize=trigram; terms < 3 characters via instr() scan",
        "records": n,
        "text_bytes": text_bytes,
        "index_seconds": secs,
        "index_mb_s": text_bytes / 1e6 / secs if secs > 0 else None,
        "index_bytes": index_bytes,
        "queries": per_query,
        "classes": classes,
    }
    pc.emit(result, args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
