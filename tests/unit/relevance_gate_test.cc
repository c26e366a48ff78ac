// The relevance gate (src/relevance_gate.h) must rule out only items that
// the classifier's early verdict rules out: checked on every corpus we have,
// on random text made to trip it, on the daemon's outcomes with the gate and
// without it, and on the normaliser's rewrites one by one.
#include "relevance_gate.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "classify_data.h"
#include "coopwatch/core/normalize.h"
#include "coopwatch/core/pipeline.h"
#include "io/data_dir.h"
#include "normalize_lines.h"
#include "quality_sets.h"

namespace coopwatch::core {
namespace {

const data_files& files() {
  static const data_files f = io::read_data_dir(COOPWATCH_DATA_DIR);
  return f;
}

const resources& res() {
  static const resources r = load_resources(files());
  return r;
}

// Records of the corpora: the dev set, the extra quality sets, the sample
// and the hostile catalogue's records.
std::vector<std::string> corpus_records() {
  std::vector<std::string> out;
  auto paths = test_data::labelled_corpora();
  paths.push_back(std::string(COOPWATCH_TEST_DATA) + "/sample/news-sample.jsonl");
  for (const std::string& path : paths) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(line);
  }
  std::ifstream in(std::string(COOPWATCH_TEST_DATA) + "/hostile/catalogue.jsonl");
  simdjson::dom::parser parser;
  for (std::string line; std::getline(in, line);) {
    simdjson::dom::element c = parser.parse(line);
    std::string_view record;
    if (c["record"].get(record) == simdjson::SUCCESS) out.emplace_back(record);
  }
  return out;
}

// A JSON string literal of s (valid UTF-8 or not: bytes >= 0x80 as they are).
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Whether the gate rules out the item (title, body).
bool ruled_out(const std::string& title, const std::string& body) {
  normalizer n(res().normalize);
  normalized_text scratch;
  const relevance_gate& gate = *res().gate;
  auto tally = gate.make_tally();
  gate.reset(*tally);
  if (!gate.read(n, n.markup_pass(title, scratch), text_field::title, *tally)) return false;
  if (!gate.read(n, n.markup_pass(body, scratch), text_field::body, *tally)) return false;
  return !gate.may_be_relevant(*tally);
}

// What the classifier's early verdict says of the item, normalised in full.
bool decided_early(const std::string& title, const std::string& body) {
  normalizer n(res().normalize);
  classifier c(res().classify);
  normalized_text t, b;
  n.normalize(title, text_field::title, t);
  n.normalize(body, text_field::body, b);
  classification verdict;
  c.classify(t, b, verdict, classify_detail::verdict);
  return verdict.decided_early && !verdict.relevant;
}

TEST(RelevanceGate, EnabledWithTheShippedData) { EXPECT_TRUE(res().gate->enabled()); }

// Wherever the gate rules an item out, the early verdict does too; the
// gate rules out a fair share of the corpora's items.
TEST(RelevanceGate, RulesOutOnlyWhatTheEarlyVerdictRulesOut) {
  simdjson::dom::parser parser;
  std::size_t items = 0, out = 0;
  for (const auto& record : corpus_records()) {
    simdjson::dom::element item;
    if (parser.parse(record).get(item) != simdjson::SUCCESS) continue;
    std::string_view title, body;
    if (item["title"].get(title) != simdjson::SUCCESS || item["body"].get(body) != simdjson::SUCCESS) continue;
    ++items;
    if (!ruled_out(std::string(title), std::string(body))) continue;
    ++out;
    EXPECT_TRUE(decided_early(std::string(title), std::string(body))) << title;
  }
  EXPECT_GT(out, items / 10) << out << " of " << items;
}

// The daemon's outcomes are the same with the gate and without it.
TEST(RelevanceGate, DaemonOutcomesUnchanged) {
  pipeline_options with;
  with.verdict_only = true;
  pipeline_options without = with;
  without.gate = false;
  pipeline a(res(), with), b(res(), without);
  for (const auto& record : corpus_records()) {
    const outcome x = a.process(record, "2026-01-01T00:00:00Z");
    const std::string kx(x.key), px(x.payload), dx(x.detail);
    const outcome y = b.process(record, "2026-01-01T00:00:00Z");
    EXPECT_EQ(x.kind, y.kind) << record;
    EXPECT_EQ(x.error, y.error) << record;
    EXPECT_EQ(kx, y.key);
    EXPECT_EQ(px, y.payload) << record;
    EXPECT_EQ(dx, y.detail);
  }
}

// Random items made of programme terms, words of assistance, place names
// that the programme pairs, pair words and their pieces, in both scripts,
// with glosses, markup, entities, spaces, punctuation, line breaks, spam
// and compatibility characters between them: wherever the gate rules an
// item out, the early verdict does too.
TEST(RelevanceGate, RulesOutOnlyWhatTheEarlyVerdictRulesOutInRandomText) {
  const std::vector<std::string> pieces = {
      "东", "東", "西", "部", "扶", "贫", "貧", "协", "協", "作", "帮", "幫", "对", "對", "口", "结", "結",
      "携", "攜", "手", "援", "助", "滇", "沪", "滬", "彩", "票", "的", "在", "乾", "干", "(fú)", "（pín）",
      "(xié)", " ", "  ", "\t", "，", ",", "。", "、", "；", "\n", "<b>", "</b>", "<br>", "&#25206;", "&amp;",
      "㊥", "①", "ＡＢ", "a", "7", "扶贫", "协作", "帮扶", "彩票", "東西部", "扶貧協作", "东西部扶贫协作",
      "上海", "上海市", "云南", "雲南", "云南省", "广东", "廣東", "广西", "廣西", "粤桂", "沪滇", "滬滇",
      "山东", "重庆", "福建", "宁夏", "寧夏", "闽宁", "闽", "甘肃", "天津", "津甘", "昆明", "文山州",
      "对口帮扶", "對口幫扶", "劳务协作", "消费扶贫", "挂职干部", "援藏", "对口支援西藏",
      // characters the gate does not judge, or judges apart: mojibake
      // openers and mojibake itself, '?', spaces of every kind, NFKC
      // expansions and compatibility ideographs, and spam
      "於", "項", "電", "涓婃捣", "浜戝崡", "?", "\u3000", "\u00a0", "\f", "\v", "㍻", "㈱", "\uf900",
      "\U0002F800", "在线观看", "手机版下载", "注册送", "\u0301", "ﾃ", "Ã¤"};
  std::mt19937 rng(11);
  std::size_t out = 0, rounds = 0;
  auto text = [&] {
    std::string t;
    const auto count = std::uniform_int_distribution<std::size_t>(0, 16)(rng);
    for (std::size_t k = 0; k < count; ++k)
      t += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
    return t;
  };
  // Dev items cut at random places with pieces spliced in, too.
  std::vector<std::string> bodies;
  {
    simdjson::dom::parser parser;
    for (const auto& record : corpus_records()) {
      simdjson::dom::element item;
      std::string_view body;
      if (parser.parse(record).get(item) == simdjson::SUCCESS && item["body"].get(body) == simdjson::SUCCESS)
        bodies.emplace_back(body);
    }
  }
  auto spliced = [&] {
    const std::string& b = bodies[std::uniform_int_distribution<std::size_t>(0, bodies.size() - 1)(rng)];
    std::size_t at = std::uniform_int_distribution<std::size_t>(0, b.size())(rng);
    while (at < b.size() && (static_cast<unsigned char>(b[at]) & 0xC0) == 0x80) ++at;
    return b.substr(0, at) + text() + b.substr(at, 600);
  };
  pipeline_options with;
  with.verdict_only = true;
  pipeline_options without = with;
  without.gate = false;
  pipeline gated(res(), with), full(res(), without);
  for (; rounds < 40000; ++rounds) {
    const std::string title = text(), body = rounds % 2 ? text() : spliced();
    if (rounds % 4 == 0) {
      // And the daemon's outcome is the same either way.
      const std::string record = "{\"id\":\"r" + std::to_string(rounds) + "\",\"title\":" + json_string(title) +
                                 ",\"body\":" + json_string(body) + "}";
      const outcome x = gated.process(record, "2026-01-01T00:00:00Z");
      const std::string px(x.payload);
      const outcome y = full.process(record, "2026-01-01T00:00:00Z");
      EXPECT_EQ(x.kind, y.kind) << record;
      EXPECT_EQ(px, y.payload) << record;
    }
    if (!ruled_out(title, body)) continue;
    ++out;
    EXPECT_TRUE(decided_early(title, body)) << title << " | " << body;
  }
  EXPECT_GT(out, rounds / 20);
}

// Each way the later passes can make words out of other text: the item
// names a pair of the programme and a programme term, however written.
TEST(RelevanceGate, SeesThroughTheNormalisersRewrites) {
  EXPECT_FALSE(ruled_out("", "上海与云南开展东西部扶贫协作"));               // plain
  EXPECT_FALSE(ruled_out("", "上海與雲南開展東西部扶貧協作"));               // Traditional
  EXPECT_FALSE(ruled_out("", "上海與雲(yún)南開展扶(fú)貧(pín)協作"));        // pinyin glosses
  EXPECT_FALSE(ruled_out("", "上海與雲（yún）南開展扶貧協作"));              // a full-width gloss
  EXPECT_FALSE(ruled_out("", "<p>上<i>海</i>与云南<b>扶贫</b>协作</p>"));     // markup (first pass)
  EXPECT_FALSE(ruled_out("", "&#19978;海与云南东西部&#25206;&#36139;协作"));  // entities (first pass)
  EXPECT_FALSE(ruled_out("沪滇协作", ""));                                  // a pair word, in the title
  EXPECT_FALSE(ruled_out("", "上 彩票 海与云南扶贫协作"));                   // spam: the line pass may join words
  EXPECT_FALSE(ruled_out("", "上海?云南扶贫协作"));                         // '?': mojibake may follow
  EXPECT_FALSE(ruled_out("", "ç¾å½ 上海 云南 扶贫协作"));                    // characters that open mojibake
  // Ruled out: no programme term, no pair possible, or nothing at all.
  EXPECT_TRUE(ruled_out("今年粮食产量再创新高", "秋收工作有序推进。"));
  EXPECT_TRUE(ruled_out("", "上海与云南的游客人数"));  // a pair, but no word of the programme: 2.5 at most
  EXPECT_TRUE(ruled_out("", "两地开展扶贫工作"));      // a word of assistance, no pair named
  EXPECT_TRUE(ruled_out("", "Shanghai (AP) — markets rose."));
  EXPECT_TRUE(ruled_out("", ""));
}

}  // namespace
}  // namespace coopwatch::core
