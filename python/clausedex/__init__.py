"""clausedex for Python: the C library (libclausedex.so) through ctypes.

    import clausedex
    with clausedex.Index("./clausedex-index") as ix:
        print(ix.count("以旧换新"))
        for hit in ix.search("以旧换新 jurisdiction:温州市", n=5):
            print(hit.rank, hit.title, hit.number, hit.text[:40])

Hits, units and diff pairs are `Record`s: dicts with the fields of the JSON
output (docs/JSON.md), also readable as attributes. A failing call raises
`ClausedexError` with the library's own message, code and query offset.

The library is found through $CLAUSEDEX_LIBRARY (a path), else the system's
search path (ctypes.util.find_library), else beside this package in a build
tree. Only the standard library is used: no pip, no compiler.
"""
import ctypes
import ctypes.util
import json
import os

__all__ = ["Index", "Record", "ClausedexError", "version"]

_NO_OFFSET = ctypes.c_size_t(-1).value


class ClausedexError(Exception):
    """A library error: message as the library wrote it, code (enum
    cdx_status), offset (byte in the query, or None)."""

    def __init__(self, message, code, offset=None):
        super().__init__(message)
        self.message, self.code, self.offset = message, code, offset


class Record(dict):
    """A JSON record (a hit, a unit, a pair) whose keys are also attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class _Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("offset", ctypes.c_size_t), ("message", ctypes.c_char * 512)]


class _AlignOptions(ctypes.Structure):
    _fields_ = [("threshold", ctypes.c_double), ("no_edits", ctypes.c_int)]


def _find_library():
    path = os.environ.get("CLAUSEDEX_LIBRARY")
    if path:
        return path
    found = ctypes.util.find_library("clausedex")
    if found:
        return found
    here = os.path.dirname(os.path.abspath(__file__))
    for build in ("build", "build-dev", "build-release"):
        cand = os.path.join(here, "..", "..", build, "libclausedex.so")
        if os.path.exists(cand):
            return cand
    raise OSError("libclausedex.so not found: set CLAUSEDEX_LIBRARY to its path")


_lib = None


def _api():
    """Loads the library once and declares the functions used."""
    global _lib
    if _lib is not None:
        return _lib
    lib = ctypes.CDLL(_find_library())
    P, S, I, E = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(_Error)
    C, PP = ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)
    sigs = {
        "cdx_version": (C, []),
        "cdx_free": (None, [P]),
        "cdx_index_open": (I, [C, PP, E]),
        "cdx_index_close": (None, [P]),
        "cdx_search": (I, [P, C, P, PP, E]),
        "cdx_search_document": (I, [P, C, C, PP, E]),
        "cdx_results_total": (S, [P]),
        "cdx_results_count": (S, [P]),
        "cdx_results_get": (P, [P, S]),
        "cdx_results_free": (None, [P]),
        "cdx_hit_to_json": (I, [P, PP, ctypes.POINTER(S), E]),
        "cdx_align_documents": (I, [P, C, C, ctypes.POINTER(_AlignOptions), PP, E]),
        "cdx_alignment_count": (S, [P]),
        "cdx_alignment_get": (P, [P, S]),
        "cdx_alignment_free": (None, [P]),
        "cdx_align_pair_to_json": (I, [P, PP, ctypes.POINTER(S), E]),
        "cdx_search_options_new": (P, []),
        "cdx_search_options_set": (I, [P, C, C, E]),
        "cdx_search_options_free": (None, [P]),
    }
    for name, (res, args) in sigs.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    _lib = lib
    return lib


def _check(rc, err):
    if rc != 0:
        off = None if err.offset == _NO_OFFSET else err.offset
        raise ClausedexError(err.message.decode("utf-8", "replace"), err.code, off)


def _json(to_json, obj):
    """A library object through its *_to_json function, as a Record."""
    lib, err = _api(), _Error()
    out, n = ctypes.c_void_p(), ctypes.c_size_t()
    _check(to_json(obj, ctypes.byref(out), ctypes.byref(n), ctypes.byref(err)), err)
    try:
        return Record(json.loads(ctypes.string_at(out, n.value).decode("utf-8")))
    finally:
        lib.cdx_free(out)


def version():
    """The library's version string."""
    return _api().cdx_version().decode()


class Index:
    """An open index (read-only snapshot). Close it, or use `with`."""

    def __init__(self, path):
        lib, err = _api(), _Error()
        self._ix = ctypes.c_void_p()
        _check(lib.cdx_index_open(os.fsencode(path), ctypes.byref(self._ix), ctypes.byref(err)), err)
        self.path = path

    def close(self):
        if self._ix:
            _api().cdx_index_close(self._ix)
            self._ix = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _results(self, query, **options):
        """cdx_search with the named cdx_search_options members: they are
        set by name (cdx_search_options_set), so this binding does not lay
        the C struct out and cannot drift from it."""
        if not self._ix:
            raise ClausedexError("the index is closed", 3)
        lib, err, res = _api(), _Error(), ctypes.c_void_p()
        opts = lib.cdx_search_options_new()
        if not opts:
            raise MemoryError("cdx_search_options_new")
        try:
            for name, value in options.items():
                text = str(int(value)) if isinstance(value, (bool, int)) else str(value)
                _check(lib.cdx_search_options_set(opts, name.encode(), text.encode("utf-8"),
                                                  ctypes.byref(err)), err)
            _check(lib.cdx_search(self._ix, query.encode("utf-8"), opts, ctypes.byref(res),
                                  ctypes.byref(err)), err)
        finally:
            lib.cdx_search_options_free(opts)
        return res

    def _hits(self, res):
        lib = _api()
        try:
            return [_json(lib.cdx_hit_to_json, lib.cdx_results_get(res, i))
                    for i in range(lib.cdx_results_count(res))]
        finally:
            lib.cdx_results_free(res)

    def search(self, query, n=10, offset=0, latest=False):
        """The n best units for query (docs/QUERY.md), after skipping offset."""
        if n < 1 or offset < 0:
            raise ValueError("n must be positive and offset not negative")
        return self._hits(self._results(query, k=n, offset=offset, latest=latest))

    def iter(self, query, latest=False, batch=200):
        """Every matching unit, best first, fetched batch by batch."""
        offset = 0
        while True:
            hits = self.search(query, n=batch, offset=offset, latest=latest)
            yield from hits
            if len(hits) < batch:
                return
            offset += batch

    def count(self, query, latest=False):
        """The exact number of units matching query."""
        lib = _api()
        res = self._results(query, count_only=True, latest=latest)
        try:
            return lib.cdx_results_total(res)
        finally:
            lib.cdx_results_free(res)

    def show(self, doc, number=None):
        """A document's units in order (or the one numbered `number`), as
        `clausedex show` prints them. doc: id, file name, document number
        or unique file-name prefix."""
        lib, err, res = _api(), _Error(), ctypes.c_void_p()
        _check(lib.cdx_search_document(self._ix, doc.encode("utf-8"),
                                       number.encode("utf-8") if number else None,
                                       ctypes.byref(res), ctypes.byref(err)), err)
        return self._hits(res)

    def diff(self, a, b, threshold=0.0):
        """The pairs of units of documents a and b (docs/ALIGN.md), in b's
        order: relation, similarity, a, b, changes, figures..."""
        lib, err, al = _api(), _Error(), ctypes.c_void_p()
        opts = _AlignOptions(threshold=threshold)
        _check(lib.cdx_align_documents(self._ix, a.encode("utf-8"), b.encode("utf-8"), ctypes.byref(opts),
                                       ctypes.byref(al), ctypes.byref(err)), err)
        try:
            return [_json(lib.cdx_align_pair_to_json, lib.cdx_alignment_get(al, i))
                    for i in range(lib.cdx_alignment_count(al))]
        finally:
            lib.cdx_alignment_free(al)
