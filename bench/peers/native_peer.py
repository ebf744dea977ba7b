#!/usr/bin/python3
"""Groonga 13, Lucene 4.10 and Lucene++ 3.0.8 peers: builds the engine's small
harness (groonga_peer.c, LucenePeer.java, lucenepp_peer.cpp in this folder),
indexes the records with it, runs the query set in the harness's own process
and writes the same result JSON as xapian_peer.py.

    native_peer.py --engine groonga|lucene|lucenepp --records R.jsonl --queries Q.tsv
                   --workdir DIR [--runs N] [--warm N] [--out OUT.json]

The harnesses share two plain files, written here once per workdir:
  records.tsv   one record's text a line, tabs and line breaks made spaces; a
                record's id is its 1-based line number (Groonga's _id, Lucene's
                doc number + 1)
  queries.peer  one query a line: OP<TAB>KIND:TERM<TAB>..., OP and|or, KIND w
                (word), p (quoted phrase), c (one character). Only queries
                without filters: the native harnesses index the text alone, so
                the +filter classes are reported as not answered.
and print `q N COUNT IDS TOP10_MS,... COUNT_MS,...` per query. Timing is
in-process: the whole set runs --warm times (Lucene's JIT needs it; the issue
asks for 20), then each query --runs times top-10 and --runs times count-only.
"""

import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peer_common as pc  # noqa: E402

ENGINES = ("groonga", "lucene", "lucenepp")
LUCENE_JARS = ("/usr/share/java/lucene-core-4.10.4.jar",
               "/usr/share/java/lucene-analyzers-common-4.10.4.jar")


class Unavailable(Exception):
    pass


def _pkg_flags(*pkgs):
    r = subprocess.run(["pkg-config", "--cflags", "--libs", *pkgs], capture_output=True, text=True)
    if r.returncode != 0:
        raise Unavailable(f"pkg-config {' '.join(pkgs)} failed (run bench/deps)")
    return r.stdout.split()


def build(engine, bindir):
    """Compiles the harness into bindir; returns the argv prefix that runs it.
    Raises Unavailable naming what is missing."""
    os.makedirs(bindir, exist_ok=True)
    if engine == "groonga":
        exe = os.path.join(bindir, "groonga_peer")
        src = os.path.join(HERE, "groonga_peer.c")
        cmd = ["cc", "-O2", "-std=c11", "-Wall", "-Wextra", "-o", exe, src] + _pkg_flags("groonga")
        prefix = [exe]
    elif engine == "lucenepp":
        exe = os.path.join(bindir, "lucenepp_peer")
        src = os.path.join(HERE, "lucenepp_peer.cpp")
        cmd = ["c++", "-O2", "-std=c++17", "-w", "-o", exe, src] + _pkg_flags("liblucene++",
                                                                           "liblucene++-contrib")
        prefix = [exe]
    elif engine == "lucene":
        missing = [j for j in LUCENE_JARS if not os.path.exists(j)]
        if missing or not shutil.which("javac") or not shutil.which("java"):
            raise Unavailable("liblucene4.10-java or a JDK missing (run bench/deps)")
        exe = os.path.join(bindir, "LucenePeer.class")
        src = os.path.join(HERE, "LucenePeer.java")
        cp = ":".join(LUCENE_JARS)
        cmd = ["javac", "-nowarn", "-d", bindir, "-cp", cp, src]
        prefix = ["java", "-cp", bindir + ":" + cp, "LucenePeer"]
    else:
        raise Unavailable(f"unknown engine {engine}")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise Unavailable(f"building the {engine} harness failed: {r.stderr.strip()[-300:]}")
    return prefix


def version(engine):
    if engine == "groonga":
        r = subprocess.run(["pkg-config", "--modversion", "groonga"], capture_output=True, text=True)
        return r.stdout.strip() or "?"
    if engine == "lucenepp":
        r = subprocess.run(["pkg-config", "--modversion", "liblucene++"], capture_output=True, text=True)
        return r.stdout.strip() or "?"
    return "4.10.4"


def write_inputs(records, queries, workdir):
    """records.tsv and queries.peer (see the module doc); returns
    (tsv path, peer-query path, [(class, query, line index or None, note)])."""
    tsv = os.path.join(workdir, "records.tsv")
    stamp = f"{os.path.realpath(records)} {os.path.getmtime(records)} {os.path.getsize(records)}"
    if not (os.path.exists(tsv + ".stamp") and open(tsv + ".stamp").read() == stamp):
        with open(tsv, "w", encoding="utf-8") as out:
            for rec in pc.read_records(records):
                t = rec["text"].replace("\t", " ").replace("\n", " ").replace("\r", " ")
                out.write(t + "\n")
        with open(tsv + ".stamp", "w") as f:
            f.write(stamp)
    qpath = os.path.join(workdir, "queries.peer")
    plan = []
    lines = []
    for cls, qtext in pc.read_queries(queries):
        try:
            q = pc.Query(qtext)
        except ValueError as e:
            plan.append((cls, qtext, None, f"cannot answer: {e}"))
            continue
        if q.filters:
            plan.append((cls, qtext, None, "filters not indexed by this harness"))
            continue
        fields = [q.mode]
        for s, phrase in q.terms:
            kind = "p" if phrase else ("c" if len(s) == 1 else "w")
            fields.append(f"{kind}:{s}")
        plan.append((cls, qtext, len(lines), None))
        lines.append("\t".join(fields))
    with open(qpath, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return tsv, qpath, plan


def peer_argv(q):
    """The harness's `search` arguments for one query text (whole process)."""
    pq = pc.Query(q)
    if pq.filters:
        raise ValueError("filters not indexed by the native harnesses")
    return [pq.mode] + [f"{'p' if ph else ('c' if len(s) == 1 else 'w')}:{s}" for s, ph in pq.terms]


def allocated_bytes(path):
    """Bytes on disk (st_blocks), not apparent sizes: Groonga creates its files
    at fixed sizes that stay sparse (8-17 MB each for a 1 MB index)."""
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.stat(os.path.join(root, f)).st_blocks * 512
    return total


def index_path(engine, workdir):
    return os.path.join(workdir, f"{engine}.idx")


def query(prefix, target, qpath, plan, warm, runs):
    """Runs the harness's bench command; returns (per-query results, per-class
    pooled percentiles) in peer_common.run_queries's shape."""
    r = subprocess.run(prefix + ["bench", target, qpath, str(warm), str(runs)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Unavailable(f"{prefix[-1]} queries failed: {r.stderr.strip()[-300:]}")
    got = {}
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) == 6 and f[0] == "q":
            got[int(f[1])] = (int(f[2]), f[3], [float(x) for x in f[4].split(",")],
                              [float(x) for x in f[5].split(",")])
    per_query, pooled = [], {}
    for cls, qtext, i, note in plan:
        entry = {"class": cls, "query": qtext}
        if i is None or i not in got:
            entry.update(matches=None, note=note or "no answer from the harness")
        else:
            count, ids, top, cnt = got[i]
            entry.update(matches=count, top10_ids=[] if ids == "-" else [int(x) for x in ids.split(",")],
                         top10=pc.summarize(top), count_only=pc.summarize(cnt))
            pooled.setdefault(cls, {}).setdefault("top10", []).extend(top)
            pooled[cls].setdefault("count_only", []).extend(cnt)
        per_query.append(entry)
    return per_query, {c: {m: pc.summarize(v) for m, v in modes.items()}
                       for c, modes in pooled.items()}


def run(engine, records, queries, workdir, runs, warm):
    os.makedirs(workdir, exist_ok=True)
    prefix = build(engine, os.path.join(workdir, "bin"))
    tsv, qpath, plan = write_inputs(records, queries, workdir)
    idx = index_path(engine, workdir)
    if os.path.exists(idx):
        shutil.rmtree(idx)
    os.makedirs(idx)
    target = os.path.join(idx, "db") if engine == "groonga" else idx
    t0 = time.perf_counter()
    r = subprocess.run(prefix + ["index", target, tsv], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise Unavailable(f"{engine} index failed: {r.stderr.strip()[-300:]}")
    _, secs, n, text_bytes = r.stdout.split()
    per_query, classes = query(prefix, target, qpath, plan, warm, runs)
    configs = {
        "groonga": "TABLE_NO_KEY + LongText; Terms TABLE_PAT_KEY TokenBigram NormalizerAuto, "
                   "index COLUMN_INDEX|WITH_POSITION built after the load; select sorted by -_score",
        "lucene": "CJKAnalyzer, TextField stored, forceMerge(1); TopDocs top-10 and "
                  "TotalHitCountCollector; JIT warmed by the whole set",
        "lucenepp": "contrib CJKAnalyzer, stored field, optimize(); TopDocs top-10 and a "
                    "counting collector",
    }
    return {
        "engine": engine, "version": version(engine), "config": configs[engine],
        "records": int(n), "text_bytes": int(text_bytes), "index_seconds": float(secs),
        "index_wall_seconds": wall, "index_mb_s": int(text_bytes) / 1e6 / max(float(secs), 1e-9),
        "index_bytes": allocated_bytes(idx), "index_apparent_bytes": pc.dir_bytes(idx),
        "warm_rounds": warm, "runs": runs,
        "queries": per_query, "classes": classes,
        "search_argv": prefix + ["search", target],
    }


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", required=True, choices=ENGINES)
    ap.add_argument("--records", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warm", type=int, default=20)
    ap.add_argument("--out")
    a = ap.parse_args(argv)
    try:
        res = run(a.engine, a.records, a.queries, a.workdir, a.runs, a.warm)
    except Unavailable as e:
        print(f"native_peer {a.engine}: {e}", file=sys.stderr)
        sys.exit(3)
    pc.emit(res, a.out)


if __name__ == "__main__":
    main(sys.argv[1:])
