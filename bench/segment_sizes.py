#!/usr/bin/env python3
"""Bytes per segment region, summed over an index's segments (docs/FORMAT.md,
"Segment file"), and per unit: what each part of the format costs.

    python3 bench/segment_sizes.py INDEX_DIR [INDEX_DIR ...]

Reads only the trailers (the region table, the counts and the version)."""
import glob, os, struct, sys

NAMES = ["DICT", "DICTIDX", "POST", "POS", "UCOLS", "DCOLS", "STORE", "STOREIDX", "DOCS",
         "DOCIDX", "UVARS", "UVARIDX", "NAMES", "NAMEIDX", "DEPTNAMES", "DEPTLEN", "DEPTBASE",
         "DEPTCOL"]

def regions(version):
    return 18 if version >= 7 else 14 if version >= 6 else 10

def one(path):
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(size - 16)
        version = struct.unpack("<I", f.read(4))[0]
        n = regions(version)
        trailer = n * 16 + 4 * 4 + 3 * 8 + 4 + 8 + 4
        f.seek(size - trailer)
        t = f.read(trailer)
    lens = [struct.unpack_from("<QQ", t, 16 * r)[1] for r in range(n)]
    units, docs = struct.unpack_from("<II", t, 16 * n)
    text = struct.unpack_from("<Q", t, 16 * n + 32)[0]
    return version, size, lens, units, docs, text

def main():
    for d in sys.argv[1:]:
        tot = [0] * len(NAMES)
        size = units = docs = text = 0
        versions = set()
        for p in sorted(glob.glob(os.path.join(d, "seg-*.cdx"))):
            v, s, lens, u, dc, tx = one(p)
            versions.add(v)
            size += s; units += u; docs += dc; text += tx
            for i, l in enumerate(lens):
                tot[i] += l
        print(f"{d}: versions {sorted(versions)}, {docs} documents, {units} units, "
              f"text {text / 1e6:.2f} MB, segments {size / 1e6:.2f} MB ({size / max(text, 1):.3f}x)")
        print(f"  {'region':10} {'MB':>9} {'B/unit':>7} {'of text':>8}")
        for i, name in enumerate(NAMES):
            if tot[i] or i < 14:
                print(f"  {name:10} {tot[i] / 1e6:9.2f} {tot[i] / max(units, 1):7.2f} "
                      f"{tot[i] / max(text, 1):8.4f}")

if __name__ == "__main__":
    main()
