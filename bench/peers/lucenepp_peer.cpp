// lucenepp_peer: the Lucene++ 3.0.8 peer of bench/run (Debian liblucene++-dev).
//
//   lucenepp_peer index DIR RECORDS.tsv
//   lucenepp_peer bench DIR QUERIES WARM RUNS
//   lucenepp_peer search DIR OP KIND:TERM...   (one whole process: open, top-10, print)
//
// Same files and output lines as groonga_peer.c and LucenePeer.java
// (bench/peers/native_peer.py writes the inputs and parses the output), and
// the same query translation as LucenePeer.java, with Lucene++'s contrib
// CJKAnalyzer (Lucene 3.0's CJKTokenizer: overlapping bigrams of a Han run, a
// lone Han character as itself, punctuation a break). The text is stored;
// optimize() at the end (counted in the index time) leaves one segment.
// Counts come from a collector that only counts (Lucene++ has no
// TotalHitCountCollector).
#include <lucene++/LuceneHeaders.h>
#include <lucene++/CJKAnalyzer.h>
#include <lucene++/TermAttribute.h>
#include <lucene++/PositionIncrementAttribute.h>
#include <lucene++/PrefixQuery.h>
#include <lucene++/WildcardQuery.h>
#include <lucene++/Collector.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace Lucene;

namespace {

AnalyzerPtr analyzer() {
  static AnalyzerPtr a = newLucene<CJKAnalyzer>(LuceneVersion::LUCENE_CURRENT);
  return a;
}

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch()).count();
}

String wide(const std::string &s) { return StringUtils::toUnicode(s); }

QueryPtr term_query(const std::string &kind_term) {
  if (kind_term.size() < 3 || kind_term[1] != ':')
    throw std::runtime_error("bad query term " + kind_term);
  String t = wide(kind_term.substr(2));
  if (kind_term[0] == 'c') {
    BooleanQueryPtr b = newLucene<BooleanQuery>();
    b->add(newLucene<PrefixQuery>(newLucene<Term>(L"text", t)), BooleanClause::SHOULD);
    b->add(newLucene<WildcardQuery>(newLucene<Term>(L"text", L"?" + t)), BooleanClause::SHOULD);
    return b;
  }
  TokenStreamPtr ts = analyzer()->tokenStream(L"text", newLucene<StringReader>(t));
  TermAttributePtr term = ts->addAttribute<TermAttribute>();
  PositionIncrementAttributePtr inc = ts->addAttribute<PositionIncrementAttribute>();
  ts->reset();
  PhraseQueryPtr pq = newLucene<PhraseQuery>();
  std::vector<String> toks;
  int32_t pos = -1;
  while (ts->incrementToken()) {
    pos += inc->getPositionIncrement();
    pq->add(newLucene<Term>(L"text", term->term()), pos);
    toks.push_back(term->term());
  }
  ts->end();
  ts->close();
  if (toks.empty()) throw std::runtime_error("no tokens in " + kind_term);
  if (toks.size() == 1) return newLucene<TermQuery>(newLucene<Term>(L"text", toks[0]));
  return pq;
}

QueryPtr parse(const std::vector<std::string> &f) {
  if (f.size() == 2) return term_query(f[1]);
  BooleanQueryPtr b = newLucene<BooleanQuery>();
  BooleanClause::Occur occ = f[0] == "or" ? BooleanClause::SHOULD : BooleanClause::MUST;
  for (size_t i = 1; i < f.size(); i++) b->add(term_query(f[i]), occ);
  return b;
}

std::vector<std::string> split_tabs(const std::string &line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string x;
  while (std::getline(ss, x, '\t'))
    if (!x.empty()) out.push_back(x);
  return out;
}

class CountCollector : public Collector {
public:
  int32_t count = 0;
  virtual void setScorer(const ScorerPtr &) {}
  virtual void collect(int32_t) { count++; }
  virtual void setNextReader(const IndexReaderPtr &, int32_t) {}
  virtual bool acceptsDocsOutOfOrder() { return true; }
};

void index(const std::string &dir, const std::string &records) {
  double t0 = now_ms();
  std::ifstream in(records);
  if (!in) throw std::runtime_error("cannot open " + records);
  IndexWriterPtr w = newLucene<IndexWriter>(FSDirectory::open(wide(dir)), analyzer(), true,
                                            IndexWriter::MaxFieldLengthUNLIMITED);
  w->setRAMBufferSizeMB(256);
  std::string line;
  long n = 0, bytes = 0;
  while (std::getline(in, line)) {
    DocumentPtr doc = newLucene<Document>();
    doc->add(newLucene<Field>(L"text", wide(line), Field::STORE_YES, Field::INDEX_ANALYZED));
    w->addDocument(doc);
    n++;
    bytes += (long)line.size();
  }
  w->optimize();
  w->close();
  std::printf("index %.6f %ld %ld\n", (now_ms() - t0) / 1e3, n, bytes);
}

std::string ids(const TopDocsPtr &td) {
  std::string s;
  for (int32_t i = 0; i < td->scoreDocs.size(); i++)
    s += (s.empty() ? "" : ",") + std::to_string(td->scoreDocs[i]->doc + 1);
  return s.empty() ? "-" : s;
}

void bench(const std::string &dir, const std::string &queries, int warm, int runs) {
  std::ifstream in(queries);
  if (!in) throw std::runtime_error("cannot open " + queries);
  std::vector<QueryPtr> qs;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) qs.push_back(parse(split_tabs(line)));
  IndexReaderPtr reader = IndexReader::open(FSDirectory::open(wide(dir)), true);
  SearcherPtr s = newLucene<IndexSearcher>(reader);
  for (int k = 0; k < warm; k++)
    for (auto &q : qs) {
      s->search(q, 10);
      s->search(q, newLucene<CountCollector>());
    }
  for (size_t i = 0; i < qs.size(); i++) {
    std::vector<double> top(runs), cnt(runs);
    std::string id_list = "-";
    int32_t count = -1;
    for (int k = 0; k < runs; k++) {
      double t0 = now_ms();
      TopDocsPtr td = s->search(qs[i], 10);
      top[k] = now_ms() - t0;
      if (k == 0) id_list = ids(td);
    }
    for (int k = 0; k < runs; k++) {
      double t0 = now_ms();
      boost::shared_ptr<CountCollector> c = newLucene<CountCollector>();
      s->search(qs[i], c);
      cnt[k] = now_ms() - t0;
      count = c->count;
    }
    std::printf("q %zu %d %s ", i, count, id_list.c_str());
    for (int k = 0; k < runs; k++) std::printf("%s%.4f", k ? "," : "", top[k]);
    std::printf(" ");
    for (int k = 0; k < runs; k++) std::printf("%s%.4f", k ? "," : "", cnt[k]);
    std::printf("\n");
  }
  reader->close();
}

void search(const std::string &dir, const std::vector<std::string> &f) {
  QueryPtr q = parse(f);
  IndexReaderPtr reader = IndexReader::open(FSDirectory::open(wide(dir)), true);
  SearcherPtr s = newLucene<IndexSearcher>(reader);
  TopDocsPtr td = s->search(q, 10);
  std::printf("%d matches\n", td->totalHits);
  for (int32_t i = 0; i < td->scoreDocs.size(); i++) {
    DocumentPtr d = s->doc(td->scoreDocs[i]->doc);
    std::printf("%d\t%s\n", td->scoreDocs[i]->doc + 1, StringUtils::toUTF8(d->get(L"text")).c_str());
  }
  reader->close();
}

}  // namespace

int main(int argc, char **argv) {
  try {
    std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "index" && argc == 4) index(argv[2], argv[3]);
    else if (cmd == "bench" && argc == 6) bench(argv[2], argv[3], std::atoi(argv[4]), std::atoi(argv[5]));
    else if (cmd == "search" && argc >= 5) search(argv[2], std::vector<std::string>(argv + 3, argv + argc));
    else {
      std::fprintf(stderr, "usage: lucenepp_peer index DIR RECORDS | bench DIR QUERIES WARM RUNS | "
                           "search DIR OP KIND:TERM...\n");
      return 2;
    }
  } catch (LuceneException &e) {
    std::fprintf(stderr, "lucenepp_peer: %s\n", StringUtils::toUTF8(e.getError()).c_str());
    return 2;
  } catch (std::exception &e) {
    std::fprintf(stderr, "lucenepp_peer: %s\n", e.what());
    return 2;
  }
  return 0;
}
