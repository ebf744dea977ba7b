"""A client for `clausedex serve`'s HTTP API (docs/HTTP.md), standard library only.

    from clausedex.http import Client
    c = Client("http://127.0.0.1:8080")              # token="..." for --token
    res = c.search("以旧换新", jurisdiction="温州市", n=20, facet="dept")
    for h in res.hits:
        print(h.jurisdiction, h.doc_number, h.number, h.heading)
    for h in c.iter("专精特新"):                      # every hit, page by page
        ...
    pairs = c.diff("000", "乐政发〔2025〕4号").pairs

Answers are the endpoints' JSON as `Record`s (dicts readable as attributes),
as the in-process `clausedex.Index` returns them. An error answer raises
`ClausedexError` with the server's message, its `code` name ("syntax",
"notfound", ...), the HTTP `status`, the parameter at fault (`param`) and the
byte `offset` in that parameter's value; a server that cannot be reached
raises `OSError`. The client holds no connection between calls.
"""
import json
import urllib.error
import urllib.parse
import urllib.request

from . import ClausedexError, Record

__all__ = ["Client"]

# the server's own page limit (docs/HTTP.md "Limits"): iter() pages at it
_MAX_N, _MAX_OFFSET = 100, 10000


class Client:
    """The API of one server at base_url; token: the --token file's first line."""

    def __init__(self, base_url="http://127.0.0.1:8080", token=None, timeout=30.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def get(self, endpoint, **params):
        """GET /endpoint with params (None values left out, booleans as 1/0):
        the decoded JSON answer, or ClausedexError for an error answer."""
        query = {k: (int(v) if isinstance(v, bool) else v) for k, v in params.items() if v is not None}
        url = f"{self.base_url}/{endpoint}?{urllib.parse.urlencode(query)}"
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                        timeout=self.timeout) as r:
                return json.load(r, object_hook=Record)  # nested objects too
        except urllib.error.HTTPError as e:
            try:
                err = json.load(e)["error"]
            except (ValueError, KeyError, TypeError):  # not our JSON (a proxy's page, 431)
                raise ClausedexError(f"HTTP {e.code} from {url}", e.code) from None
            exc = ClausedexError(err.get("message", ""), err.get("code"), err.get("offset"))
            exc.status, exc.param = err.get("status", e.code), err.get("param")
            raise exc from None

    def search(self, q="", n=10, offset=0, **params):
        """GET /search: total, hits, facets, elapsed_ms. params: latest, count,
        sort, facet, facet_limit and the filters (jurisdiction=, dept=, amount= ...)."""
        return self.get("search", q=q, n=n, offset=offset, **params)

    def count(self, q="", **params):
        """The exact number of matching units."""
        return self.get("search", q=q, count=True, **params).total

    def iter(self, q="", **params):
        """Every matching hit, best first, fetched a page of 100 at a time
        (the server answers at most 10,100 ranked hits: its result window)."""
        offset = 0
        while True:
            hits = self.search(q, n=_MAX_N, offset=offset, **params).hits
            yield from hits
            if len(hits) < _MAX_N:
                return
            offset += _MAX_N
            if offset > _MAX_OFFSET:  # say so rather than stop as if that were all
                raise ClausedexError(f"more than {offset} hits: past the server's result window "
                                     f"(docs/HTTP.md \"Limits\"); narrow the query", "limit")

    def show(self, cite):
        """GET /show: a document (doc, units) or one clause, cite as DOC or DOC#NUMBER."""
        return self.get("show", cite=cite)

    def diff(self, a, b):
        """GET /diff: a, b, pairs (in b's order) and summary."""
        return self.get("diff", a=a, b=b)

    def similar(self, cite=None, text=None, n=10, filter=None, latest=False):
        """GET /similar: source and matches, for a citation or a text."""
        return self.get("similar", cite=cite, text=text, n=n, filter=filter, latest=latest or None)

    def coverage(self, doc, under):
        """GET /coverage: jurisdictions and, per clause, its matches and gaps."""
        return self.get("coverage", doc=doc, under=under)

    def docs(self):
        return self.get("docs").documents

    def families(self):
        return self.get("families").families

    def stats(self):
        return self.get("stats")

    def health(self):
        return self.get("health")
