#!/usr/bin/python3
"""Xapian peer: the same clause records and query set, through Xapian 1.4's
CJK n-gram mode (FLAG_CJK_NGRAM on both TermGenerator and QueryParser, the
documented way to search Chinese with Xapian). Filters are boolean terms.

Runs with Debian's /usr/bin/python3 (python3-xapian is a Debian package).

Query translation, and why it differs from clausedex:
  * an unquoted Chinese word is what QueryParser makes of it: AND of its
    unigrams and bigrams. For 2-character words that is exact; for longer
    ones the bigrams may occur apart (高质 ... 质量), so Xapian can count more;
  * a quoted phrase is Xapian's phrase over unigrams, which crosses
    punctuation (济高 matches 经济，高质量);
  * no Traditional/Simplified or full/half-width folding.
"""

import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402

import xapian  # noqa: E402


def build(records, dbdir):
    if os.path.exists(dbdir):
        shutil.rmtree(dbdir)
    db = xapian.WritableDatabase(dbdir, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    n = text_bytes = 0
    t0 = time.perf_counter()
    for rec in records:
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(rec["text"])
        for code in rec.get("jurisdiction_path", ()):
            doc.add_boolean_term(f"XJ{code}")
        doc.add_boolean_term("XS" + rec.get("status_class", "final"))
        doc.set_data(rec["id"])
        db.add_document(doc)
        n += 1
        text_bytes += len(rec["text"].encode("utf-8"))
    db.commit()
    db.close()
    return n, text_bytes, time.perf_counter() - t0


def main(argv):
    args = pc.main_args(argv, "xapian_peer")
    dbdir, n, text_bytes, secs = pc.build_in_workdir(args, "xapian.db", build)

    db = xapian.Database(dbdir)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_default_op(xapian.Query.OP_AND)
    flags = (xapian.QueryParser.FLAG_CJK_NGRAM | xapian.QueryParser.FLAG_PHRASE
             | xapian.QueryParser.FLAG_DEFAULT)
    doccount = db.get_doccount()
    cache = {}

    def translate(q):
        if q.text in cache:
            return cache[q.text]
        parts = [qp.parse_query(f'"{s}"' if phrase else s, flags) for s, phrase in q.terms]
        op = xapian.Query.OP_OR if q.mode == "or" else xapian.Query.OP_AND
        xq = parts[0] if len(parts) == 1 else xapian.Query(op, parts)
        filters = []
        if "jurisdiction" in q.filters:
            filters.append(xapian.Query("XJ" + q.filters["jurisdiction"]))
        if "status" in q.filters:
            filters.append(xapian.Query("XS" + q.filters["status"]))
        for f in filters:
            xq = xapian.Query(xapian.Query.OP_FILTER, xq, f)
        enq = xapian.Enquire(db)
        enq.set_query(xq)
        cache[q.text] = enq
        return enq

    def run_one(q, mode):
        enq = translate(q)
        if mode == "top10":
            m = enq.get_mset(0, 10)
            [x.docid for x in m]
            return m.get_matches_estimated(), None
        # checkatleast = every document makes the count exact, not estimated.
        m = enq.get_mset(0, 0, doccount)
        return m.get_matches_estimated(), None

    per_query, classes = pc.run_queries("xapian", pc.read_queries(args.queries), run_one,
                                        args.budget)
    result = {
        "engine": "xapian",
        "version": xapian.version_string(),
        "config": "TermGenerator+QueryParser FLAG_CJK_NGRAM, default op AND, glass backend",
        "records": n,
        "text_bytes": text_bytes,
        "index_seconds": secs,
        "index_mb_s": text_bytes / 1e6 / secs if secs > 0 else None,
        "index_bytes": pc.dir_bytes(dbdir),
        "queries": per_query,
        "classes": classes,
    }
    pc.emit(result, args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
