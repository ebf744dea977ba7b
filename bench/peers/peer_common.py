"""Shared by the peer drivers: the records, the query set, the timing harness.

The peers answer the same fixed query set as clausedex (bench/workloads/queries.tsv)
over the same clause records, so each driver only has to say how it indexes a
record and how it runs one query; everything that must be identical across
engines (which queries, how many repetitions, how percentiles are taken, the
JSON shape of the result) lives here.

Records: JSON Lines, one per clause/unit:
  {"id": "...", "doc": "...", "text": "...", "jurisdiction_code": 330382,
   "jurisdiction_path": [330382, 330300, 330000], "status_class": "final"|"draft"}
jurisdiction_path is the place and its parents, so a filter on a city also
matches its counties, as clausedex's jurisdiction: filter does.
"""

import json
import math
import os
import sys
import time

FILTER_FIELDS = ("jurisdiction", "status")


def read_records(path, limit_bytes=0):
    """Yields record dicts; stops after about limit_bytes of text when > 0."""
    seen = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            yield rec
            seen += len(rec["text"].encode("utf-8"))
            if limit_bytes and seen >= limit_bytes:
                return


def read_queries(path):
    """[(class, query)] from a class<TAB>query file; '#' starts a comment."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if "\t" not in line:
                raise SystemExit(f"{path}:{n}: expected class<TAB>query")
            cls, q = line.split("\t", 1)
            out.append((cls.strip(), q.strip()))
    return out


class Query:
    """The subset of the clausedex query language the query set uses: words
    (ANDed), a flat `a OR b OR c` (in parentheses when filters follow), quoted
    phrases, and jurisdiction:CODE /
    status:final|draft filters. Anything else is refused, so a peer never
    silently answers a different question."""

    def __init__(self, text):
        self.text = text
        self.terms = []  # [(string, is_phrase)]
        self.filters = {}
        self.mode = "and"
        saw_or = saw_and = False
        prev_was_term = False
        # `(a OR b) filters`: clausedex's AND binds tighter than OR, so an OR
        # with filters is written in parentheses; one outer group is all the
        # query set needs.
        body = text
        if text.startswith("("):
            close = text.find(")")
            if close < 0:
                raise ValueError(f"unbalanced parenthesis in {text!r}")
            body = text[1:close] + " " + text[close + 1:]
        text = body
        # Tokenize by hand: a quoted phrase must stay distinguishable from a word.
        i, n = 0, len(text)
        toks = []
        while i < n:
            if text[i].isspace():
                i += 1
                continue
            if text[i] == '"':
                j = text.find('"', i + 1)
                if j < 0:
                    raise ValueError(f"unbalanced quote in {text!r}")
                toks.append((text[i + 1:j], True))
                i = j + 1
                continue
            j = i
            while j < n and not text[j].isspace():
                j += 1
            toks.append((text[i:j], False))
            i = j
        for tok, quoted in toks:
            if not quoted and tok == "OR":
                if not prev_was_term:
                    raise ValueError(f"OR without a left operand in {text!r}")
                saw_or = True
                prev_was_term = False
                continue
            if not quoted and ":" in tok and tok.split(":", 1)[0] in FILTER_FIELDS:
                field, value = tok.split(":", 1)
                if field == "jurisdiction" and not value.isdigit():
                    raise ValueError(f"peers need a GB/T 2260 code in {text!r}")
                if field == "status" and value not in ("final", "draft"):
                    raise ValueError(f"peers know status final|draft only in {text!r}")
                self.filters[field] = value
                continue
            if not quoted and (tok.startswith("-") or tok == "NOT" or "(" in tok or ")" in tok):
                raise ValueError(f"operator not supported by the peer drivers in {text!r}")
            if prev_was_term and not saw_or:
                saw_and = True
            self.terms.append((tok, quoted))
            prev_was_term = True
        if saw_or and saw_and:
            raise ValueError(f"mixed AND/OR not supported by the peer drivers in {text!r}")
        if saw_or:
            self.mode = "or"
        if not self.terms:
            raise ValueError(f"no terms in {text!r}")

    def matches_record(self, rec):
        """Literal substring semantics without any folding: the reference a
        plain scan gives, used to explain why engines disagree."""
        if not self.filter_ok(rec):
            return False
        t = rec["text"]
        hits = [s in t for s, _ in self.terms]
        return any(hits) if self.mode == "or" else all(hits)

    def filter_ok(self, rec):
        j = self.filters.get("jurisdiction")
        if j is not None and int(j) not in rec.get("jurisdiction_path", ()):
            return False
        s = self.filters.get("status")
        if s is not None and rec.get("status_class") != s:
            return False
        return True


def percentile(sorted_vals, p):
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_vals:
        return None
    k = max(0, min(len(sorted_vals) - 1, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def time_runs(fn, budget_s=0.25, min_runs=3, max_runs=50):
    """Runs fn once to warm up, then repeatedly; returns (result, [ms...])."""
    result = fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < max_runs:
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000.0)
        if len(samples) >= min_runs and time.perf_counter() - start > budget_s:
            break
    return result, samples


def summarize(samples):
    s = sorted(samples)
    return {"runs": len(s), "p50_ms": percentile(s, 50), "p95_ms": percentile(s, 95),
            "p99_ms": percentile(s, 99)}


def dir_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def run_queries(engine, queries, run_one, budget_s):
    """run_one(Query, mode) -> (count or None, note) where mode is "top10" or
    "count"; returns per-query results {class, query, matches, top10, count_only,
    note} (latencies as {runs, p50_ms, p95_ms, p99_ms}) and per-class pooled
    percentiles {class: {top10, count_only}}. matches is the exact count."""
    per_query = []
    pooled = {}
    for cls, qtext in queries:
        entry = {"class": cls, "query": qtext}
        try:
            q = Query(qtext)
        except ValueError as e:
            entry.update(matches=None, note=f"cannot answer: {e}")
            per_query.append(entry)
            continue
        for mode in ("top10", "count"):
            (count, note), samples = time_runs(lambda: run_one(q, mode), budget_s)
            if count is None:
                entry.update(matches=None, note=note)
                break
            key = "top10" if mode == "top10" else "count_only"
            entry[key] = summarize(samples)
            if note:
                entry["note"] = note
            if mode == "count":
                entry["matches"] = count
            pooled.setdefault(cls, {}).setdefault(key, []).extend(samples)
        per_query.append(entry)
    classes = {}
    for cls, modes in pooled.items():
        classes[cls] = {m: summarize(v) for m, v in modes.items()}
    return per_query, classes


def main_args(argv, name):
    import argparse
    ap = argparse.ArgumentParser(prog=name, description=f"{name} peer benchmark driver")
    ap.add_argument("--records", required=True, help="JSON Lines records (one per unit)")
    ap.add_argument("--queries", required=True, help="class<TAB>query file")
    ap.add_argument("--workdir", required=True, help="where to build the peer's index")
    ap.add_argument("--limit-mb", type=float, default=0, help="index only the first N MB of text")
    ap.add_argument("--budget", type=float, default=0.25, help="seconds of repetitions per query")
    ap.add_argument("--out", help="JSON result file (default stdout)")
    return ap.parse_args(argv)


def build_in_workdir(args, name, build):
    """Makes args.workdir and builds the peer's index `name` in it:
    build(records, path) over args.records (the first --limit-mb of text)
    gives (units, text bytes, seconds). Returns (path, units, text bytes,
    seconds)."""
    os.makedirs(args.workdir, exist_ok=True)
    path = os.path.join(args.workdir, name)
    n, text_bytes, secs = build(read_records(args.records, int(args.limit_mb * 1e6)), path)
    return path, n, text_bytes, secs


def emit(result, out):
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
