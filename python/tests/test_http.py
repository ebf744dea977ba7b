"""The HTTP client (clausedex.http) against a real `clausedex serve` on the
seed index: the same answers as the in-process binding, the server's errors
as ClausedexError with status, code, param and offset."""
import os
import re
import subprocess

import pytest

import clausedex
from clausedex.http import Client

from test_clausedex import CLI, index_dir, seeds_dir  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def server(index_dir):  # noqa: F811
    p = subprocess.Popen([CLI, "serve", "-i", index_dir, "--listen", "127.0.0.1:0"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = p.stdout.readline()
        m = re.search(r"listening on (http://[^/ ]+)/", line)
        assert m, f"serve did not start: {line!r}"
        yield m.group(1)
    finally:
        p.terminate()
        p.wait(timeout=10)


@pytest.fixture
def client(server):
    return Client(server)


@pytest.mark.parametrize("query", ["以旧换新", "企业 -住房", "人才 jurisdiction:温州市", "火星殖民计划"])
def test_counts_and_hits_agree_with_the_binding(client, index_dir, query):  # noqa: F811
    with clausedex.Index(index_dir) as ix:
        assert client.count(query) == ix.count(query)
        over_http = client.search(query, n=5).hits
        in_process = ix.search(query, n=5)
    assert [(h.doc, h.number, h.rank) for h in over_http] == [(h.doc, h.number, h.rank) for h in in_process]
    assert len(list(client.iter(query))) == client.count(query)


def test_filters_facets_and_attributes(client):
    res = client.search("企业", jurisdiction="乐清市", facet="status", n=3)
    assert res.total > 0 and all(h.jurisdiction == "乐清市" for h in res.hits)
    statuses = {v["value"] for f in res.facets for v in f["values"]}
    assert statuses and statuses <= {"送审稿", "征求意见稿", "final"}


def test_show_diff_docs_families_health(client):
    docs = client.docs()
    assert len(docs) == client.health().documents
    unit = client.show("乐政发〔2025〕4号#（三）")
    assert len(unit.units) == 1 and unit.doc.doc_number == "乐政发〔2025〕4号"
    d = client.diff("000", "001")
    assert d.summary.pairs == len(d.pairs) > 0
    assert any(len(f.versions) > 1 for f in client.families())


@pytest.mark.parametrize("call, status, code, param", [
    (lambda c: c.search("以旧换新 foo:bar"), 400, "syntax", "q"),
    (lambda c: c.search("企业", n=1000), 400, None, "n"),
    (lambda c: c.show("no-such-document"), 404, "notfound", None),
    (lambda c: c.get("no-such-endpoint"), 404, None, None),
])
def test_errors_carry_status_code_and_param(client, call, status, code, param):
    with pytest.raises(clausedex.ClausedexError) as e:
        call(client)
    assert e.value.status == status and e.value.message
    if code:
        assert e.value.code == code
    if param:
        assert e.value.param == param
    if code == "syntax":
        assert e.value.offset == "以旧换新 foo:bar".encode().index(b"foo")


def test_unreachable_server_is_an_oserror():
    with pytest.raises(OSError):
        Client("http://127.0.0.1:9", timeout=2).health()
