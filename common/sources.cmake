cdx_module(cdx_common
  SOURCES common/error.c common/buf.c common/json.c common/utf8.c common/utf16.c common/hash64.c common/digits.c common/grow.c common/fileio.c common/realpath_cache.c common/calendar.c
  LIBS PkgConfig::ZLIB)
