"""Starting `clausedex serve` for the tests: a server on a free loopback port,
its output read until it says where it listens."""
import http.client
import json
import os
import subprocess
import sys
import urllib.parse

SKIP = 77  # CTest's SKIP_RETURN_CODE for these tests


def skip_or_fail(why):
    """A missing prerequisite: a failure under CI=true, else a visible skip."""
    if os.environ.get("CI") == "true":
        print(f"FAIL (CI=true): {why}")
        sys.exit(1)
    print(f"SKIP: {why}")
    sys.exit(SKIP)


def seeds_dir():
    d = os.environ.get("CLAUSEDEX_SEEDS") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "corpus", "seeds")
    if not os.path.isdir(d):
        d = "/work/shared/corpus/seeds"
    return d if os.path.isdir(d) else None


class Server:
    def __init__(self, cli, index, *extra):
        self.proc = subprocess.Popen([cli, "serve", "-i", index, "--listen", "127.0.0.1:0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on http://127.0.0.1:"):
            err = self.proc.stderr.read()
            raise RuntimeError(f"serve did not start: {line!r} {err!r}")
        self.port = int(line.split(":")[2].split("/")[0])

    def get(self, target, headers=None, method="GET", body=None):
        """(status, headers, parsed JSON or raw bytes) of one request."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.putrequest(method, target, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        if body is not None:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders(body)
        r = c.getresponse()
        data = r.read()
        c.close()
        ctype = r.getheader("Content-Type", "")
        if ctype.startswith("application/json") and method != "HEAD":
            return r.status, r, json.loads(data.decode("utf-8"))
        return r.status, r, data

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        return rc


def q(**params):
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
