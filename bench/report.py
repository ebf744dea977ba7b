#!/usr/bin/env python3
"""Renders bench/run's JSON report as Markdown.

    bench/report.py bench/results/latest.json > bench/results/latest.md

Every number comes from the JSON of one run; ratios compare figures measured
in that same run on the same machine.
"""

import json
import sys


def fmt(v, digits=2):
    if v is None:
        return "—"
    if isinstance(v, float):
        if v >= 100:
            return f"{v:.0f}"
        return f"{v:.{digits}f}"
    return str(v)


def mb(b):
    return f"{b / 1e6:.1f} MB" if b is not None else "—"


def ratio(peer, ours):
    if peer is None or ours is None or ours <= 0:
        return "—"
    return f"{peer / ours:.1f}x"


def class_order(*sources):
    seen = []
    for s in sources:
        for q in (s or {}).get("queries", []):
            if q["class"] not in seen:
                seen.append(q["class"])
    return seen


def find_key(obj, *needles):
    """First numeric value in a (nested) stats object whose key contains all
    needles: the stats JSON belongs to another module and may grow."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if all(n in k for n in needles) and isinstance(v, (int, float)):
                return v
        for v in obj.values():
            r = find_key(v, *needles)
            if r is not None:
                return r
    return None


def latency_table(lines, eng):
    lines.append("| class | queries | top-10 p50 ms | p95 | p99 | count-only p50 ms | p95 | p99 |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    n_by_class = {}
    for q in eng.get("queries", []):
        n_by_class[q["class"]] = n_by_class.get(q["class"], 0) + 1
    for cls in class_order(eng):
        c = eng.get("classes", {}).get(cls, {})
        t, k = c.get("top10", {}), c.get("count_only", {})
        lines.append(f"| {cls} | {n_by_class.get(cls, 0)} | {fmt(t.get('p50_ms'), 3)} | "
                     f"{fmt(t.get('p95_ms'), 3)} | {fmt(t.get('p99_ms'), 3)} | "
                     f"{fmt(k.get('p50_ms'), 3)} | {fmt(k.get('p95_ms'), 3)} | "
                     f"{fmt(k.get('p99_ms'), 3)} |")


def disagreement_reason(q, ours, lit, peers):
    """Why an engine's count differs from the literal substring scan, by the
    direction of the difference; peers is {engine: count or None}. The cases
    are explained with examples in bench/README.md ("Why the counts differ")."""
    reasons = []
    if ours is not None and lit is not None and ours != lit:
        if ours > lit:
            reasons.append("clausedex folds Traditional/full-width forms, a literal scan does not")
        else:
            reasons.append("clausedex finds fewer than a literal scan: investigate")
    why = {
        "xapian": ("Xapian matches a word's n-grams anywhere in the unit (unquoted) or a "
                   "unigram phrase across punctuation (quoted)",
                   "Xapian's term generator splits this text differently (digits/Latin next to Han)"),
        "sqlite-fts5": ("FTS5 trigram folds ASCII case only / tokenizes digits and Latin differently",
                        "FTS5 trigram folds ASCII case only / tokenizes digits and Latin differently"),
        "groonga": ("Groonga's NormalizerAuto folds width, case and some variants; a phrase's "
                    "bigrams match across punctuation Groonga tokenizes apart",
                    "Groonga's TokenBigram keeps a Latin/digit/symbol run as one token, so a word "
                    "ending or starting in one matches only whole runs"),
        "lucene": ("CJKAnalyzer drops punctuation, so a phrase matches across it "
                   "(责任单位：市科技局 = 责任单位市科技局)",
                   "CJKAnalyzer's StandardTokenizer cuts Han runs at digits/Latin, and a "
                   "character is found only inside a bigram or alone"),
    }
    why["lucenepp"] = why["lucene"]
    for name, n in peers.items():
        if n is None or lit is None or n == lit:
            continue
        more, fewer = why.get(name, (f"{name} finds more", f"{name} finds fewer"))
        reasons.append(f"{name} {'+' if n > lit else '-'}{abs(n - lit)}: {more if n > lit else fewer}")
    return "; ".join(reasons)


def peers_section(L, all_peers, es, lit, title, intro, ours_index, size_note, trad_note,
                  es_ids=None):
    """The peers' indexing, per-class latency and match-count tables against
    clausedex's figures es (bench_engine's JSON) on the same records."""
    peers = [p for p in all_peers if "skipped" not in p]
    skipped = [p for p in all_peers if "skipped" in p]
    if not (peers or skipped):
        return
    L.append(title)
    L.append("")
    L.append(intro)
    L.append("")
    for p in skipped:
        L.append(f"- {p['engine']}: skipped ({p['skipped']})")
    if skipped:
        L.append("")
    secs, mbs, ibytes, tbytes = ours_index
    L.append("| engine | index s | MB/s | index size | index / text |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    L.append(f"| clausedex | {fmt(secs)} | {fmt(mbs)} | {mb(ibytes)} | "
             f"{fmt(ibytes / tbytes if ibytes and tbytes else None)} |")
    for p in peers:
        # Peers count only clause text; clausedex's subset bytes are whole files.
        L.append(f"| {p['engine']} {p.get('version')} | {fmt(p.get('index_seconds'))} | "
                 f"{fmt(p.get('index_mb_s'))} | {mb(p.get('index_bytes'))} | "
                 f"{fmt(p['index_bytes'] / p['text_bytes'] if p.get('text_bytes') else None)} |")
    L.append("")
    L.append(size_note)
    L.append("")
    ids = (es_ids or {}).get("classes", {})
    hdr = "| class | clausedex top-10 p50 ms |" + (" clausedex ids-only |" if ids else "")
    sep = "| --- | ---: |" + (" ---: |" if ids else "")
    for p in peers:
        hdr += f" {p['engine']} p50 ms | ratio |"
        sep += " ---: | ---: |"
    L.append(hdr)
    L.append(sep)
    for cls in class_order(es):
        ours = es.get("classes", {}).get(cls, {}).get("top10", {}).get("p50_ms")
        row = f"| {cls} | {fmt(ours, 3)} |"
        if ids:
            ours = ids.get(cls, {}).get("top10", {}).get("p50_ms")
            row += f" {fmt(ours, 3)} |"
        for p in peers:
            v = p.get("classes", {}).get(cls, {}).get("top10", {}).get("p50_ms")
            row += f" {fmt(v, 3)} | {ratio(v, ours)} |"
        L.append(row)
    L.append("")
    L.append("Top-10 ratios are against clausedex's ids-only top-10 when it was measured (the "
             "peers' harnesses fetch ids, not texts)." if ids else "")
    L.append("")
    L.append("Count-only p50 (exact number of matching units):")
    L.append("")
    L.append(hdr.replace("top-10", "count").replace(" clausedex ids-only |", ""))
    L.append(sep.replace("| --- | ---: | ---: |", "| --- | ---: |", 1) if ids else sep)
    for cls in class_order(es):
        ours = es.get("classes", {}).get(cls, {}).get("count_only", {}).get("p50_ms")
        row = f"| {cls} | {fmt(ours, 3)} |"
        for p in peers:
            v = p.get("classes", {}).get(cls, {}).get("count_only", {}).get("p50_ms")
            row += f" {fmt(v, 3)} | {ratio(v, ours)} |"
        L.append(row)
    L.append("")

    # Match-count agreement, query by query.
    ours_q = es.get("queries", [])
    by_engine = {p["engine"]: p.get("queries", []) for p in peers}
    agree = total = 0
    rows = []
    for i, q in enumerate(ours_q):
        oc = q.get("matches")
        lc = lit[i] if i < len(lit) else None
        pcs = [by_engine[e][i].get("matches") if i < len(by_engine[e]) else None
               for e in by_engine]
        notes = [by_engine[e][i].get("note", "") if i < len(by_engine[e]) else ""
                 for e in by_engine]
        total += 1
        # A peer that cannot answer a query (filters, FTS5's short terms) does
        # not disagree; its note says why it has no count.
        if all(x == oc for x in pcs if x is not None) and (lc is None or lc == oc):
            agree += 1
            continue
        why = disagreement_reason(q, oc, lc, dict(zip(by_engine, pcs)))
        cannot = [f"{e}: {n}" for e, n in zip(by_engine, notes) if n.startswith("cannot")]
        if cannot:
            why = "; ".join([why] + cannot) if why else "; ".join(cannot)
        rows.append(f"| {q['class']} | `{q['query']}` | {fmt(oc)} | {fmt(lc)} | "
                    + " | ".join(fmt(x) for x in pcs) + f" | {why} |")
    L.append(f"### Match counts: {agree} of {total} queries agree across all engines and a "
             "literal substring scan")
    L.append("")
    if rows:
        L.append("| class | query | clausedex | literal scan | " + " | ".join(by_engine)
                 + " | why |")
        L.append("| --- | --- | ---: | ---: | " + " | ".join("---:" for _ in by_engine)
                 + " | --- |")
        L.extend(rows)
        L.append("")
    L.append("The literal scan is a Python substring test over the same records with no "
             "folding at all; FTS5 answers terms under 3 characters with an instr() scan; "
             "Groonga, Lucene and Lucene++ answer the unfiltered classes only (see each "
             "query's note in latest.json). bench/README.md explains every kind of "
             "disagreement." + trad_note)
    L.append("")


def whole_section(L, wp, title):
    """Whole search processes per class: wall and cpu medians per engine."""
    if not wp or wp.get("skipped") or not wp.get("queries"):
        return
    engines = wp.get("engines") or [k for k in wp["queries"][0] if k not in ("class", "query")]
    L.append(title)
    L.append("")
    L.append(f"One process per search, {wp.get('runs')} interleaved rounds after one warm-up round, "
             "medians of wall / cpu ms (the child's own rusage): `clausedex search -n 10 Q`, "
             "`quest -m 10` (Xapian), and each harness's `search` command (open, top-10, print "
             "the ten texts, exit; Lucene 4.10 includes starting a JVM).")
    L.append("")
    L.append("| class | query | " + " | ".join(engines) + " |")
    L.append("| --- | --- | " + " | ".join("---:" for _ in engines) + " |")
    for row in wp["queries"]:
        cells = []
        for e in engines:
            v = row.get(e) or {}
            cells.append(f"{fmt(v.get('wall_ms_p50'), 1)} / {fmt(v.get('cpu_ms_p50'), 1)}"
                         if "wall_ms_p50" in v else "—")
        L.append(f"| {row['class']} | `{row['query']}` | " + " | ".join(cells) + " |")
    L.append("")


def real_section(L, real, r):
    """--real: chinese-poetry beside the generated corpus."""
    if not real:
        return
    L.append("## Real text: chinese-poetry 2.0.1 beside the generated corpus")
    L.append("")
    if real.get("skipped"):
        L.append(f"Skipped: {real['skipped']}")
        L.append("")
        return
    c, ix = real["corpus"], real["index"]
    gen, gix = r.get("corpus", {}), r.get("index", {})
    st = ix.get("stats", {})
    L.append(f"{c['poems']} poems ({c['files']} files of {c['source']}: Tang and Song shi in "
             f"Traditional, Song ci in Simplified, unconverted), {mb(c['jsonl_bytes'])} as JSON "
             f"Lines (title, author, paragraphs), {mb(c['text_bytes'])} of poem text; one "
             "clausedex document and unit per poem.")
    L.append("")
    L.append("| corpus | input | index s (median) | MB/s of input | MB/s of text | index size | "
             "index / text | terms | segments |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    L.append(f"| generated {r.get('size_arg')} | {mb(gen.get('bytes'))} | {fmt(gix.get('seconds'))} | "
             f"{fmt(gix.get('mb_s'))} | — | {mb(gix.get('index_bytes'))} | "
             f"{fmt(gix['index_bytes'] / gen['bytes'] if gen.get('bytes') and gix.get('index_bytes') else None)} | "
             f"{fmt(find_key(gix.get('stats', {}), 'term'))} | "
             f"{fmt(find_key(gix.get('stats', {}), 'segment'))} |")
    L.append(f"| chinese-poetry | {mb(ix.get('input_bytes'))} | {fmt(ix.get('seconds'))} | "
             f"{fmt(ix.get('mb_s'))} | {fmt(ix.get('text_mb_s'))} | {mb(ix.get('index_bytes'))} | "
             f"{fmt(ix['index_bytes'] / c['text_bytes'] if ix.get('index_bytes') else None)} | "
             f"{fmt(find_key(st, 'term'))} | {fmt(find_key(st, 'segment'))} |")
    L.append("")
    L.append("Runs: " + ", ".join(f"{x['seconds']:.2f} s ({x['mb_s']:.2f} MB/s)"
                                  for x in ix.get("runs", [])) + ".")
    L.append("")
    eng = real.get("engine", {})
    L.append("### clausedex on the poems (bench_engine, warm, one thread)")
    L.append("")
    latency_table(L, eng)
    L.append("")
    peers_section(
        L, real.get("peers", []), eng, real.get("literal_counts") or [],
        title="### Peers on the poems (the same records)",
        intro="Every engine indexes all the poems; ratios are peer / clausedex, from this run.",
        ours_index=(ix.get("seconds"), ix.get("text_mb_s"), ix.get("index_bytes"), c["text_bytes"]),
        size_note="MB/s and index / text are over the poem text (UTF-8) for every engine here.",
        es_ids=real.get("engine_ids"),
        trad_note=(" Queries are written in Traditional: clausedex folds them to find the "
                   "Simplified Song ci as well, so it finds more than the literal scan."))
    whole_section(L, real.get("whole_process"), "### Whole processes on the poems")


def render(r):
    L = []
    m = r.get("machine", {})
    L.append(f"# clausedex end-to-end benchmark ({r.get('size_arg')}, {r.get('date')})")
    L.append("")
    L.append(f"Machine: {m.get('cpu', '?')}, {m.get('cores')} cores ({', '.join(m.get('simd', []))}), "
             f"{m.get('memory_gb')} GB, Linux {m.get('kernel')}, {m.get('compiler')}; "
             f"git {m.get('git')}. Total run {fmt(r.get('total_seconds'), 0)} s.")
    L.append("")

    c, ix = r.get("corpus", {}), r.get("index", {})
    st = ix.get("stats", {})
    bpp = find_key(st, "per_posting")
    L.append("## Indexing (full corpus)")
    L.append("")
    L.append("| documents | text | generate s | index s (wall) | CPU s | MB/s (wall) | MB per CPU s "
             "| peak RSS | index size | index / text | bytes per posting |")
    L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    L.append(f"| {c.get('documents')} | {mb(c.get('bytes'))} | {fmt(c.get('generate_seconds'))} | "
             f"{fmt(ix.get('seconds'))} | {fmt(ix.get('cpu_seconds'))} | {fmt(ix.get('mb_s'))} | "
             f"{fmt(ix.get('mb_per_cpu_s'))} | {mb(ix.get('peak_rss_bytes'))} | "
             f"{mb(ix.get('index_bytes'))} | "
             f"{fmt(ix.get('index_bytes', 0) / c['bytes'] if c.get('bytes') else None)} | "
             f"{fmt(bpp)} |")
    L.append("")
    runs = ix.get("runs") or []
    if len(runs) > 1:
        L.append(f"The median of {len(runs)} runs (the corpus indexed from scratch each time; a "
                 "shared VM's speed drifts between minutes): wall "
                 + ", ".join(f"{fmt(x.get('seconds'))} s ({fmt(x.get('mb_s'))} MB/s)" for x in runs)
                 + "; CPU " + ", ".join(f"{fmt(x.get('cpu_seconds'))} s" for x in runs) + ".")
        L.append("")

    ef = r.get("engine_full", {})
    units = find_key(st, "units")
    L.append(f"## Query latency, full corpus ({fmt(units)} units; warm, one thread, "
             f"{ef.get('runs', '?')} runs per query)")
    L.append("")
    latency_table(L, ef)
    L.append("")
    tp = ef.get("throughput", {})
    if tp:
        L.append(f"Throughput: {fmt(tp.get('qps'), 0)} queries/s with {tp.get('threads')} threads "
                 f"(top-10 over the whole query set, {tp.get('queries')} queries in "
                 f"{fmt(tp.get('seconds'))} s); one thread: {fmt(tp.get('single_thread_qps'), 0)} "
                 f"queries/s.")
        L.append("")
    al = r.get("align", {})
    if al and "skipped" not in al:
        L.append("## Alignment (bench_align: in-process, warm, one thread)")
        L.append("")
        L.append("| operation | calls | wall p50 ms | p90 | p99 | CPU p50 ms | CPU p99 | |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        notes = {"diff": "units per document", "similar": "top-10", "coverage": "jurisdictions compared"}
        for name in ("diff", "similar", "coverage"):
            x = al.get(name, {})
            extra = f"{fmt(x.get('units'), 0)} {notes[name]}" if x.get("units") else notes[name]
            L.append(f"| {name} | {x.get('n', 0)} | {fmt(x.get('p50_ms'))} | {fmt(x.get('p90_ms'))} | "
                     f"{fmt(x.get('p99_ms'))} | {fmt(x.get('cpu_p50_ms'))} | {fmt(x.get('cpu_p99_ms'))} | {extra} |")
        L.append("")
    errs = [q for q in ef.get("queries", []) if q.get("error")]
    if errs:
        L.append("Queries clausedex rejected:")
        for q in errs:
            L.append(f"- `{q['query']}`: {q['error']}")
        L.append("")

    ops = r.get("ops")
    if ops and ops.get("rows"):
        L.append("## Intersections and phrases")
        L.append("")
        L.append(f"bench_ops: an index of {ops['units']} units with words drawn independently at "
                 "fixed rates (list lengths below); median of "
                 f"{ops['runs']} warm runs, one thread. M postings/s = sum of the input list "
                 "lengths / count-only time. The last two rows run over the same two lists: their "
                 "difference is the cost of checking positions.")
        L.append("")
        L.append("| operation | query | postings in | matches | count-only ms | M postings/s | top-10 ms |")
        L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for o in ops["rows"]:
            L.append(f"| {o['operation']} | `{o['query']}` | {o['postings_in']} | {o['matches']} | "
                     f"{fmt(o['count_ms'], 3)} | {fmt(o['m_postings_per_s'], 0)} | "
                     f"{fmt(o['top10_ms'], 3)} |")
        L.append("")

    codec = r.get("codec")
    if codec:
        L.append("## Codec micro-benchmark")
        L.append("")
        if "skipped" in codec:
            L.append(f"Skipped: {codec['skipped']}.")
        elif codec.get("datasets"):
            L.append(f"bench_codec, decode path {codec.get('impl')}, median of {codec.get('runs')} "
                     "runs; millions of integers per second on one core.")
            L.append("")
            L.append("| dataset | ids | codec | bits/id | decode M/s | encode M/s |")
            L.append("| --- | ---: | --- | ---: | ---: | ---: |")
            for d in codec["datasets"]:
                for row in d.get("rows", []):
                    L.append(f"| {d.get('name')} | {d.get('ids')} | {row.get('codec')} | "
                             f"{fmt(row.get('bits_per_id'))} | {fmt(row.get('decode_mips'), 0)} | "
                             f"{fmt(row.get('encode_mips'), 0)} |")
        else:
            L.append("```json")
            L.append(json.dumps(codec, ensure_ascii=False, indent=1)[:4000])
            L.append("```")
        L.append("")

    sub = r.get("subset", {})
    si = sub.get("index", {})
    trad = sub.get("traditional_records")
    peers_section(
        L, r.get("peers", []), r.get("engine_subset", {}), r.get("literal_counts") or [],
        title=(f"## Peers (same {sub.get('records')} clause records: the first "
               f"{mb(sub.get('bytes'))} of the corpus, {sub.get('documents')} documents"
               f"{'' if not sub.get('whole_corpus') else ', the whole corpus'})"),
        intro=("The peers index too slowly for the full corpus, so they and clausedex index the "
               "same subset for this section; ratios are peer / clausedex, from this run."),
        ours_index=(si.get("seconds"), si.get("mb_s"), si.get("index_bytes"), sub.get("bytes")),
        size_note=("Peer index MB/s and size ratios are over the clause text they were given; "
                   "clausedex's over the document files."),
        es_ids=r.get("engine_subset_ids"),
        trad_note=(f" {trad} of the {sub.get('records')} records come from documents the "
                   "generator wrote in Traditional characters (its manifest says so): only "
                   "clausedex finds Simplified query words in them." if trad else ""))
    whole_section(L, r.get("whole_process"), "## Whole processes (same records)")
    real_section(L, r.get("real"), r)
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(render(json.load(f)))
