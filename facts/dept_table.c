/* facts/: the department alias table: reading the TSV format (compiled-in
 * and user files alike, one parser for both) and the hash lookup that
 * cdx_dept_canonical makes several times per name. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "common/common.h"
#include "facts/dept_internal.h"

typedef struct entry {
  uint32_t name, name_len;   /* offsets into the string arena */
  uint32_t canon, canon_len; /* canon is NUL-terminated in the arena */
  uint32_t line;             /* line of the file that gave it (messages) */
  bool alias;                /* name != canon */
} entry;

struct cdx_dept_table {
  cdx_buf strings; /* arena: offsets, not pointers, because it grows */
  entry *entries;
  size_t n, cap;
  uint32_t *slots; /* open addressing: entry index + 1, 0 = empty */
  size_t n_slots;  /* power of two, at least twice n */
};

static uint64_t hash(const char *s, size_t n) { return cdx_hash64(s, n, 0x64657074u); }

static const char *str(const cdx_dept_table *t, uint32_t off) { return t->strings.data + off; }

/* Slot of name s[0..n): its entry's slot, or the empty slot it would take. */
static size_t find_slot(const cdx_dept_table *t, const char *s, size_t n) {
  size_t mask = t->n_slots - 1, k = (size_t)hash(s, n) & mask;
  for (;;) {
    uint32_t e = t->slots[k];
    if (!e) return k;
    const entry *x = &t->entries[e - 1];
    if (x->name_len == n && memcmp(str(t, x->name), s, n) == 0) return k;
    k = (k + 1) & mask;
  }
}

static entry *find(const cdx_dept_table *t, const char *s, size_t n) {
  if (!t || !t->n_slots) return NULL;
  uint32_t e = t->slots[find_slot(t, s, n)];
  return e ? &t->entries[e - 1] : NULL;
}

const char *cdx_dept_lookup(const cdx_dept_table *t, const char *s, size_t n, size_t *clen) {
  const entry *x = find(t, s, n);
  if (!x) return NULL;
  if (clen) *clen = x->canon_len;
  return str(t, x->canon);
}

static int grow_slots(cdx_dept_table *t) {
  size_t ns = t->n_slots ? t->n_slots * 2 : 64;
  uint32_t *slots = calloc(ns, sizeof *slots);
  if (!slots) return CDX_NOMEM;
  free(t->slots);
  t->slots = slots;
  t->n_slots = ns;
  for (size_t i = 0; i < t->n; i++) {
    const entry *x = &t->entries[i];
    t->slots[find_slot(t, str(t, x->name), x->name_len)] = (uint32_t)(i + 1);
  }
  return CDX_OK;
}

static int add_string(cdx_dept_table *t, const char *s, size_t n, uint32_t *off) {
  int rc = CDX_OK;
  if (t->strings.len + n + 1 > UINT32_MAX) return CDX_LIMIT;
  *off = (uint32_t)t->strings.len;
  cdx_buf_append(&rc, &t->strings, s, n);
  cdx_buf_putc(&rc, &t->strings, '\0');
  return rc;
}

/* Sets name -> canon (adding or overwriting). */
static int put(cdx_dept_table *t, const char *name, size_t nn, const char *canon, size_t cn,
               uint32_t line) {
  if ((t->n + 1) * 2 > t->n_slots) {
    int rc = grow_slots(t);
    if (rc) return rc;
  }
  size_t k = find_slot(t, name, nn);
  entry *x;
  if (t->slots[k]) {
    x = &t->entries[t->slots[k] - 1];
  } else {
    if (CDX_GROW(t->entries, t->cap, t->n + 1, 128) != CDX_OK) return CDX_NOMEM;
    x = &t->entries[t->n];
    int rc = add_string(t, name, nn, &x->name);
    if (rc) return rc;
    x->name_len = (uint32_t)nn;
    t->slots[k] = (uint32_t)++t->n;
  }
  /* the canonical name is stored again per entry: simpler than sharing, and
   * the table is a few KiB */
  int rc = add_string(t, canon, cn, &x->canon);
  if (rc) return rc;
  x->canon_len = (uint32_t)cn;
  x->line = line;
  x->alias = nn != cn || memcmp(name, canon, nn) != 0;
  return CDX_OK;
}

static void table_clear(cdx_dept_table *t) {
  cdx_buf_free(&t->strings);
  free(t->entries);
  free(t->slots);
  memset(t, 0, sizeof *t);
}

void cdx_dept_table_free(cdx_dept_table *t) {
  if (!t) return;
  table_clear(t);
  free(t);
}

size_t cdx_dept_table_size(const cdx_dept_table *t) { return t ? t->n : 0; }

/* Folds field s[0..n) of line `line` into out (CDX_DEPT_NAME_MAX + 1). */
static int fold_field(const char *file, uint32_t line, const char *s, size_t n, char *out,
                      size_t *on, cdx_error *err) {
  if (!n) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s:%u: empty name", file, line);
  cdx_error e;
  int rc = cdx_dept_fold(s, n, out, CDX_DEPT_NAME_MAX + 1, on, &e);
  if (rc) return cdx_err_set(err, rc, CDX_NO_OFFSET, "%s:%u: %s", file, line, e.message);
  if (!*on) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s:%u: empty name", file, line);
  return CDX_OK;
}

/* Adds one line's mapping to the file's own table f, checking it against the
 * file's other lines. */
static int add_line(cdx_dept_table *f, const char *file, uint32_t line, const char *c, size_t cn,
                    const char *a, size_t an, cdx_error *err) {
  entry *x = find(f, c, cn);
  if (x && x->alias)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "%s:%u: '%.*s' is a canonical name here but an alias of '%s' on line %u",
                       file, line, (int)cn, c, str(f, x->canon), x->line);
  if (!x) {
    int rc = put(f, c, cn, c, cn, line);
    if (rc) return cdx_err_set(err, rc, CDX_NO_OFFSET, "%s:%u: out of memory", file, line);
  }
  if (!a || (an == cn && memcmp(a, c, cn) == 0)) return CDX_OK;
  x = find(f, a, an);
  if (x && x->alias)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "%s:%u: alias '%.*s' given twice (line %u maps it to '%s')", file, line,
                       (int)an, a, x->line, str(f, x->canon));
  if (x)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "%s:%u: '%.*s' is an alias here but a canonical name on line %u", file, line,
                       (int)an, a, x->line);
  int rc = put(f, a, an, c, cn, line);
  if (rc) return cdx_err_set(err, rc, CDX_NO_OFFSET, "%s:%u: out of memory", file, line);
  return CDX_OK;
}

/* Reads a TSV file into f (empty), validating every line. */
static int parse(cdx_dept_table *f, const char *file, const char *data, size_t len,
                 cdx_error *err) {
  uint32_t line = 0;
  size_t i = 0;
  while (i < len) {
    line++;
    const char *s = data + i;
    const char *nl = memchr(s, '\n', len - i);
    size_t n = nl ? (size_t)(nl - s) : len - i;
    i += n + (nl ? 1 : 0);
    if (n && s[n - 1] == '\r') n--;
    size_t bad = cdx_utf8_find_invalid(s, n);
    if (bad != CDX_NO_OFFSET)
      return cdx_err_set(err, CDX_ENCODING, (size_t)(s - data) + bad,
                         "%s:%u: invalid UTF-8 at byte %zu of the line", file, line, bad + 1);
    size_t k = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
    if (k == n || s[k] == '#') continue; /* blank or comment */
    const char *tab = memchr(s, '\t', n);
    size_t c_n = tab ? (size_t)(tab - s) : n;
    const char *a = tab ? tab + 1 : NULL;
    size_t a_n = tab ? n - c_n - 1 : 0;
    if (a && memchr(a, '\t', a_n))
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                         "%s:%u: more than two fields (the format is canonical<TAB>alias)", file,
                         line);
    char c[CDX_DEPT_NAME_MAX + 1], al[CDX_DEPT_NAME_MAX + 1];
    size_t cn, an = 0;
    int rc = fold_field(file, line, s, c_n, c, &cn, err);
    if (!rc && a) rc = fold_field(file, line, a, a_n, al, &an, err);
    if (!rc) rc = add_line(f, file, line, c, cn, a ? al : NULL, an, err);
    if (rc) return rc;
  }
  return CDX_OK;
}

/* t := t merged with the file's table f: f's lines win, and an entry of t
 * whose canonical name f makes an alias follows it to f's canonical name
 * (renaming a canonical name carries its aliases). Built in a new table so
 * that a failure leaves t as it was. */
static int merge(cdx_dept_table *t, const cdx_dept_table *f) {
  cdx_dept_table m = {0};
  int rc = CDX_OK;
  for (size_t i = 0; i < t->n && !rc; i++) {
    const entry *x = &t->entries[i];
    const char *canon = str(t, x->canon);
    size_t cn = x->canon_len;
    const entry *y = find(f, canon, cn);
    if (y && y->alias) {
      canon = str(f, y->canon);
      cn = y->canon_len;
    }
    rc = put(&m, str(t, x->name), x->name_len, canon, cn, x->line);
  }
  for (size_t i = 0; i < f->n && !rc; i++) {
    const entry *x = &f->entries[i];
    rc = put(&m, str(f, x->name), x->name_len, str(f, x->canon), x->canon_len, x->line);
  }
  if (rc) {
    table_clear(&m);
    return rc;
  }
  table_clear(t);
  *t = m;
  return CDX_OK;
}

int cdx_dept_table_load_buffer(cdx_dept_table *t, const char *name, const char *data, size_t len,
                               cdx_error *err) {
  if (!t || !name || (!data && len))
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "department table: NULL argument");
  cdx_dept_table f = {0};
  int rc = parse(&f, name, data, len, err);
  if (!rc && (rc = merge(t, &f)) != CDX_OK)
    cdx_err_set(err, rc, CDX_NO_OFFSET, "%s: out of memory", name);
  table_clear(&f);
  return rc;
}

int cdx_dept_table_load(cdx_dept_table *t, const char *path, cdx_error *err) {
  if (!t || !path)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "department table: NULL argument");
  char *data;
  size_t len;
  int rc = cdx_read_file(path, &data, &len, err);
  if (rc) return rc;
  rc = cdx_dept_table_load_buffer(t, path, data, len, err);
  free(data);
  return rc;
}

int cdx_dept_table_new(cdx_dept_table **out, cdx_error *err) {
  if (!out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "department table: NULL argument");
  *out = NULL;
  cdx_dept_table *t = calloc(1, sizeof *t);
  if (!t) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "department table: out of memory");
  int rc =
      cdx_dept_table_load_buffer(t, "facts/dept_aliases.tsv", (const char *)cdx_dept_builtin_tsv,
                                 cdx_dept_builtin_tsv_len, err);
  if (rc) {
    cdx_dept_table_free(t);
    return rc;
  }
  *out = t;
  return CDX_OK;
}

static cdx_dept_table *g_builtin;
static pthread_once_t g_builtin_once = PTHREAD_ONCE_INIT;
static void builtin_init(void) {
  cdx_error e;
  if (cdx_dept_table_new(&g_builtin, &e) != CDX_OK) g_builtin = NULL;
}

const cdx_dept_table *cdx_dept_table_builtin(void) {
  pthread_once(&g_builtin_once, builtin_init);
  return g_builtin;
}
