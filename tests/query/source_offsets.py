#!/usr/bin/env python3
"""Search hits carry the unit's byte range in its source file (issue 16):
for every unit of the seeds that `search --all` returns, the bytes at
[source_start, source_end) of the file are the unit (its heading or the
start of its text, compared after NFKC, which the index's text went
through); the ranges survive `optimize` (a merge copies them).

    source_offsets.py CLAUSEDEX

Exit 0, 1 naming the first unit that is off, 77 (skipped) without the seeds
unless CI=true."""
import json
import os
import subprocess
import sys
import tempfile
import unicodedata


def nfkc(s):
    return "".join(unicodedata.normalize("NFKC", s).split())


def ranges(cli, ix):
    p = subprocess.run([cli, "search", "--json", "--all", "-i", ix, "企业 OR 政策 OR 发展"],
                       capture_output=True, text=True, check=True)
    return {(r["doc"], r["ordinal"]): r for r in map(json.loads, p.stdout.splitlines())
            if r["type"] == "match"}


def main():
    cli = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    seeds = os.environ.get("CLAUSEDEX_SEEDS") or os.path.join(here, "..", "..", "..", "shared", "corpus", "seeds")
    if not os.path.isdir(seeds):
        if os.environ.get("CI") == "true":
            print(f"FAIL: seed corpus not found at {seeds} (required under CI)")
            return 1
        print(f"SKIPPED: seed corpus not found at {seeds}")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        ix = os.path.join(tmp, "ix")
        subprocess.run([cli, "index", "-q", "-i", ix, seeds], check=True)
        got = ranges(cli, ix)
        bad = checked = 0
        for (doc, ordinal), r in sorted(got.items()):
            s, e = r["source_start"], r["source_end"]
            data = open(doc, "rb").read()
            if s is None or not (0 <= s < e <= len(data)):
                print(f"{doc} #{ordinal}: range {s}..{e} not in the file ({len(data)} bytes)")
                bad += 1
                continue
            if "002_" in os.path.basename(doc):
                continue  # repaired mojibake: the source bytes are not the text
            src = nfkc(data[s:e].decode("utf-8", "replace"))
            want = nfkc(r["heading"] or r["text"][:24])
            checked += 1
            if want not in src:
                print(f"{doc} #{ordinal}: {want[:30]!r} not in the source bytes {s}..{e}: {src[:60]!r}")
                bad += 1
        subprocess.run([cli, "optimize", "-i", ix], check=True, capture_output=True)
        after = ranges(cli, ix)
        moved = [k for k in got if (after[k]["source_start"], after[k]["source_end"]) !=
                 (got[k]["source_start"], got[k]["source_end"])]
        if moved:
            print(f"optimize changed the source range of {len(moved)} units, e.g. {moved[0]}")
            bad += 1
        print(f"{len(got)} units, {checked} compared with their source bytes, {bad} off")
        return 1 if bad or checked < 100 else 0


if __name__ == "__main__":
    sys.exit(main())
