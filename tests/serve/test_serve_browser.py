#!/usr/bin/env python3
"""The page of clausedex serve in a real browser: headless Chromium driven by
selenium over the seed index: type a query, check the hits and their
highlighted snippets; narrow by a filter; page; open a clause (its document,
its versions and the same clause in each, similar clauses elsewhere); open the 对照表 of the 乐清 draft and final text
with character changes and changed figures marked; keyboard use. A
screenshot of each view is kept in WORKDIR/screenshots (the CI artifacts).

usage: test_serve_browser.py CLAUSEDEX WORKDIR
Skipped visibly without chromium, chromium-driver, python3-selenium or the
seeds; under CI=true that is a failure.
"""
import os
import shutil
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import Server, seeds_dir, skip_or_fail  # noqa: E402

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    # Debian's python3-selenium is for Debian's python3; another python3
    # first on PATH (pyenv) hands over to it.
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3") \
            and not os.environ.get("CDX_REEXEC"):
        os.environ["CDX_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    skip_or_fail("python3-selenium is not installed")

cli, work = sys.argv[1], sys.argv[2]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
driver_bin = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not chromium or not os.path.exists(driver_bin):
    skip_or_fail("chromium or chromium-driver is not installed")
seeds = seeds_dir()
if not seeds:
    skip_or_fail("the seed documents are missing (../shared/corpus/seeds or $CLAUSEDEX_SEEDS)")

shutil.rmtree(work, ignore_errors=True)
shots = os.path.join(work, "screenshots")
os.makedirs(shots)
index = os.path.join(work, "index")
subprocess.run([cli, "index", "-i", index, seeds], check=True, capture_output=True)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


opts = webdriver.ChromeOptions()
opts.binary_location = chromium
for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
          "--window-size=1280,1600", "--lang=zh-CN"):
    opts.add_argument(a)
srv = Server(cli, index)
base = f"http://127.0.0.1:{srv.port}/"
drv = webdriver.Chrome(service=Service(driver_bin), options=opts)
wait = WebDriverWait(drv, 20)


def view_ready(view, since):
    """Waits until the page finished drawing `view` for a navigation after `since`."""
    wait.until(lambda d: d.execute_script(
        "return document.body.dataset.view === arguments[0] && +document.body.dataset.ready > arguments[1]",
        view, since))


def now():
    """The number of the last navigation drawn (app.js: routeSeq)."""
    return drv.execute_script("return +(document.body.dataset.ready || 0)")


try:
    drv.get(base)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#doclist li")))
    check("政策条款检索" in drv.page_source, "Chinese UI text on the home page")
    check(len(drv.find_elements(By.CSS_SELECTOR, "#doclist li")) == 5, "the five seed documents listed")
    drv.save_screenshot(os.path.join(shots, "1-home.png"))

    # ---- type a query (keyboard: / focuses the box) ----
    t = now()
    drv.find_element(By.TAG_NAME, "body").send_keys("/")
    check(drv.switch_to.active_element.get_attribute("id") == "q", "/ focuses the search box")
    drv.switch_to.active_element.send_keys("以旧换新", Keys.ENTER)
    view_ready("/search", t)
    total = int(drv.find_element(By.ID, "total").text)
    check(total == 4, f"以旧换新: {total} hits shown, want 4 (the CLI's count)")
    marks = [m.text for m in drv.find_elements(By.CSS_SELECTOR, ".hit .snippet mark")]
    # (the Traditional seed 002 is highlighted as written: 以舊換新)
    check("以旧换新" in marks and all(len(m) == 4 for m in marks), f"highlights: {marks}")
    cites = [c.text for c in drv.find_elements(By.CSS_SELECTOR, ".hit .cite")]
    check(cites and all("#" in c for c in cites), f"citations: {cites}")
    drv.save_screenshot(os.path.join(shots, "2-search.png"))

    # ---- a filter narrows the hits ----
    t = now()
    Select(drv.find_element(By.ID, "f-status")).select_by_value("final")
    view_ready("/search", t)
    narrowed = int(drv.find_element(By.ID, "total").text)
    metas = [m.text for m in drv.find_elements(By.CSS_SELECTOR, ".hit .meta")]
    check(0 < narrowed < total and not any("送审稿" in m or "征求意见稿" in m for m in metas),
          f"status filter: {narrowed} hits, {metas}")
    Select(drv.find_element(By.ID, "f-status")).select_by_value("")

    # ---- the place tree: 温州市 with 乐清市 and 鹿城区 under it; a place keeps
    # the hits of everything below it ----
    places = [o.get_attribute("textContent") for o in Select(drv.find_element(By.ID, "f-jurisdiction")).options]
    wz = next((i for i, p in enumerate(places) if p.strip("\u3000") == "温州市"), None)
    check(wz is not None and any(p.strip("\u3000") == "乐清市" and p.startswith("\u3000") for p in places[wz + 1:]),
          f"place tree: {places}")
    t = now()
    Select(drv.find_element(By.ID, "f-jurisdiction")).select_by_value("温州市")
    view_ready("/search", t)
    in_wz = int(drv.find_element(By.ID, "total").text)
    check(in_wz == total, f"温州市 holds all 4 以旧换新 clauses (乐清, 鹿城 under it): {in_wz}")
    t = now()
    Select(drv.find_element(By.ID, "f-jurisdiction")).select_by_value("乐清市")
    view_ready("/search", t)
    in_yq = int(drv.find_element(By.ID, "total").text)
    check(0 < in_yq < in_wz, f"乐清市 narrows: {in_yq}")
    Select(drv.find_element(By.ID, "f-jurisdiction")).select_by_value("")

    # ---- the facet panel: the server's exact counts over every match
    # (status, place, year, department ...); a click on a value refines ----
    check(drv.find_element(By.ID, "facets").is_displayed(), "the facet panel is shown")
    heads = [h.text for h in drv.find_elements(By.CSS_SELECTOR, "#facets h3")]
    check("状态" in heads and "部门" in heads, f"facets of status and department: {heads}")
    facet = drv.find_element(By.CSS_SELECTOR, "#facets button.facet[data-field='status'][data-value='final']")
    check("正式稿" in facet.text, f"facet rendered: {facet.text!r}")
    t = now()
    facet.click()
    view_ready("/search", t)
    check("status=final" in drv.current_url and
          Select(drv.find_element(By.ID, "f-status")).first_selected_option.get_attribute("value") == "final",
          f"a facet click refines: {drv.current_url}")
    Select(drv.find_element(By.ID, "f-status")).select_by_value("")

    # ---- paging ----
    t = now()
    q = drv.find_element(By.ID, "q")
    q.clear()
    q.send_keys("发展", Keys.ENTER)
    view_ready("/search", t)
    first_page = [h.get_attribute("data-cite") for h in drv.find_elements(By.CSS_SELECTOR, ".hit")]
    check(len(first_page) == 10, f"a page of 10 hits: {len(first_page)}")
    t = now()
    drv.find_element(By.ID, "next").click()
    view_ready("/search", t)
    second = [h.get_attribute("data-cite") for h in drv.find_elements(By.CSS_SELECTOR, ".hit")]
    check(second and not set(second) & set(first_page), "the next page shows other hits")
    check("第 2 页" in drv.find_element(By.CSS_SELECTOR, ".pager").text, "page number")

    # ---- a malformed query: the message and the position ----
    t = now()
    q = drv.find_element(By.ID, "q")
    q.clear()
    q.send_keys("(人才 OR", Keys.ENTER)
    view_ready("/search", t)
    err = drv.find_element(By.CSS_SELECTOR, ".error").text
    check("请求有误" in err and "^" in err, f"syntax error shown: {err!r}")

    # ---- open a clause (keyboard: j selects the first hit, Enter opens it) ----
    t = now()
    q = drv.find_element(By.ID, "q")
    q.clear()
    q.send_keys("以旧换新", Keys.ENTER)
    view_ready("/search", t)
    first = drv.find_element(By.CSS_SELECTOR, ".hit")
    heading = first.find_element(By.CSS_SELECTOR, "h2").text
    t = now()
    drv.find_element(By.TAG_NAME, "body").send_keys("j")
    drv.switch_to.active_element.send_keys(Keys.ENTER)
    view_ready("/clause", t)
    target = drv.find_element(By.CSS_SELECTOR, ".unit.target")
    check("以旧换新" in target.text, f"the clause is shown and marked: {target.text[:60]!r}")
    check(len(drv.find_elements(By.CSS_SELECTOR, "#document .unit")) > 10, "the whole document around it")
    check(heading.split(" ")[0] in target.text, f"the clause opened is the hit's ({heading!r})")
    wait.until(lambda d: "载入中" not in d.find_element(By.ID, "similar").text)
    similar = drv.find_elements(By.CSS_SELECTOR, "#similar li")
    check(len(similar) >= 1 and "相似度" in similar[0].text, f"similar clauses elsewhere: {len(similar)}")
    drv.save_screenshot(os.path.join(shots, "3-clause.png"))

    # ---- the versions panel: a clause of the 乐清 final text (001) shows its
    # family's three versions (003 征求意见稿, 000 送审稿, 001) in order, and
    # the clause in each other version as `clausedex diff` aligns it ----
    import json
    fams = subprocess.run([cli, "families", "-i", index, "--json"], capture_output=True, text=True,
                          check=True).stdout
    fam = next(f for f in map(json.loads, fams.splitlines()) if any("001_" in v["doc"] for v in f["versions"]))
    hits = subprocess.run([cli, "search", "-i", index, "--json", "以旧换新"], capture_output=True, text=True).stdout
    hit = next(h for h in map(json.loads, hits.splitlines()) if h.get("type") == "match" and "001_" in h["doc"])
    t = now()
    drv.get(base + "#/clause?cite=" + urllib.parse.quote(hit["doc"] + "#" + hit["number"], safe=""))
    view_ready("/clause", t)
    check(hit["number"] in drv.find_element(By.CSS_SELECTOR, ".unit.target").text, "the 001 clause is marked")
    items = drv.find_elements(By.CSS_SELECTOR, "#versions li")
    shown = [li.get_attribute("data-doc") or "current" for li in items]
    want = [v["doc"] if v["doc"] != hit["doc"] else "current" for v in fam["versions"]]
    check(len(want) == 3 and shown == want, f"versions in the family's order: {shown} want {want}")
    for li in items:
        other = li.get_attribute("data-doc")
        if not other:
            check("本文件" in li.text, "the current version is marked")
            continue
        links = [a.get_attribute("href") for a in li.find_elements(By.CSS_SELECTOR, "a")]
        check(any(urllib.parse.unquote(h).endswith("#/clause?cite=" + other) for h in links),
              f"a link to the version {other}: {links}")
        check(any("#/diff?a=" in h for h in links), f"a 对照 link to {other}")
        pairs = subprocess.run([cli, "diff", "-i", index, "--json", hit["doc"], other], capture_output=True,
                               text=True, check=True).stdout
        aligned = [p["b"]["number"] for p in map(json.loads, pairs.splitlines())
                   if p.get("type") == "pair" and p.get("a") and p["a"]["ordinal"] == hit["ordinal"] and p.get("b")]
        clause_links = [urllib.parse.unquote(a.get_attribute("href")).split("#/clause?cite=")[1]
                        for a in li.find_elements(By.CSS_SELECTOR, ".clause-in a")]
        check(clause_links == [other + "#" + n for n in aligned] and (aligned or "该版本中没有" in li.text),
              f"the clause in {other[-25:]}: shown {clause_links}, aligned {aligned}")
    drv.save_screenshot(os.path.join(shots, "3b-clause-versions.png"))
    # following the link opens the same clause in that version
    link = drv.find_elements(By.CSS_SELECTOR, "#versions .clause-in a")
    check(bool(link), "a clause-in-version link to follow")
    if link:
        t = now()
        link[0].click()
        view_ready("/clause", t)
        check("以旧换新" in drv.find_element(By.CSS_SELECTOR, ".unit.target").text,
              "the same clause opened in the other version")

    # ---- open a diff: the 乐清 draft (000) against its final text (001) ----
    docs = {o.get_attribute("value"): o.text for o in drv.find_elements(By.CSS_SELECTOR, "#other option")}
    a = next(k for k in docs if "000_" in k) if any("000_" in k for k in docs) else None
    b = next(k for k in docs if "001_" in k)
    t = now()
    if a:  # the clause opened is not in 000: diff 000 -> 001 by URL, as a link would
        drv.get(base + "#/diff?a=" + a + "&b=" + b)
    else:
        Select(drv.find_element(By.ID, "other")).select_by_value(b)
        drv.find_element(By.ID, "do-diff").click()
    view_ready("/diff", t)
    rows = drv.find_elements(By.CSS_SELECTOR, "#duizhao tbody tr")
    check(len(rows) > 20, f"对照表 rows: {len(rows)}")
    check("对照表" in drv.find_element(By.TAG_NAME, "h1").text, "对照表 heading")
    dels = drv.find_elements(By.CSS_SELECTOR, "#duizhao td.a del")
    ins = drv.find_elements(By.CSS_SELECTOR, "#duizhao td.b ins")
    figs = drv.find_elements(By.CSS_SELECTOR, "#duizhao td.figs .fig")
    check(dels and ins, f"character changes marked: {len(dels)} deletions, {len(ins)} insertions")
    check(figs, "changed figures marked")
    check(drv.find_elements(By.CSS_SELECTOR, "#duizhao td.a .fig") or drv.find_elements(By.CSS_SELECTOR, "#duizhao td.b .fig"),
          "changed figures marked in the text")
    summary = drv.find_element(By.ID, "diff-summary").text
    cli_stat = subprocess.run([cli, "diff", "-i", index, "--stat", "000", "001"], capture_output=True,
                              text=True).stdout
    pairs = cli_stat.strip().splitlines()[-1].split()[0]
    check(f"共 {pairs} 对" in summary, f"pairs as the CLI counts them: {summary!r} vs {cli_stat!r}")
    drv.save_screenshot(os.path.join(shots, "4-diff.png"))

    # ---- print-friendly: the search bar is not printed ----
    drv.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    check(not drv.find_element(By.CSS_SELECTOR, "header.bar").is_displayed(), "the bar is hidden in print")
    drv.save_screenshot(os.path.join(shots, "5-diff-print.png"))
    drv.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # ---- no request left this server ----
    hosts = drv.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
    check(all(h == f"127.0.0.1:{srv.port}" for h in hosts), f"requests elsewhere: {set(hosts)}")
finally:
    drv.quit()
    check(srv.stop() == 0, "serve exit status on SIGTERM")

if failures:
    print(f"{len(failures)} failures; screenshots in {shots}")
    sys.exit(1)
print(f"serve browser: all checks passed; screenshots in {shots}")
