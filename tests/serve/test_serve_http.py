#!/usr/bin/env python3
"""clausedex serve over HTTP: every endpoint answers, bad input of every kind
(malformed queries, unknown endpoints and parameters, oversized requests,
invalid UTF-8 and NUL in any parameter, path traversal in the path and in
every parameter, wrong methods, bodies, random bytes) gets its HTTP status
and a JSON error, and the server never dies; the bearer token; a commit by
another process seen without a restart; 503 while there is no index.

usage: test_serve_http.py CLAUSEDEX WORKDIR   (a generated corpus: no seeds needed)
"""
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import Server, q  # noqa: E402

cli, work = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def expect_error(srv, target, status, code=None, param=None, **kw):
    st, r, body = srv.get(target, **kw)
    ok = st == status and isinstance(body, dict) and "error" in body and body["error"]["status"] == status
    if ok and code:
        ok = body["error"]["code"] == code
    if ok and param is not None:
        ok = body["error"].get("param") == param
    check(ok, f"{kw.get('method', 'GET')} {target[:120]!r}: want {status} {code or ''} {param or ''}, "
              f"got {st} {body if isinstance(body, dict) else body[:200]!r}")
    check(srv.alive(), f"server died after {target[:80]!r}")
    return body


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
corpus, index = os.path.join(work, "corpus"), os.path.join(work, "index")
subprocess.run([cli, "generate", "--size", "300K", "--seed", "7", corpus], check=True, capture_output=True)
files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(corpus) for f in fs if f.endswith(".txt"))
half = files[: len(files) // 2]
subprocess.run([cli, "index", "-i", index, *half], check=True, capture_output=True)

srv = Server(cli, index)
try:
    # ---- the endpoints answer ----
    st, _, health = srv.get("/health")
    check(st == 200 and health["status"] == "ok" and health["snapshot"] == 1, f"/health: {st} {health}")
    st, _, docs = srv.get("/docs")
    check(st == 200 and len(docs["documents"]) == len(half), f"/docs: {st} {len(docs.get('documents', []))}")
    doc0, doc1 = docs["documents"][0]["doc"], docs["documents"][1]["doc"]
    st, _, stats = srv.get("/stats")
    check(st == 200 and stats["documents"] == len(half), f"/stats: {st}")
    st, _, res = srv.get("/search?" + q(q="发展", n=3))
    check(st == 200 and res["total"] > 3 and res["count"] == 3 and len(res["hits"]) == 3
          and "elapsed_ms" in res, f"/search: {st} {str(res)[:200]}")
    hit = res["hits"][0]
    check(all(k in hit for k in ("doc", "title", "text", "highlights", "number", "rank")), "hit keys")
    st, _, page2 = srv.get("/search?" + q(q="发展", n=3, offset=3))
    check(st == 200 and page2["hits"][0]["rank"] == 4, "offset paging")
    st, _, cnt = srv.get("/search?" + q(q="发展", count=1))
    check(st == 200 and cnt["total"] == res["total"] and cnt["hits"] == [], "count only")
    place = hit["jurisdiction"]
    st, _, filt = srv.get("/search?" + q(q="发展", jurisdiction=place, n=100))
    check(st == 200 and filt["total"] > 0 and all(h["jurisdiction"] for h in filt["hits"]), "jurisdiction filter")
    st, _, flt = srv.get("/search?" + q(jurisdiction=place, status="final"))
    check(st == 200 and flt["total"] > 0, "filters alone")
    # facets: exact counts over every match, the CLI's records; the fact filters and sort
    st, _, fac = srv.get("/search?" + q(q="企业", n=1, facet="status,dept"))
    by = {f["name"]: f for f in fac.get("facets", [])}
    check(st == 200 and set(by) == {"status", "dept"} and
          sum(v["count"] for v in by["status"]["values"]) == fac["total"], f"/search facets: {str(fac)[:300]}")
    st, _, amt = srv.get("/search?" + q(amount=">=100万", sort="amount", n=3))
    check(st == 200 and amt["total"] > 0 and
          [h["score"] for h in amt["hits"]] == sorted((h["score"] for h in amt["hits"]), reverse=True),
          f"/search amount filter sorted by amount: {str(amt)[:300]}")
    expect_error(srv, "/search?" + q(q="企业", sort="bogus"), 400, "invalid", "sort")
    st, _, fams = srv.get("/families")
    versions = sum(len(f["versions"]) for f in fams.get("families", []))
    check(st == 200 and fams["families"] and all(f["type"] == "family" for f in fams["families"]) and
          versions == len(docs["documents"]), f"/families: every document in one family: {str(fams)[:300]}")
    # doc=ID: that document's family only, the one /families lists it in
    fam_of = next(f for f in fams["families"] if any(v["doc"] == doc1 for v in f["versions"]))
    st, _, one = srv.get("/families?" + q(doc=doc1))
    check(st == 200 and one["families"] == [fam_of], f"/families?doc=: {st} {str(one)[:300]}")
    expect_error(srv, "/families?" + q(doc="/no/such/doc.txt"), 404, "notfound", "doc")
    expect_error(srv, "/search?" + q(q="企业", facet="bogus"), 400, None, None)
    cite = hit["doc"] + "#" + (hit["number"] or "")
    st, _, show = srv.get("/show?" + q(cite=cite))
    check(st == 200 and show["doc"]["doc"] == hit["doc"] and len(show["units"]) >= 1, f"/show: {st}")
    st, _, whole = srv.get("/show?" + q(cite=hit["doc"]))
    check(st == 200 and len(whole["units"]) >= len(show["units"]), "/show of a whole document")
    st, _, sim = srv.get("/similar?" + q(cite=cite, n=5))
    check(st == 200 and sim["source"]["doc"] == hit["doc"] and "matches" in sim, f"/similar: {st} {str(sim)[:200]}")
    st, _, simt = srv.get("/similar?" + q(text=hit["text"], n=2))
    check(st == 200 and simt["source"] is None and len(simt["matches"]) >= 1, "/similar of a text")
    st, _, diff = srv.get("/diff?" + q(a=doc0, b=doc1))
    check(st == 200 and diff["summary"]["pairs"] == len(diff["pairs"]) and diff["a"]["doc"] == doc0, "/diff")
    st, _, cov = srv.get("/coverage?" + q(doc=doc0, under=docs["documents"][0]["jurisdiction"]))
    check(st in (200, 404) and ("clauses" in cov or "error" in cov), f"/coverage: {st} {str(cov)[:200]}")
    st, r, page = srv.get("/")
    check(st == 200 and b"<html" in page and "Content-Security-Policy" in str(r.headers), "the page")
    st, _, _ = srv.get("/app.js")
    check(st == 200, "/app.js")
    st, _, _ = srv.get("/api/health")
    check(st == 200, "/api/ prefix")
    st, r, _ = srv.get("/search?" + q(q="发展"), method="HEAD")
    check(st == 200, "HEAD")

    # ---- malformed queries: 400 with the position ----
    b = expect_error(srv, "/search?" + q(q="(人才 OR"), 400, param="q")
    check(b["error"].get("offset") is not None and "parenthes" in b["error"]["message"] or "OR" in
          b["error"]["message"], f"syntax message {b}")
    b = expect_error(srv, "/search?" + q(q="人才 foo:bar"), 400, "syntax", "q")
    check(b["error"]["offset"] == len("人才 ".encode()), f"offset of foo:bar: {b}")
    expect_error(srv, "/search?" + q(q='"unclosed'), 400, param="q")
    expect_error(srv, "/search?" + q(q="x", status="bogus"), 400, "syntax", "status")
    expect_error(srv, "/search?" + q(q="x", edition="20x5"), 400, param="edition")
    expect_error(srv, "/search?" + q(q="x", jurisdiction="温州 OR 1"), 400, "syntax", "jurisdiction")
    expect_error(srv, "/search?" + q(q="x", date="2025-02-30"), 400, param="date")
    expect_error(srv, "/similar?" + q(cite=cite, filter="status:nope"), 400, param="filter")
    expect_error(srv, "/search", 400, param="q")
    expect_error(srv, "/search?" + q(q="(" * 300 + "a" + ")" * 300), 400)

    # ---- bad parameters ----
    for bad in ("n=0", "n=101", "n=-1", "n=1e3", "n=", "n=99999999999999999999", "offset=10001",
                "offset=x", "latest=maybe", "count=2"):
        expect_error(srv, "/search?q=a&" + bad, 400, param=bad.split("=")[0])
    expect_error(srv, "/search?q=a&zz=1", 400, "invalid", "zz")
    expect_error(srv, "/search?q=a&q=b", 400, "invalid", "q")
    expect_error(srv, "/show", 400, param="cite")
    expect_error(srv, "/show?cite=", 400, param="cite")
    expect_error(srv, "/diff?" + q(a=doc0), 400, param="b")
    expect_error(srv, "/diff?" + q(a=doc0, b=doc0), 400)
    expect_error(srv, "/similar", 400)
    expect_error(srv, "/similar?" + q(cite=cite, text="x"), 400)
    expect_error(srv, "/coverage?" + q(doc=doc0), 400, param="under")
    expect_error(srv, "/docs?x=1", 400, param="x")
    expect_error(srv, "/search?" + "&".join(f"p{i}=1" for i in range(30)), 400, "limit")

    # ---- unknown things: 404 ----
    expect_error(srv, "/nope", 404, "notfound")
    expect_error(srv, "/search/", 404)
    expect_error(srv, "/show?" + q(cite="no-such-document"), 404, "notfound", "cite")
    expect_error(srv, "/show?" + q(cite=hit["doc"] + "#第九十九条"), 404, "notfound", "cite")
    expect_error(srv, "/diff?" + q(a=doc0, b="no-such"), 404, "notfound", "b")
    expect_error(srv, "/diff?" + q(a="no-such", b=doc0), 404, "notfound", "a")
    expect_error(srv, "/similar?" + q(cite="no-such#1"), 404, "notfound")
    expect_error(srv, "/coverage?" + q(doc=doc0, under="无此地方"), 404, "notfound")

    # ---- oversized ----
    expect_error(srv, "/search?q=" + "a" * 9000, 414, "limit")
    expect_error(srv, "/search?" + q(q="人" * 800), 400, "limit", "q")
    expect_error(srv, "/show?" + q(cite="x" * 3000), 400, "limit", "cite")
    # a header block over the connection's memory: refused by the HTTP layer
    try:
        st, _, _ = srv.get("/health", headers={"X-Big": "y" * 100000})
        check(st in (413, 431, 400), f"giant header: {st}")
    except (ConnectionError, OSError, http_client_errors := Exception):  # noqa: F841
        pass  # the connection closed: fine, as long as the server lives
    check(srv.alive(), "server died after a giant header")
    expect_error(srv, "/search?q=a", 413, "limit", method="POST", body=b"x" * 100)
    expect_error(srv, "/search?q=a", 405, method="POST")
    expect_error(srv, "/search?q=a", 405, method="DELETE")

    # ---- invalid UTF-8, NUL, controls, bad escapes: in every parameter of every endpoint ----
    params = {"/search": ["q", "jurisdiction", "status", "edition", "date", "dept", "kind", "n", "facet",
                          "sort", "lead", "amount", "percent"],
              "/show": ["cite"], "/diff": ["a", "b"], "/similar": ["cite", "text", "filter"],
              "/coverage": ["doc", "under"], "/families": ["doc"]}
    for path, names in params.items():
        for name in names:
            for raw in ("%FF", "a%C0%80", "%ED%A0%80", "%F4%90%80%80", "ab%E4%BA", "%00", "a%01b"):
                b = expect_error(srv, f"{path}?{name}={raw}", 400, "encoding", name)
            expect_error(srv, f"{path}?{name}=%G1", 400, "invalid", name)
            expect_error(srv, f"{path}?{name}=%4", 400, "invalid", name)
    expect_error(srv, "/se%FFarch", 400, "encoding")
    expect_error(srv, "/search?%FF=1", 400)

    # ---- path traversal: in the path and in every parameter ----
    for target in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                   "//etc/passwd", "/app.js/../index.html", "/./app.js", "/index.html", "/serve/page/app.js",
                   "/%2fetc%2fpasswd", "/..\\..\\etc\\passwd"):
        st, _, body = srv.get(target)
        check(st in (400, 404) and isinstance(body, dict) and "error" in body, f"traversal {target}: {st}")
    for path, names in params.items():
        for name in names:
            if name == "n":
                continue
            for evil in ("../../../../etc/passwd", "/etc/passwd", "..%2F..%2Fetc%2Fshadow", "/proc/self/environ",
                         index + "/MANIFEST", "file:///etc/passwd"):
                st, _, body = srv.get(f"{path}?{q(**{name: evil})}")
                text = json.dumps(body, ensure_ascii=False)
                # a name of a file is a word to /search (found nowhere), and
                # no document elsewhere: never the file's content
                searched = path == "/search" and st == 200 and body["total"] == 0
                check((st in (400, 404) or searched) and "root:" not in text and "PATH=" not in text,
                      f"traversal {path} {name}={evil}: {st} {text[:160]}")
    check(srv.alive(), "server died during traversal")

    # ---- random request targets over a raw socket: an HTTP answer, never a crash ----
    rnd = random.Random(21)
    alphabet = b"/?&=%#+ab01\xff\xe4\xb8\xad.\\:;\"'<>()[]{}\x00\x01\x7f"
    statuses = set()
    for i in range(400):
        target = b"/" + bytes(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        s.sendall(b"GET " + target.replace(b" ", b"%20").replace(b"\r", b"").replace(b"\n", b"") +
                  b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
        except OSError:
            pass
        s.close()
        if data.startswith(b"HTTP/1.1 "):
            statuses.add(int(data[9:12]))
    check(srv.alive(), "server died on random targets")
    check(statuses and statuses <= {200, 400, 404, 414}, f"statuses of random targets: {statuses}")

    # ---- slow clients: 300 connections from one address sending half a
    # request hold their own slots only (per-address limit, 256); another
    # address is served meanwhile, and the idle ones are dropped (10 s) ----
    slow = []
    for i in range(300):
        try:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(s)
        except OSError:
            break
    other = socket.socket()
    other.bind(("127.0.0.2", 0))
    other.settimeout(10)
    other.connect(("127.0.0.1", srv.port))
    other.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = other.recv(65536)
    other.close()
    check(answer.startswith(b"HTTP/1.1 200"), f"another address while 300 slow clients wait: {answer[:40]!r}")
    t0 = time.time()
    closed = 0
    for s in slow:
        s.settimeout(max(0.1, 20 - (time.time() - t0)))
        try:
            closed += s.recv(1) == b""
        except OSError:
            closed += 1  # reset or refused: the slot is free
        s.close()
    check(closed == len(slow) and time.time() - t0 < 20, f"slow clients dropped: {closed} of {len(slow)}, "
          f"{time.time() - t0:.1f} s")
    check(srv.get("/health")[0] == 200, "served again after the slow clients")

    # ---- keep-alive: several requests (a search, an error, the page) on one
    # connection, none answered with "Connection: close"; a body still closes ----
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    ka = []
    for target in ("/search?" + q(q="发展", n=2), "/search?" + q(q="(发展"), "/", "/health"):
        c.request("GET", target)
        r = c.getresponse()
        r.read()
        ka.append((r.status, r.getheader("Connection"), c.sock is not None))
    c.close()
    check([s for s, _, _ in ka] == [200, 400, 200, 200] and all(h != "close" and open_ for _, h, open_ in ka),
          f"keep-alive: {ka}")
    st, r, _ = srv.get("/search?q=x", method="GET", body=b"abc")
    check(st == 413 and r.getheader("Connection") == "close", f"a body is refused and closes: {st}")

    # ---- answers kept per snapshot: a repeat is a hit with the same bytes ----
    target = "/search?" + q(q="发展", n=5)
    st1, r1, b1 = srv.get(target)
    st2, r2, b2 = srv.get(target)
    check(r2.getheader("X-Cache") == "hit" and b1 == b2, f"repeat: {r1.getheader('X-Cache')} {r2.getheader('X-Cache')}")

    # ---- a commit by another process: seen without a restart, while four
    # clients keep searching (each answer is whole: 200, total >= the hits) ----
    import threading
    stop_flag, bad_answers, answers = threading.Event(), [], [0]

    def hammer():
        while not stop_flag.is_set():
            try:
                st, _, body = srv.get("/search?" + q(q="发展", n=20, offset=answers[0] % 7))
                if st != 200 or body["total"] < len(body["hits"]):
                    bad_answers.append((st, str(body)[:100]))
                answers[0] += 1
            except Exception as e:  # noqa: BLE001
                bad_answers.append(repr(e))
    clients = [threading.Thread(target=hammer) for _ in range(4)]
    for t in clients:
        t.start()
    rest = files[len(half):]
    for part in (rest[: len(rest) // 3], rest[len(rest) // 3: 2 * len(rest) // 3], rest[2 * len(rest) // 3:]):
        subprocess.run([cli, "index", "-i", index, *part], check=True, capture_output=True)
    stop_flag.set()
    for t in clients:
        t.join()
    check(not bad_answers and answers[0] > 0, f"answers during commits: {answers[0]}, bad {bad_answers[:3]}")
    st3, r3, b3 = srv.get(target)
    check(r3.getheader("X-Cache") == "miss" and b3["total"] > b1["total"],
          f"after a commit the kept answer is retired: {r3.getheader('X-Cache')} {b1['total']} -> {b3['total']}")
    st, _, docs2 = srv.get("/docs")
    check(st == 200 and len(docs2["documents"]) == len(files), f"after a commit: {len(docs2['documents'])}")
    st, _, health2 = srv.get("/health")
    check(2 <= health2["snapshot"] <= 4, f"snapshot after three commits: {health2}")
finally:
    rc = srv.stop()
    check(rc == 0, f"serve exit status {rc} on SIGTERM")

# ---- 503 while the index cannot be opened, then served without a restart ----
later = os.path.join(work, "later")
srv = Server(cli, later)
try:
    b = expect_error(srv, "/search?q=a", 503)
    check(later in b["error"]["message"], f"503 names the index: {b}")
    expect_error(srv, "/health", 503)
    expect_error(srv, "/search?q=a&zz=1", 400, param="zz")  # a bad parameter is the client's, index or not
    subprocess.run([cli, "index", "-i", later, files[0]], check=True, capture_output=True)
    time.sleep(1.1)  # a failed open is retried after a second
    st, _, h = srv.get("/health")
    check(st == 200 and h["documents"] == 1, f"index created while serving: {st} {h}")
finally:
    check(srv.stop() == 0, "serve exit status on SIGTERM (503 server)")

# ---- the bearer token ----
tok = os.path.join(work, "token")
with open(tok, "w") as f:
    f.write("s3cret-token\n")
srv = Server(cli, index, "--token", tok)
try:
    b = expect_error(srv, "/search?q=a", 401)
    expect_error(srv, "/docs", 401, headers={"Authorization": "Bearer wrong"})
    expect_error(srv, "/docs", 401, headers={"Authorization": "Bearer s3cret-token-and-more"})
    expect_error(srv, "/docs", 401, headers={"Authorization": "s3cret-token"})
    expect_error(srv, "/nope", 401)
    st, _, _ = srv.get("/docs", headers={"Authorization": "Bearer s3cret-token"})
    check(st == 200, f"right token: {st}")
    st, _, _ = srv.get("/")
    check(st == 200, "the page itself needs no token (it holds no data)")
finally:
    check(srv.stop() == 0, "serve exit status on SIGTERM (token server)")

# ---- a public address without a token warns ----
p = subprocess.Popen([cli, "serve", "-i", index, "--listen", "0.0.0.0:0"], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
p.stdout.readline()
p.terminate()
_, err = p.communicate(timeout=20)
check("warning" in err and "--token" in err, f"no warning for 0.0.0.0: {err!r}")
r = subprocess.run([cli, "serve", "-i", index, "--listen", "nohost"], capture_output=True, text=True)
check(r.returncode == 2 and "--listen" in r.stderr, f"bad --listen: {r.returncode} {r.stderr!r}")

# ---- the stored-block cache: the same answers with it, without it and when
# it is too small to keep a block; a bad size is a usage error ----
def answers(srv, queries):
    out = []
    for qq in queries:
        for n, off in ((10, 0), (40, 0), (10, 20)):
            st, _, body = srv.get(f"/search?{q(q=qq, n=n, offset=off)}")
            check(st == 200, f"/search {qq!r} n={n}: {st}")
            if isinstance(body, dict):
                body.pop("elapsed_ms", None)
            out.append(json.dumps(body, ensure_ascii=False, sort_keys=True))
        st, _, body = srv.get(f"/show?{q(cite='001')}")
        out.append(json.dumps(body, ensure_ascii=False, sort_keys=True))
    return out


block_queries = ["以旧换新", "科技", "责任单位", '"市科技局"', "企业 -资金", '"责任单位：市"', "（一）"]
want = None
for extra in ((), ("--block-cache", "0"), ("--block-cache", "20K")):
    srv = Server(cli, index, "--no-cache", *extra)
    try:
        got = answers(srv, block_queries) + answers(srv, block_queries)  # the second time from blocks kept
        if want is None:
            want = got
            check(sum('"text"' in a for a in got) > 20, "the block-cache answers have hits")
        check(got == want, f"answers with {extra or 'the default block cache'} differ from the default's")
    finally:
        check(srv.stop() == 0, f"serve exit status on SIGTERM ({extra})")
r = subprocess.run([cli, "serve", "-i", index, "--block-cache", "lots"], capture_output=True, text=True)
check(r.returncode == 2 and "--block-cache" in r.stderr, f"bad --block-cache: {r.returncode} {r.stderr!r}")

if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
print("serve http: all checks passed")
