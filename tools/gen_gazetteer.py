#!/usr/bin/env python3
"""Generates lexicon/gazetteer_data.c from the GB/T 2260 division tables.

usage: tools/gen_gazetteer.py [DIVISIONS_DIR] [OUT_C]
  DIVISIONS_DIR defaults to ../shared/data/divisions beside the source tree,
  OUT_C to lexicon/gazetteer_data.c.

The output is committed, so the library never reads the CSVs at run time.
Regenerate after the tables change; the output is deterministic (same input,
same bytes). Traditional forms of names are not part of the output:
lexicon/gazetteer.c folds them with the library's one Traditional ->
Simplified table (lexicon/t2s.h).

Decisions written down here because the C code relies on them:
- The municipalities' and provinces' pseudo-prefectures (市辖区, 县,
  省直辖县级行政区划, 自治区直辖县级行政区划) are not places: their counties
  hang directly under the province, and their codes (110100, 419000, ...) are
  kept as aliases of the province so that a code found in the wild still
  resolves and nests.
- Every place gets its full name as a lookup key, and a short name when the
  level suffix can be stripped leaving at least two characters
  (温州市 -> 温州, 恩施土家族苗族自治州 -> 恩施, 浦东新区 -> 浦东). Zones
  (开发区, 管理区, 园区, ...) get no short name: nobody shortens them.
- A key is "weak" when it is too generic to name a place on its own in running
  text: two-character short names (和平, 新华, 长安 are ordinary words) and
  full names such as 城区, 矿区, 郊区, 市中区. Weak keys only support other
  mentions when gazetteer.c scans text.
"""
import csv
import os
import sys

LEVEL_PROVINCE, LEVEL_PREFECTURE, LEVEL_COUNTY = 1, 2, 3

PSEUDO_PREFECTURES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Suffixes that make a zone rather than a named place: no short name.
ZONE_SUFFIXES = ("开发区", "管理区", "园区", "示范区", "试验区", "合作区", "新城",
                 "群岛", "海域", "委员会", "管委会")

# Level suffixes, longest first so 自治县 wins over 县.
LEVEL_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "林区",
                  "特区", "地区", "省", "市", "县", "区", "旗", "盟")

# Ethnic groups named before 自治X (longest forms first within each group).
ETHNIC = ("蒙古族", "蒙古", "回族", "藏族", "维吾尔族", "维吾尔", "苗族", "彝族", "壮族",
          "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族",
          "哈萨克", "傣族", "黎族", "傈僳族", "佤族", "畲族", "拉祜族", "水族", "东乡族",
          "纳西族", "景颇族", "柯尔克孜族", "柯尔克孜", "土族", "达斡尔族", "仫佬族", "羌族",
          "撒拉族", "毛南族", "仡佬族", "锡伯族", "普米族", "塔吉克族", "怒族", "鄂温克族",
          "保安族", "裕固族", "独龙族", "鄂伦春族", "鄂伦春", "各族", "土家", "傣", "仡佬")

# Full names that are ordinary words in policy text (老城区, 城区 …).
GENERIC_FULL = {"城区", "矿区", "郊区", "东区", "西区", "新城区", "城中区", "城东区", "城西区",
                "城北区", "城南区", "市中区", "市南区", "市北区", "新市区", "城关区", "城厢区",
                "新区", "新县", "老城区"}


def short_name(name):
    if name.endswith(ZONE_SUFFIXES):
        return None
    for suf in LEVEL_SUFFIXES:
        if name.endswith(suf):
            stem = name[: -len(suf)]
            break
    else:
        return None
    if suf.startswith("自治") or suf == "特别行政区":
        changed = True
        while changed:
            changed = False
            for eth in sorted(ETHNIC, key=len, reverse=True):
                if stem.endswith(eth) and len(stem) - len(eth) >= 2:
                    stem = stem[: -len(eth)]
                    changed = True
                    break
    if len(stem) < 2 or stem == name:
        return None
    return stem


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def c_string(s):
    """A C string literal; non-ASCII bytes as octal escapes so the file is
    plain ASCII and no compiler guesses its encoding."""
    out = []
    for byte in s.encode("utf-8"):
        if byte == 0:
            out.append("\\000")
        elif 32 <= byte < 127 and chr(byte) not in '"\\?':
            out.append(chr(byte))
        else:
            out.append("\\%03o" % byte)
    return '"' + "".join(out) + '"'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "..", "shared", "data", "divisions")
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        root, "lexicon", "gazetteer_data.c")

    places = []   # (code, name, level, parent)
    aliases = []  # (pseudo code, province code)
    for r in read_rows(os.path.join(src, "provinces.csv")):
        places.append((int(r["code"]) * 10000, r["name"], LEVEL_PROVINCE, 0))
    pseudo = set()
    for r in read_rows(os.path.join(src, "cities.csv")):
        code, prov = int(r["code"]) * 100, int(r["provinceCode"]) * 10000
        if r["name"] in PSEUDO_PREFECTURES:
            pseudo.add(code)
            aliases.append((code, prov))
        else:
            places.append((code, r["name"], LEVEL_PREFECTURE, prov))
    for r in read_rows(os.path.join(src, "areas.csv")):
        city, prov = int(r["cityCode"]) * 100, int(r["provinceCode"]) * 10000
        parent = prov if city in pseudo else city
        if int(r["code"]) == city:
            # Prefecture-level cities without counties (东莞市, 中山市,
            # 儋州市) repeat themselves as their own area: one place.
            continue
        places.append((int(r["code"]), r["name"], LEVEL_COUNTY, parent))
    places.sort()
    codes = {p[0] for p in places}
    assert len(codes) == len(places), "duplicate codes"
    for p in places:
        assert p[3] == 0 or p[3] in codes, "dangling parent %d" % p[0]

    # String pool: every full name, NUL-terminated, in code order; short
    # names are appended after them (they are lookup keys only).
    pool = bytearray()
    name_off = {}

    def intern(s):
        if s not in name_off:
            name_off[s] = len(pool)
            pool.extend(s.encode("utf-8") + b"\0")
        return name_off[s]

    for p in places:
        intern(p[1])
    keys = []  # (key bytes, place index, flags)
    for i, p in enumerate(places):
        weak_full = p[1] in GENERIC_FULL or len(p[1]) < 2 or (
            len(p[1]) == 2 and p[1][-1] in "区")
        keys.append((p[1], i, 1 | (2 if weak_full else 0)))
        sn = short_name(p[1])
        if sn:
            keys.append((sn, i, 2 if len(sn) <= 2 else 0))
    for k in keys:
        intern(k[0])
    keys.sort(key=lambda k: (k[0].encode("utf-8"), places[k[1]][2], places[k[1]][0]))

    # Characters that can start a key (after folding), as a bitmap over
    # U+4E00..U+9FFF: the text scan skips every other position at once.
    first_bits = [0] * ((0x9FFF - 0x4E00 + 1 + 63) // 64)
    for k in keys:
        cp = ord(k[0][0])
        assert 0x4E00 <= cp <= 0x9FFF, k[0]
        first_bits[(cp - 0x4E00) // 64] |= 1 << ((cp - 0x4E00) % 64)

    L = []
    L.append("/* ---- generated by tools/gen_gazetteer.py — do not edit ---- */")
    L.append("/* Source: GB/T 2260 provinces.csv, cities.csv, areas.csv. %d places, %d"
             % (len(places), len(keys)))
    L.append(" * name keys, %d pseudo-prefecture aliases. */" % len(aliases))
    L.append('#include "lexicon/gazetteer_data.h"')
    L.append("")
    L.append("const size_t cdx_gz_n_places = %d;" % len(places))
    L.append("const size_t cdx_gz_n_keys = %d;" % len(keys))
    L.append("const size_t cdx_gz_n_aliases = %d;" % len(aliases))
    L.append("")
    # The pool as one literal split over lines.
    L.append("const char cdx_gz_pool[%d] =" % (len(pool) + 1))
    chunk = []
    text = pool.decode("utf-8")
    parts = text.split("\0")[:-1]
    line = ""
    for s in parts:
        piece = c_string(s + "\0")[:-1][1:]  # escaped body
        if len(line) + len(piece) > 90:
            chunk.append('  "' + line + '"')
            line = ""
        line += piece
    if line:
        chunk.append('  "' + line + '"')
    L.extend(chunk)
    L[-1] += ";"
    L.append("")
    L.append("const cdx_gz_place cdx_gz_places[%d] = {" % len(places))
    lv = {1: "CDX_LEVEL_PROVINCE", 2: "CDX_LEVEL_PREFECTURE", 3: "CDX_LEVEL_COUNTY"}
    for p in places:
        L.append("  {%d, cdx_gz_pool + %d, %s, %d}," % (p[0], name_off[p[1]], lv[p[2]], p[3]))
    L.append("};")
    L.append("")
    L.append("/* Sorted by key bytes, then level, then code. */")
    L.append("const cdx_gz_key cdx_gz_keys[%d] = {" % len(keys))
    for k in keys:
        L.append("  {%d, %d, %d, %d}," % (name_off[k[0]], len(k[0].encode("utf-8")), k[1], k[2]))
    L.append("};")
    L.append("")
    L.append("const uint32_t cdx_gz_aliases[%d][2] = {" % len(aliases))
    for a in sorted(aliases):
        L.append("  {%d, %d}," % a)
    L.append("};")
    L.append("")
    L.append("const uint64_t cdx_gz_first_bits[%d] = {" % len(first_bits))
    for i in range(0, len(first_bits), 4):
        L.append("  " + " ".join("0x%016xu," % b for b in first_bits[i:i + 4]))
    L.append("};")
    L.append("/* ---- end of generated file ---- */")
    data = ("\n".join(L) + "\n").encode("utf-8")
    with open(out_path, "wb") as f:
        f.write(data)
    print("%s: %d places, %d keys, %d aliases, %d bytes of names"
          % (out_path, len(places), len(keys), len(aliases), len(pool)))


if __name__ == "__main__":
    main()
