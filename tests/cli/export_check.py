#!/usr/bin/env python3
"""clausedex export on the seed index: es-bulk pairs (action line + source
line, ids matching), the mapping's JSON (a property per field, the CJK
analyzer), every field of every unit round-tripped against show --json, CSV
equal to JSON Lines, and an unwritable or failing export creating nothing.

    export_check.py CLAUSEDEX SOURCE_DIR      (exit 77: skipped)"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile


def main():
    cli, src = sys.argv[1], sys.argv[2]
    seeds = os.environ.get("CLAUSEDEX_SEEDS") or os.path.join(src, "..", "shared", "corpus", "seeds")
    if not os.path.isdir(seeds):
        if os.environ.get("CI") == "true":
            print(f"FAIL: seed corpus missing at {seeds} (required under CI)")
            return 1
        print(f"SKIPPED: seed corpus not found at {seeds}")
        return 77
    fails = []

    def check(ok, what):
        if not ok:
            fails.append(what)
            print("FAIL:", what)

    def run(*args, status=0):
        p = subprocess.run([cli, *args], capture_output=True, text=True)
        check(p.returncode == status, f"{' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
        return p

    with tempfile.TemporaryDirectory() as tmp:
        ix = os.path.join(tmp, "ix")
        run("index", "-q", "-i", ix, seeds)
        jsonl = [json.loads(l) for l in run("export", "-i", ix, "-f", "jsonl").stdout.splitlines()]
        units = json.loads(run("stats", "--json", "-i", ix).stdout)["units"]
        check(len(jsonl) == units, f"{len(jsonl)} records for {units} units")
        # the bulk stream: pairs, the action naming the unit's id
        bulk = run("export", "-i", ix, "--es-index", "policies").stdout.splitlines()
        check(len(bulk) == 2 * len(jsonl), f"{len(bulk)} bulk lines for {len(jsonl)} units")
        for k in range(0, len(bulk) - 1, 2):
            action, source = json.loads(bulk[k]), json.loads(bulk[k + 1])
            check(list(action) == ["index"] and action["index"]["_index"] == "policies"
                  and action["index"]["_id"] == source["id"], f"bulk line {k + 1}: {bulk[k]}")
            check(source == jsonl[k // 2], f"bulk source {k + 2} differs from the JSON Lines record")
        # the mapping: a property per exported field, the CJK analyzer on the folded text
        mapping = json.loads(run("export", "-f", "es-mapping").stdout)
        an = mapping["settings"]["analysis"]["analyzer"]["clausedex_cjk"]
        check(an["filter"][0] == "cjk_width" and "cjk_bigram" in an["filter"], f"analyzer: {an}")
        props = mapping["mappings"]["properties"]
        check(list(props) == list(jsonl[0]), f"mapping properties {list(props)} != fields {list(jsonl[0])}")
        check(props["folded"].get("analyzer") == "clausedex_cjk", "folded is not analyzed with clausedex_cjk")
        check(all(props[f]["type"] == "keyword" for f in ("doc", "status", "kind", "departments")), "keyword filters")
        # round trip: every field against show --json, document by document
        by_id = {r["id"]: r for r in jsonl}
        docs = [json.loads(l) for l in run("docs", "--json", "-i", ix).stdout.splitlines()]
        shown = 0
        for d in docs:
            for u in (json.loads(l) for l in run("show", "--json", "-i", ix, d["doc"]).stdout.splitlines()):
                r = by_id.get(f"{u['doc']}#{u['ordinal']}")
                check(r is not None, f"unit {u['doc']}#{u['ordinal']} not exported")
                if r is None:
                    continue
                shown += 1
                for f in r:
                    if f in u:
                        check(r[f] == u[f], f"{r['id']}: {f} {r[f]!r} != show's {u[f]!r}")
                code = u["jurisdiction_code"]
                want = [] if not code else sorted({code // 10000 * 10000, code // 100 * 100, code})
                check(r["jurisdiction_codes"] == want, f"{r['id']}: codes {r['jurisdiction_codes']}")
                check(isinstance(r["folded"], str) and len(r["folded"]) > 0, f"{r['id']}: folded")
        check(shown == len(jsonl), f"{shown} units shown of {len(jsonl)}")
        check(any(r["folded"] != r["text"] for r in jsonl if "002_" in r["doc"]), "002 (Traditional) not folded")
        # CSV: the same records, lists joined by 、, null empty
        rows = list(csv.DictReader(io.StringIO(run("export", "-i", ix, "-f", "csv").stdout, newline="")))
        check(len(rows) == len(jsonl), f"{len(rows)} CSV rows")

        def cell(f, v):
            if v is None:
                return ""
            if f == "jurisdiction_codes":
                return " ".join(map(str, v))
            if isinstance(v, list):
                return "、".join(v)
            return str(v)
        for row, r in zip(rows, jsonl):
            for f, v in r.items():
                check(row[f] == cell(f, v), f"CSV {r['id']}: {f} {row[f]!r} != {cell(f, v)!r}")
        # a query exports its matches only
        q = [json.loads(l) for l in run("export", "-i", ix, "-f", "jsonl", "以旧换新").stdout.splitlines()]
        check(len(q) == 4 and all("以旧换新" in r["folded"] for r in q), f"query export: {len(q)}")
        # an unwritable target, a failing export: exit 2, one line, nothing created
        target = os.path.join(tmp, "no", "such", "dir", "out.ndjson")
        p = run("export", "-i", ix, "-o", target, status=2)
        check(p.stderr.count("\n") == 1 and not p.stdout, f"unwritable: {p.stderr!r}")
        check(not os.path.exists(os.path.join(tmp, "no")), "unwritable export created something")
        out = os.path.join(tmp, "out.ndjson")
        p = run("export", "-i", ix, "-o", out, "以旧换新 (港", status=2)
        check(sorted(os.listdir(tmp)) == ["ix"], f"a failed export left {os.listdir(tmp)}")
        run("export", "-i", os.path.join(tmp, "none"), "-o", out, status=2)
        check(sorted(os.listdir(tmp)) == ["ix"], f"an export of no index left {os.listdir(tmp)}")
        run("export", "-i", ix, "--es-index", "policies", "-o", out)
        with open(out, encoding="utf-8") as f:
            check(f.read().splitlines() == bulk, "-o FILE differs from stdout")
    print(f"export: {len(jsonl)} units, {'FAILED ' + str(len(fails)) if fails else 'ok'}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
