#!/usr/bin/env python3
"""Every command's --json output, record by record, against
docs/clausedex.schema.json (python3-jsonschema), on the seed index.

    json_schema.py CLAUSEDEX SOURCE_DIR

Exit 0 when every record validates, 1 naming the first that does not, 77
(skipped) without the seeds or jsonschema unless CI=true."""
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77


def skip_or_fail(why):
    if os.environ.get("CI") == "true":
        print(f"FAIL: {why} (required under CI)")
        sys.exit(1)
    print(f"SKIPPED: {why}")
    sys.exit(SKIP)


def main():
    cli, src = sys.argv[1], sys.argv[2]
    try:
        import jsonschema
    except ImportError:
        skip_or_fail("python3-jsonschema is not installed")
    seeds = os.environ.get("CLAUSEDEX_SEEDS") or os.path.join(src, "..", "shared", "corpus", "seeds")
    if not os.path.isdir(seeds):
        skip_or_fail(f"seed corpus not found at {seeds}")
    with open(os.path.join(src, "docs", "clausedex.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    # the schema itself rejects what the issue found: a date as an integer,
    # jurisdiction as an object, a record without its type, a missing field
    doc = {"type": "document", "doc": "a.txt", "title": "t", "jurisdiction": "乐清市",
           "jurisdiction_code": 330382, "status": "final", "status_class": "final", "edition": 2025,
           "date": "2025-03-06", "doc_number": None}
    assert validator.is_valid(doc), list(validator.iter_errors(doc))
    for broken in ({**doc, "date": 20250306}, {**doc, "date": 0}, {**doc, "edition": 0.5},
                   {**doc, "jurisdiction": {"name": "乐清市"}}, {k: v for k, v in doc.items() if k != "type"},
                   {k: v for k, v in doc.items() if k != "date"}, {**doc, "type": "bogus"}):
        if validator.is_valid(broken):
            print(f"the schema accepts a broken record: {broken}")
            sys.exit(1)
    seed = sorted(os.listdir(seeds))
    with tempfile.TemporaryDirectory() as tmp:
        ix = os.path.join(tmp, "ix")
        # (arguments, exit status, record types that must appear)
        runs = [
            (["index", "--json", "-i", ix, seeds], 0, {"summary", "report"}),
            (["index", "--json", "-i", ix, os.path.join(tmp, "missing.txt")], 2, {"error", "summary"}),
            (["search", "--json", "-i", ix, "以旧换新"], 0, {"begin", "match", "end", "summary"}),
            (["search", "--json", "-i", ix, "-n", "50", "企业", "-住房"], 0, {"begin", "match", "end", "summary"}),
            (["search", "--json", "-c", "-i", ix, "以旧换新"], 0, {"summary"}),
            (["search", "--json", "--explain", "-i", ix, "以旧换新 OR 人才"], 0, {"explain", "match", "summary"}),
            (["search", "--json", "-i", ix, "以旧换新 (港"], 2, {"error"}),
            (["show", "--json", "-i", ix, "001#（三）"], 0, {"unit"}),
            (["docs", "--json", "-i", ix], 0, {"document"}),
            (["stats", "--json", "-i", ix], 0, {"stats"}),
            (["changes", "--json", "-i", ix, "--since", "1"], 0, {"report"}),
            (["families", "--json", "-i", ix], 0, {"family"}),
            (["search", "--json", "-i", ix, "--facet", "dept,lead,jurisdiction,status,edition,year",
              "amount:>=100万 percent:>=1"], 0, {"match", "summary", "facet"}),
            (["depts", "--json", "-i", ix, "jurisdiction:乐清市"], 0, {"dept"}),
            (["check", "--json", "-i", ix], 0, {"summary"}),
            (["check", "--json", "-i", os.path.join(tmp, "none")], 2, {"error"}),
            (["parse", "--json"] + [os.path.join(seeds, s) for s in seed], 0, {"document"}),
            (["analyze", "--json", "溫州市推動經濟高質量發展 2025年"], 0, {"token"}),
            (["diff", "--json", "-i", ix, "000", "001"], 0, {"begin", "pair", "summary"}),
            (["similar", "--json", "-i", ix, "002#（十二）"], 0, {"match"}),
            (["coverage", "--json", "-i", ix, "002", "--under", "温州市"], 0, {"clause"}),
            (["delete", "--json", "-i", ix, "nosuch"], 2, {"error", "summary"}),
            (["delete", "--json", "-i", ix, os.path.join(seeds, seed[0])], 0, {"summary"}),
            (["optimize", "--json", "-i", ix], 0, {"summary"}),
            (["generate", "--json", "--size", "100K", os.path.join(tmp, "gen")], 0, {"summary"}),
        ]
        bad = 0
        for args, want_status, want_types in runs:
            p = subprocess.run([cli] + args, capture_output=True, text=True)
            name = " ".join(args[:2])
            if p.returncode != want_status:
                print(f"{name}: exit {p.returncode}, not {want_status}: {p.stderr.strip()}")
                bad += 1
            seen = set()
            for n, line in enumerate(p.stdout.splitlines(), 1):
                try:
                    rec = json.loads(line)
                except ValueError as e:
                    print(f"{name}: line {n} is not JSON ({e}): {line[:200]}")
                    bad += 1
                    continue
                errors = sorted(validator.iter_errors(rec), key=lambda e: list(e.path))
                for e in errors[:3]:
                    print(f"{name}: line {n} ({rec.get('type')}): {'/'.join(map(str, e.path))}: {e.message[:300]}")
                bad += bool(errors)
                seen.add(rec.get("type"))
            if not want_types <= seen:
                print(f"{name}: records {sorted(seen)}, missing {sorted(want_types - seen)}")
                bad += 1
            print(f"{name}: {len(p.stdout.splitlines())} records, types {sorted(seen)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
