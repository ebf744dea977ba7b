/* LucenePeer: the Lucene 4.10 peer of bench/run (Debian liblucene4.10-java).
 *
 *   java LucenePeer index DIR RECORDS.tsv
 *   java LucenePeer bench DIR QUERIES WARM RUNS
 *   java LucenePeer search DIR OP KIND:TERM...   (one whole process: JVM start, open, top-10, print)
 *
 * Same files and output lines as groonga_peer.c (bench/peers/native_peer.py
 * writes the inputs and parses the output). One Lucene document per record,
 * a TextField "text" (stored) analysed by CJKAnalyzer (overlapping bigrams of
 * Han runs, a lone Han character as a unigram, StandardTokenizer's word
 * breaks and punctuation dropped), forceMerge(1) at the end (counted in the
 * index time) so the searcher sees one segment, as clausedex's 70 MB index is.
 *
 * A word or a quoted phrase becomes the PhraseQuery of its analysed tokens (a
 * TermQuery when it is one token): its bigrams must be adjacent, as clausedex
 * requires. One character cannot be found through CJKAnalyzer's bigrams with
 * a term query (it is a unigram only where it stands alone), so it becomes
 * PrefixQuery(c) OR WildcardQuery(?c): every bigram that starts or ends with
 * it, constant-scored. Terms are combined by BooleanQuery MUST (and) or
 * SHOULD (or). The whole query set runs WARM times before any timing (the
 * JIT), then each query RUNS times as searcher.search(q, 10) (TopDocs, ids
 * only) and RUNS times with a TotalHitCountCollector. */
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHitCountCollector;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class LucenePeer {
  static final Version V = Version.LUCENE_4_10_4;
  static final Analyzer ANALYZER = new CJKAnalyzer(V);

  static Query termQuery(String kindTerm) throws Exception {
    if (kindTerm.length() < 3 || kindTerm.charAt(1) != ':')
      throw new IllegalArgumentException("bad query term " + kindTerm);
    String t = kindTerm.substring(2);
    if (kindTerm.charAt(0) == 'c') {
      BooleanQuery b = new BooleanQuery();
      b.add(new PrefixQuery(new Term("text", t)), BooleanClause.Occur.SHOULD);
      b.add(new WildcardQuery(new Term("text", "?" + t)), BooleanClause.Occur.SHOULD);
      return b;
    }
    PhraseQuery pq = new PhraseQuery();
    List<String> toks = new ArrayList<>();
    try (TokenStream ts = ANALYZER.tokenStream("text", new StringReader(t))) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      int pos = -1;
      while (ts.incrementToken()) {
        pos += inc.getPositionIncrement();
        pq.add(new Term("text", term.toString()), pos);
        toks.add(term.toString());
      }
      ts.end();
    }
    if (toks.isEmpty()) throw new IllegalArgumentException("no tokens in " + t);
    if (toks.size() == 1) return new TermQuery(new Term("text", toks.get(0)));
    return pq;
  }

  static Query parse(String[] fields, int from) throws Exception {
    String op = fields[from];
    if (fields.length - from == 2) return termQuery(fields[from + 1]);
    BooleanQuery b = new BooleanQuery();
    BooleanClause.Occur occ = op.equals("or") ? BooleanClause.Occur.SHOULD : BooleanClause.Occur.MUST;
    for (int i = from + 1; i < fields.length; i++) b.add(termQuery(fields[i]), occ);
    return b;
  }

  static void index(String dir, String records) throws Exception {
    long t0 = System.nanoTime();
    IndexWriterConfig cfg = new IndexWriterConfig(V, ANALYZER);
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    cfg.setRAMBufferSizeMB(256);
    // Merges of adjacent segments only, so a document number stays its line number.
    cfg.setMergePolicy(new LogByteSizeMergePolicy());
    long n = 0, bytes = 0;
    try (IndexWriter w = new IndexWriter(FSDirectory.open(new File(dir)), cfg);
         BufferedReader r = new BufferedReader(new InputStreamReader(
             new FileInputStream(records), StandardCharsets.UTF_8), 1 << 20)) {
      String line;
      Document doc = new Document();
      TextField f = new TextField("text", "", Field.Store.YES);
      doc.add(f);
      while ((line = r.readLine()) != null) {
        f.setStringValue(line);
        w.addDocument(doc);
        n++;
        bytes += line.getBytes(StandardCharsets.UTF_8).length;
      }
      w.forceMerge(1);
    }
    System.out.printf(Locale.ROOT, "index %.6f %d %d%n", (System.nanoTime() - t0) / 1e9, n, bytes);
  }

  static String ids(TopDocs td) {
    StringBuilder sb = new StringBuilder();
    for (ScoreDoc sd : td.scoreDocs) sb.append(sb.length() > 0 ? "," : "").append(sd.doc + 1);
    return sb.length() > 0 ? sb.toString() : "-";
  }

  static void bench(String dir, String queries, int warm, int runs) throws Exception {
    List<Query> qs = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new FileInputStream(queries), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null)
        if (!line.isEmpty()) qs.add(parse(line.split("\t"), 0));
    }
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(new File(dir)))) {
      IndexSearcher s = new IndexSearcher(reader);
      for (int w = 0; w < warm; w++)
        for (Query q : qs) {
          s.search(q, 10);
          s.search(q, new TotalHitCountCollector());
        }
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < qs.size(); i++) {
        Query q = qs.get(i);
        double[] top = new double[runs], cnt = new double[runs];
        String idList = "-";
        int count = -1;
        for (int k = 0; k < runs; k++) {
          long t0 = System.nanoTime();
          TopDocs td = s.search(q, 10);
          top[k] = (System.nanoTime() - t0) / 1e6;
          if (k == 0) idList = ids(td);
        }
        for (int k = 0; k < runs; k++) {
          long t0 = System.nanoTime();
          TotalHitCountCollector c = new TotalHitCountCollector();
          s.search(q, c);
          cnt[k] = (System.nanoTime() - t0) / 1e6;
          count = c.getTotalHits();
        }
        out.append("q ").append(i).append(' ').append(count).append(' ').append(idList).append(' ');
        for (int k = 0; k < runs; k++) out.append(k > 0 ? "," : "").append(String.format(Locale.ROOT, "%.4f", top[k]));
        out.append(' ');
        for (int k = 0; k < runs; k++) out.append(k > 0 ? "," : "").append(String.format(Locale.ROOT, "%.4f", cnt[k]));
        out.append('\n');
      }
      System.out.print(out);
    }
  }

  static void search(String dir, String[] args) throws Exception {
    Query q = parse(args, 2);
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(new File(dir)))) {
      IndexSearcher s = new IndexSearcher(reader);
      TopDocs td = s.search(q, 10);
      StringBuilder out = new StringBuilder();
      out.append(td.totalHits).append(" matches\n");
      for (ScoreDoc sd : td.scoreDocs)
        out.append(sd.doc + 1).append('\t').append(s.doc(sd.doc).get("text")).append('\n');
      System.out.print(out);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("index")) index(args[1], args[2]);
    else if (args.length == 5 && args[0].equals("bench"))
      bench(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    else if (args.length >= 4 && args[0].equals("search")) search(args[1], args);
    else {
      System.err.println("usage: LucenePeer index DIR RECORDS | bench DIR QUERIES WARM RUNS | search DIR OP KIND:TERM...");
      System.exit(2);
    }
  }
}
