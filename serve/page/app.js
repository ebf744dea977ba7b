// The research page of `clausedex serve`: plain JavaScript, no library, no
// network but this server. Views are addressed by the URL fragment, so each
// can be bookmarked, printed and reached with Back:
//   #/search?q=...&jurisdiction=...&status=...&edition=...&dept=...&latest=1&offset=N
//   #/clause?cite=DOC#NUMBER      a clause in its document, its versions, similar clauses elsewhere
//   #/diff?a=DOC&b=DOC            the 对照表 of two documents
"use strict";

const PAGE = 10;                       // hits per page
const FILTERS = ["jurisdiction", "status", "edition", "dept"];
// Filters a facet click sets that have no field of their own in the form.
const FACET_FILTERS = ["lead", "date"];
// The facets asked of /search, and the filter parameter a click on a value sets.
const FACETS = "jurisdiction,status,edition,year,dept,lead";
const FACET_PARAM = { year: "date" };
const $ = (sel) => document.querySelector(sel);
const enc = new TextEncoder(), dec = new TextDecoder();

const STATUS = { "final": "正式稿", "送审稿": "送审稿", "征求意见稿": "征求意见稿" };
const KIND = { preamble: "序言", chapter: "章", clause: "条款", closing: "结尾" };
const REL = { same: "相同", changed: "修改", moved: "移动", merged: "合并", split: "拆分",
              added: "新增", removed: "删除" };
const FACET_NAMES = { jurisdiction: "地区", status: "状态", edition: "版本年份", year: "发布年份", dept: "部门", lead: "牵头部门", kind: "类型" };

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;",
    '"': "&quot;", "'": "&#39;" }[c]));
}

// ---- the API ----------------------------------------------------------------

async function api(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== "" && v !== null) qs.set(k, v);
  const headers = {};
  const token = sessionStorage.getItem("clausedex-token");
  if (token) headers["Authorization"] = "Bearer " + token;
  const r = await fetch(path + (qs.toString() ? "?" + qs : ""), { headers });
  let body;
  try { body = await r.json(); } catch (e) { body = { error: { status: r.status, message: r.statusText } }; }
  if (r.status === 401) {
    const t = prompt("此服务器需要访问令牌（token）：");
    if (t) { sessionStorage.setItem("clausedex-token", t.trim()); return api(path, params); }
  }
  if (!r.ok) { const e = new Error(body.error ? body.error.message : r.statusText); e.info = body.error; throw e; }
  return body;
}

function showError(e, query) {
  const info = e.info || {};
  let where = "";
  if (info.offset !== undefined && info.param === "q" && query !== undefined) {
    const bytes = enc.encode(query);
    const before = dec.decode(bytes.slice(0, info.offset));
    where = `\n${query}\n${" ".repeat([...before].length)}^`;
  }
  const names = { 400: "请求有误", 404: "未找到", 503: "索引暂不可用" };
  $("#main").innerHTML = `<div class="error" role="alert"><strong>${esc(names[info.status] || "出错了")}</strong>
${esc(e.message)}${esc(where)}</div>`;
}

// ---- text with byte ranges marked -------------------------------------------

// text: a unit's text; ranges: [{s, e, tag, cls}] in UTF-8 bytes (as the API
// gives them). Returns HTML with each range wrapped; overlapping ranges nest
// by splitting at every boundary.
function markBytes(text, ranges) {
  const bytes = enc.encode(text);
  const cuts = new Set([0, bytes.length]);
  for (const r of ranges) { cuts.add(Math.max(0, Math.min(r.s, bytes.length))); cuts.add(Math.max(0, Math.min(r.e, bytes.length))); }
  const pts = [...cuts].sort((a, b) => a - b);
  let html = "";
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i], b = pts[i + 1];
    let piece = esc(dec.decode(bytes.slice(a, b)));
    for (const r of ranges) if (r.s <= a && b <= r.e && r.s < r.e)
      piece = `<${r.tag}${r.cls ? ` class="${r.cls}"` : ""}>${piece}</${r.tag}>`;
    html += piece;
  }
  return html;
}

function snippet(hit) {
  const hl = hit.highlights || [];
  const bytes = enc.encode(hit.text);
  const first = hl.length ? hl[0][0] : 0;
  let a = Math.max(0, first - 90), b = Math.min(bytes.length, first + 300);
  while (a > 0 && (bytes[a] & 0xc0) === 0x80) a--;
  while (b < bytes.length && (bytes[b] & 0xc0) === 0x80) b++;
  for (const h of hl) if (h[0] < b && h[1] > b) b = h[1];
  const text = dec.decode(bytes.slice(a, b));
  const ranges = hl.filter((h) => h[1] > a && h[0] < b).map((h) => ({ s: Math.max(0, h[0] - a), e: h[1] - a, tag: "mark" }));
  return (a > 0 ? "…" : "") + markBytes(text, ranges) + (b < bytes.length ? "…" : "");
}

function docName(d) { return d.title || d.doc; }

function metaLine(d) {
  const parts = [];
  if (d.jurisdiction) parts.push(d.jurisdiction);
  parts.push(STATUS[d.status] || d.status);
  if (d.edition) parts.push(d.edition + "年版");
  if (d.doc_number) parts.push(d.doc_number);
  return parts.map(esc).join(" · ");
}

// How people cite a unit: the document number (else the file name) and the clause number.
function citation(h) {
  const docPart = h.doc_number || h.doc.split("/").pop();
  return h.number ? `${docPart}#${h.number}` : docPart;
}
function citeParam(h) { return h.doc + "#" + (h.number || ""); }
function unitLabel(u) {
  if (!u) return "—";
  return [u.kind !== "clause" ? `[${KIND[u.kind] || u.kind}]` : "", u.number || "", u.heading || ""].join(" ").trim()
    || `第${u.ordinal + 1}段`;
}

// ---- views -------------------------------------------------------------------

function hashParams() {
  const h = location.hash.replace(/^#/, "");
  const i = h.indexOf("?");
  return { view: (i < 0 ? h : h.slice(0, i)) || "/", params: new URLSearchParams(i < 0 ? "" : h.slice(i + 1)) };
}
function go(view, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "" && v !== null && v !== false) qs.set(k, v);
  location.hash = view + "?" + qs.toString();
}

function formParams() {
  const p = { q: $("#q").value.trim() };
  for (const f of FILTERS) p[f] = $("#f-" + f).value.trim();
  if ($("#f-latest").checked) p.latest = 1;
  return p;
}
function fillForm(params) {
  $("#q").value = params.get("q") || "";
  for (const f of FILTERS) {
    const el = $("#f-" + f);
    if (el.tagName === "SELECT") ensureOption(el, params.get(f) || "");
    el.value = params.get(f) || "";
  }
  $("#f-latest").checked = params.get("latest") === "1";
}

let selected = -1;

// Each navigation has a number; a view whose requests come back after a
// newer navigation began draws nothing (a slow answer must not overwrite
// the page the reader has moved on to).
let routeSeq = 0;
const stale = (seq) => seq !== routeSeq;

async function viewSearch(params, seq) {
  fillForm(params);
  const offset = parseInt(params.get("offset") || "0", 10) || 0;
  const req = { q: params.get("q") || "", n: PAGE, offset, facet: FACETS };
  for (const f of FILTERS.concat(FACET_FILTERS)) req[f] = params.get(f) || "";
  if (params.get("latest") === "1") req.latest = 1;
  $("#main").innerHTML = `<p class="summary">检索中…</p>`;
  let res;
  try { res = await api("/search", req); } catch (e) { if (!stale(seq)) showError(e, req.q); return; }
  if (stale(seq)) return;
  renderFacets(res.facets, params);
  const from = res.count ? offset + 1 : 0, to = offset + res.count;
  let html = `<p class="summary" id="summary">共 <strong id="total">${res.total}</strong> 条匹配条款` +
             (res.count ? `，第 ${from}–${to} 条` : "") + `（${res.elapsed_ms.toFixed(1)} 毫秒）</p><ol class="hits" start="${from}">`;
  res.hits.forEach((h, i) => {
    html += `<li class="hit" data-i="${i}" data-cite="${esc(citeParam(h))}">
  <h2><a class="open" href="#/clause?cite=${encodeURIComponent(citeParam(h))}">${esc(unitLabel(h))}</a></h2>
  <div class="meta">${esc(docName(h))} · ${metaLine(h)}</div>
  <p class="snippet">${snippet(h)}</p>
  <div class="cite" title="引用">${esc(citation(h))}</div></li>`;
  });
  html += "</ol>";
  if (!res.total) html += `<p>没有匹配的条款。</p>`;
  const pages = [];
  if (offset > 0) pages.push(`<button class="plain" id="prev" accesskey="[">上一页</button>`);
  if (to < res.total) pages.push(`<button class="plain" id="next" accesskey="]">下一页</button>`);
  html += `<nav class="pager" aria-label="翻页">${pages.join("")}<span class="meta">第 ${Math.floor(offset / PAGE) + 1} 页 / 共 ${Math.max(1, Math.ceil(res.total / PAGE))} 页</span></nav>`;
  $("#main").innerHTML = html;
  selected = -1;
  const page = (delta) => { const p = Object.fromEntries(params); p.offset = Math.max(0, offset + delta); go("/search", p); };
  if ($("#prev")) $("#prev").onclick = () => page(-PAGE);
  if ($("#next")) $("#next").onclick = () => page(PAGE);
  $("#status-line").textContent = "检索式：" + res.query;
}

// Facets, as the server gives them: [{type:"facet", name, distinct, values:[{value, count}]}].
// A click adds the value as that field's filter.
function renderFacets(facets, params) {
  const box = $("#facets");
  if (!Array.isArray(facets) || !facets.length) { box.hidden = true; box.innerHTML = ""; return; }
  let html = "";
  for (const f of facets) {
    if (!(f.values || []).length) continue;
    const param = FACET_PARAM[f.name] || f.name;
    html += `<h3>${esc(FACET_NAMES[f.name] || f.name)}</h3>`;
    for (const v of f.values || [])
      html += `<button class="facet" data-field="${esc(param)}" data-value="${esc(v.value)}">${esc(STATUS[v.value] || v.value)}<span class="n">${v.count}</span></button>`;
  }
  box.innerHTML = html;
  box.hidden = false;
  box.querySelectorAll("button.facet").forEach((b) => b.onclick = () => {
    const p = Object.fromEntries(params);
    p[b.dataset.field] = b.dataset.value;
    delete p.offset;
    go("/search", p);
  });
}

async function viewClause(params, seq) {
  const cite = params.get("cite") || "";
  const hash = cite.lastIndexOf("#");
  const doc = hash < 0 ? cite : cite.slice(0, hash), number = hash < 0 ? "" : cite.slice(hash + 1);
  $("#main").innerHTML = `<p class="summary">载入中…</p>`;
  let shown;
  try { shown = await api("/show", { cite: doc }); } catch (e) { if (!stale(seq)) showError(e); return; }
  if (stale(seq)) return;
  const d = shown.doc;
  let html = `<div class="two"><article class="doc" id="document"><h1>${esc(docName(d))}</h1>
<div class="meta">${metaLine(d)}</div>
<p class="noprint"><label>与另一文件对照：<select id="other"><option value="">选择文件…</option></select></label>
<button class="plain" id="do-diff">对照</button></p>`;
  let target = null;
  for (const u of shown.units) {
    const isTarget = number && u.number === number && !target;
    if (isTarget) target = u;
    html += `<div class="unit${isTarget ? " target" : ""}" id="u${u.ordinal}"${isTarget ? ' tabindex="-1"' : ""}>` +
            `${esc(u.text)}</div>`;
  }
  html += `</article><aside class="similar"><h2>本政策的各个版本</h2><div id="versions">载入中…</div>
<h2>其他地方的类似条款</h2><div id="similar">${target ? "载入中…" : "（选择一个条款）"}</div></aside></div>`;
  $("#main").innerHTML = html;
  if (target) { const el = $("#u" + target.ordinal); el.scrollIntoView({ block: "center" }); el.focus(); }
  try {
    const docs = await api("/docs");
    if (stale(seq)) return;
    const sel = $("#other");
    for (const o of docs.documents) if (o.doc !== d.doc)
      sel.insertAdjacentHTML("beforeend", `<option value="${esc(o.doc)}">${esc(o.title || o.doc)}（${esc(STATUS[o.status] || o.status)}）</option>`);
    $("#do-diff").onclick = () => { if (sel.value) go("/diff", { a: d.doc, b: sel.value }); };
  } catch (e) { /* the list is a convenience */ }
  await showVersions(d, target, seq);
  if (!target || stale(seq)) return;
  try {
    const sim = await api("/similar", { cite: citeParam(target), n: 8 });
    if (stale(seq)) return;
    $("#similar").innerHTML = sim.matches.length ? "<ol>" + sim.matches.map((m) =>
      `<li><a href="#/clause?cite=${encodeURIComponent(citeParam(m))}">${esc(unitLabel(m))}</a>
       <span class="sim">相似度 ${(m.similarity * 100).toFixed(0)}%</span>
       <div class="meta">${esc(docName(m))} · ${metaLine(m)}</div></li>`).join("") + "</ol>" : "<p>未找到类似条款。</p>";
  } catch (e) { if (!stale(seq)) $("#similar").textContent = e.message; }
}

// The versions panel of the clause view: the document's policy family in
// order (/families?doc=), each version linked, with a 对照 link, and where the
// clause shown is in each other version: the units its alignment (/diff, the
// pairs whose A side is this clause) pairs it with, or that it was removed.
async function showVersions(d, target, seq) {
  const box = $("#versions");
  let fam;
  try { fam = (await api("/families", { doc: d.doc })).families[0]; }
  catch (e) { if (!stale(seq)) { box.textContent = e.message; box.dataset.ready = "1"; } return; }
  if (stale(seq)) return;
  const where = new Map();
  if (target && fam && fam.versions.length > 1)
    await Promise.all(fam.versions.filter((v) => v.doc !== d.doc).map(async (v) => {
      try {
        const diff = await api("/diff", { a: d.doc, b: v.doc });
        where.set(v.doc, diff.pairs.filter((p) => p.a && p.a.ordinal === target.ordinal));
      } catch (e) { where.set(v.doc, e.message); }
    }));
  if (stale(seq)) return;
  if (!fam || fam.versions.length < 2) {
    box.innerHTML = "<p>本政策只有这一个版本。</p>";
    box.dataset.ready = "1";
    return;
  }
  const clauseIn = (v) => {
    const pairs = where.get(v.doc);
    if (pairs === undefined) return "";
    if (typeof pairs === "string") return `<div class="meta">${esc(pairs)}</div>`;
    const found = pairs.filter((p) => p.b);
    if (!found.length) return `<div class="clause-in removed">此条款：<span>该版本中没有</span></div>`;
    return `<div class="clause-in">此条款：` + found.map((p) =>
      `<a href="#/clause?cite=${encodeURIComponent(citeParam(p.b))}">${esc(unitLabel(p.b))}</a>
       <span class="sim">${esc(REL[p.relation] || p.relation)} ${(p.similarity * 100).toFixed(0)}%</span>`).join("，") + "</div>";
  };
  box.innerHTML = "<ol>" + fam.versions.map((v) => v.doc === d.doc
    ? `<li class="current"><strong>${esc(docName(v))}</strong>（本文件）<div class="meta">${metaLine(v)}</div></li>`
    : `<li data-doc="${esc(v.doc)}"><a href="#/clause?cite=${encodeURIComponent(v.doc)}">${esc(docName(v))}</a>
       <a class="plain noprint" href="#/diff?a=${encodeURIComponent(d.doc)}&amp;b=${encodeURIComponent(v.doc)}">对照</a>
       <div class="meta">${metaLine(v)}</div>${clauseIn(v)}</li>`).join("") + "</ol>";
  box.dataset.ready = "1";
}

async function viewDiff(params, seq) {
  const a = params.get("a") || "", b = params.get("b") || "";
  $("#main").innerHTML = `<p class="summary">对照中…</p>`;
  let diff, A, B;
  try {
    [diff, A, B] = await Promise.all([api("/diff", { a, b }), api("/show", { cite: a }), api("/show", { cite: b })]);
  } catch (e) { if (!stale(seq)) showError(e); return; }
  if (stale(seq)) return;
  const textA = new Map(A.units.map((u) => [u.ordinal, u.text]));
  const textB = new Map(B.units.map((u) => [u.ordinal, u.text]));
  const counts = Object.entries(diff.summary.relations).filter(([, n]) => n).map(([r, n]) => `${REL[r] || r} ${n}`).join("，");
  let html = `<h1>对照表</h1>
<p class="meta">A：${esc(docName(diff.a))}（${metaLine(diff.a)}）<br>B：${esc(docName(diff.b))}（${metaLine(diff.b)}）</p>
<p class="summary" id="diff-summary">共 ${diff.summary.pairs} 对：${esc(counts)}</p>
<p class="legend noprint"><span><del>删除的文字</del></span><span><ins>新增的文字</ins></span><span><span class="fig">变化的数字</span></span>
<label><input type="checkbox" id="hide-same"> 隐藏相同条款</label></p>
<table class="duizhao" id="duizhao"><colgroup><col class="rel"><col><col><col class="figs"></colgroup>
<thead><tr><th>关系</th><th>A（${esc(STATUS[diff.a.status] || diff.a.status)}）</th><th>B（${esc(STATUS[diff.b.status] || diff.b.status)}）</th><th>数字变化</th></tr></thead><tbody>`;
  for (const p of diff.pairs) {
    const ra = [], rb = [];
    for (const c of p.changes || []) {
      if (c.op === "delete" && c.a) ra.push({ s: c.a[0], e: c.a[1], tag: "del" });
      if (c.op === "insert" && c.b) rb.push({ s: c.b[0], e: c.b[1], tag: "ins" });
    }
    for (const f of p.figure_changes || []) {
      if (f.a) ra.push({ s: f.a[0], e: f.a[1], tag: "span", cls: "fig" });
      if (f.b) rb.push({ s: f.b[0], e: f.b[1], tag: "span", cls: "fig" });
    }
    const cell = (u, texts, ranges) => u ? `<div class="meta">${esc(unitLabel(u))}</div>` + markBytes(texts.get(u.ordinal) || "", ranges) : "—";
    const figs = (p.figure_changes || []).map((f) => `<div>${esc(f.context)}：<span class="fig">${esc(f.from || "—")}</span> → <span class="fig">${esc(f.to || "—")}</span></div>`).join("");
    const depts = (p.department_changes || []).map((x) => `<div class="meta">${{ added: "新增", removed: "删除", lead: "牵头" }[x.change] || x.change}：${esc(x.name)}</div>`).join("");
    html += `<tr class="${esc(p.relation)}"><td class="rel">${esc(REL[p.relation] || p.relation)}${p.a && p.b ? `<div class="sim">${(p.similarity * 100).toFixed(0)}%</div>` : ""}</td>
<td class="a">${cell(p.a, textA, ra)}</td><td class="b">${cell(p.b, textB, rb)}</td><td class="figs">${figs}${depts}</td></tr>`;
  }
  html += "</tbody></table>";
  $("#main").innerHTML = html;
  $("#hide-same").onchange = (ev) => document.querySelectorAll("tr.same").forEach((tr) => tr.hidden = ev.target.checked);
}

async function viewHome(seq) {
  $("#main").innerHTML = $("#home-template").innerHTML;
  try {
    const docs = await api("/docs");
    if (stale(seq)) return;
    $("#doclist").innerHTML = `<h2>已收录 ${docs.documents.length} 份文件</h2><ul>` + docs.documents.map((d) =>
      `<li><a href="#/clause?cite=${encodeURIComponent(d.doc)}">${esc(d.title || d.doc)}</a> <span class="meta">${esc(d.jurisdiction || "")} · ${esc(STATUS[d.status] || d.status)}${d.edition ? " · " + d.edition : ""}</span></li>`).join("") + "</ul>";
  } catch (e) { if (!stale(seq)) showError(e); }
}

async function route() {
  const seq = ++routeSeq;
  const { view, params } = hashParams();
  if (view !== "/search") $("#facets").hidden = true;
  if (view === "/search") await viewSearch(params, seq);
  else if (view === "/clause") await viewClause(params, seq);
  else if (view === "/diff") await viewDiff(params, seq);
  else await viewHome(seq);
  if (stale(seq)) return;
  // (for the tests: which view is drawn, and after which navigation)
  document.body.dataset.view = view;
  document.body.dataset.ready = String(seq);
}

// The places of the indexed documents as a tree, from their GB/T 2260
// codes (330382 is under 330300, under 330000): a place is a filter for
// itself and everything below it. A level no document names is shown by its
// code, which the query language takes as well.
function placeTree(docs) {
  const names = new Map();
  for (const d of docs) if (d.jurisdiction_code) names.set(d.jurisdiction_code, d.jurisdiction);
  const nodes = new Set();
  for (const c of names.keys()) {
    nodes.add(Math.floor(c / 10000) * 10000);
    nodes.add(Math.floor(c / 100) * 100);
    nodes.add(c);
  }
  const depth = (c) => (c % 10000 === 0 ? 0 : c % 100 === 0 ? 1 : 2);
  return [...nodes].sort((a, b) => a - b)
    .filter((c) => names.has(c) || [...names.keys()].filter((k) => k !== c && (depth(c) === 0 ? Math.floor(k / 10000) * 10000 : Math.floor(k / 100) * 100) === c).length > 0)
    .map((c) => ({ value: names.get(c) || String(c), label: "\u3000".repeat(depth(c)) + (names.get(c) || String(c)) }));
}

function ensureOption(sel, value) {
  if (value && ![...sel.options].some((o) => o.value === value))
    sel.insertAdjacentHTML("beforeend", `<option value="${esc(value)}">${esc(value)}</option>`);
}

// Filter choices from what is indexed: places and editions.
async function loadChoices() {
  try {
    const docs = await api("/docs");
    const years = new Set();
    for (const d of docs.documents) if (d.edition) years.add(d.edition);
    const place = $("#f-jurisdiction"), wanted = place.value;
    for (const p of placeTree(docs.documents))
      place.insertAdjacentHTML("beforeend", `<option value="${esc(p.value)}">${esc(p.label)}</option>`);
    ensureOption(place, wanted);
    place.value = wanted;
    const sel = $("#f-edition");
    for (const y of [...years].sort().reverse()) sel.insertAdjacentHTML("beforeend", `<option value="${y}">${y}</option>`);
  } catch (e) { /* shown by the view that needs it */ }
}

// ---- keyboard ------------------------------------------------------------------

function moveSelection(delta) {
  const hits = document.querySelectorAll(".hit");
  if (!hits.length) return;
  selected = Math.max(0, Math.min(hits.length - 1, selected + delta));
  hits.forEach((h, i) => h.classList.toggle("sel", i === selected));
  hits[selected].querySelector("a.open").focus();
}

document.addEventListener("keydown", (ev) => {
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
  if (ev.key === "Escape" && typing) { document.activeElement.blur(); return; }
  if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === "/") { ev.preventDefault(); $("#q").focus(); $("#q").select(); }
  else if (ev.key === "j") moveSelection(1);
  else if (ev.key === "k") moveSelection(-1);
  else if (ev.key === "]" && $("#next")) $("#next").click();
  else if (ev.key === "[" && $("#prev")) $("#prev").click();
});

window.addEventListener("DOMContentLoaded", () => {
  const tpl = document.createElement("template");
  tpl.id = "home-template";
  tpl.innerHTML = $("#home").outerHTML;
  document.body.appendChild(tpl);
  $("#search").addEventListener("submit", (ev) => { ev.preventDefault(); go("/search", formParams()); });
  for (const f of ["jurisdiction", "status", "edition"]) $("#f-" + f).addEventListener("change", () => { if ($("#q").value.trim() || location.hash.startsWith("#/search")) go("/search", formParams()); });
  $("#f-latest").addEventListener("change", () => { if (location.hash.startsWith("#/search")) go("/search", formParams()); });
  window.addEventListener("hashchange", route);
  loadChoices();
  route();
});
