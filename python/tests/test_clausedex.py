"""The Python binding against the command line on the seed index: the same
counts, the same fields, errors with the library's messages.

Run by ctest (tests/python/tests.cmake) with CLAUSEDEX_LIBRARY and CDX_CLI
set; the seeds come from $CLAUSEDEX_SEEDS or ../shared/corpus/seeds."""
import json
import os
import subprocess

import pytest

import clausedex

CLI = os.environ.get("CDX_CLI", "clausedex")
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def seeds_dir():
    d = os.environ.get("CLAUSEDEX_SEEDS") or os.path.join(SRC, "..", "shared", "corpus", "seeds")
    if not os.path.isdir(d):
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed corpus missing at {d} (required under CI)")
        pytest.skip(f"SKIPPED: seed corpus not found at {d}")
    return d


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("py") / "ix")
    subprocess.run([CLI, "index", "-i", d, seeds_dir()], check=True, capture_output=True)
    return d


@pytest.fixture
def ix(index_dir):
    with clausedex.Index(index_dir) as i:
        yield i


def cli_json(index_dir, *args):
    p = subprocess.run([CLI, args[0], "--json", "-i", index_dir, *args[1:]], capture_output=True, text=True)
    return [json.loads(line) for line in p.stdout.splitlines()]


def test_version_is_the_commands():
    out = subprocess.run([CLI, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"clausedex {clausedex.version()}"


@pytest.mark.parametrize("query", ["以旧换新", "企业 -住房", "人才 jurisdiction:温州市", "火星殖民计划"])
def test_count_and_iteration_agree_with_the_command(ix, index_dir, query):
    summary = [r for r in cli_json(index_dir, "search", query, "-c") if r["type"] == "summary"][0]
    assert ix.count(query) == summary["total"]
    assert len(list(ix.iter(query, batch=7))) == summary["total"]


def test_hits_have_the_json_fields_of_a_match(ix, index_dir):
    hits = ix.search("以旧换新", n=3)
    assert [h.rank for h in hits] == [1, 2, 3]
    matches = [r for r in cli_json(index_dir, "search", "以旧换新", "-n", "3") if r["type"] == "match"]
    matches.sort(key=lambda r: r["rank"])
    for hit, match in zip(hits, matches):
        want = {k: v for k, v in match.items() if k not in ("type", "submatches")}
        assert dict(hit) == want
    for hit in hits:  # highlights are byte ranges of the UTF-8 text, four characters each
        text = hit.text.encode("utf-8")
        assert hit.highlights and all(len(text[a:b].decode("utf-8")) == 4 for a, b in hit.highlights)


def test_offset_and_latest(ix):
    assert ix.search("以旧换新", n=1, offset=2)[0].rank == 3
    assert ix.count("以旧换新", latest=True) <= ix.count("以旧换新")
    with pytest.raises(ValueError):
        ix.search("以旧换新", n=0)


def test_show_one_clause_and_a_document(ix):
    units = ix.show("001", "（三）")
    assert len(units) == 1 and units[0].number == "(三)"
    assert len(ix.show("001")) == 48


def test_diff_pairs_as_the_command(ix, index_dir):
    pairs = ix.diff("000", "001")
    summary = [r for r in cli_json(index_dir, "diff", "000", "001") if r["type"] == "summary"][0]
    assert len(pairs) == summary["pairs"]
    assert {p.relation for p in pairs} <= set(summary["relations"])
    assert sum(p.relation == "changed" for p in pairs) == summary["relations"]["changed"]


def test_errors_carry_the_library_message(ix, tmp_path):
    with pytest.raises(clausedex.ClausedexError) as e:
        ix.search("以旧换新 (港")
    assert "unbalanced parenthesis" in e.value.message and e.value.offset == 13
    with pytest.raises(clausedex.ClausedexError) as e:
        clausedex.Index(str(tmp_path / "none"))
    assert e.value.message == f"no clausedex index at {tmp_path / 'none'}"
    assert not (tmp_path / "none").exists()
    with pytest.raises(clausedex.ClausedexError) as e:
        ix.show("no-such-document")
    assert "no-such-document" in str(e.value)
