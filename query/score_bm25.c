/*
 * BM25 (Robertson/Sparck Jones, as in Lucene and FTS5's bm25()), k1 = 1.2,
 * b = 0.75, with the unit (clause) as the document for all statistics.
 *
 *   idf(t)   = ln(1 + (N - df + 0.5) / (df + 0.5)), floored at 1e-6
 *   score(t) = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avglen))
 *
 * A multi-character Chinese word is ONE term here, not one per bigram: its
 * tf is the number of places the whole word occurs in the unit and its df is
 * estimated by its rarest token (an upper bound of the true df, exact when
 * the word is one bigram). Summing per bigram would give 以旧换新 three
 * terms' weight against 港's one, and a unit repeating 旧换 elsewhere would
 * score for text that is not the word.
 */
#include <math.h>
#include "query/query.h"

double cdx_bm25_idf(uint64_t n_units, uint64_t df) {
  if (df > n_units) df = n_units;
  double idf = log(1.0 + ((double)n_units - (double)df + 0.5) / ((double)df + 0.5));
  return idf < 1e-6 ? 1e-6 : idf;
}

/* score(t) is cdx_bm25_term in query.h: inline, as the ranked paths
 * evaluate it for every match and every block bound. */

/* Smallest distance between an occurrence of a (spanning len_a positions)
 * and one of b, by merging the two sorted lists. Words right next to each
 * other get the full bonus of 1; the bonus halves at 1 position apart. */
double cdx_proximity_bonus(const uint32_t *a, size_t na, uint32_t len_a, const uint32_t *b,
                           size_t nb) {
  if (na == 0 || nb == 0) return 0;
  uint64_t best = UINT64_MAX;
  size_t i = 0, j = 0;
  while (i < na && j < nb) {
    uint64_t x = a[i], y = b[j];
    uint64_t d;
    if (y >= x) d = y - x >= len_a ? y - x - len_a : 0;
    else d = x - y;
    if (d < best) best = d;
    if (x < y) i++;
    else j++;
  }
  return 1.0 / (1.0 + (double)best);
}
