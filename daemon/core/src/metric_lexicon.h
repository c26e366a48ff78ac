#pragma once
// The extractor's word lexicon: metric cues (extract/metrics.tsv: 财政援助资金
// -> fiscal_aid, 扶贫车间 -> workshops …) and structural cues
// (extract/cues.tsv: where page chrome starts, other programmes, period words,
// people nouns, fixed expressions that are not figures). All words are
// compiled into one Hyperscan literal database so a record is scanned once.
//
// lexicon is immutable and shared; a lexicon_scanner (Hyperscan scratch) is
// per thread and reuses its hit buffer across records.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "literal_database.h"

namespace coopwatch::core::detail::extraction {

enum class cue_kind : std::uint8_t {
  metric,        // governs a metric for nearby figures
  stop,          // page chrome starts at this line: nothing after is a figure
  foreign,       // another programme (中央定点扶贫 …): its sentence and the rest of its line are out
  people,        // a noun of people: a bare 37.22万 before it counts persons
  household,     // a noun of households: a bare number before it counts households
  not_figure,    // fixed expression whose numeral is no quantity (五个一批, 十三五)
  period,        // a period word (今年, 去年, 上半年)
  east,          // wording that names the giving side (援助, 东部)
  west,          // wording that names the receiving side
  qualifier,     // 近 约 超过 余 多 以上 …: kept with a figure written right next to it
};

struct lexicon_entry {
  std::string term;
  cue_kind kind = cue_kind::metric;
  std::uint16_t metric = 0;     // index into lexicon::metric_names (kind metric)
  std::uint32_t units = 0;      // unit_bit mask the metric cue governs
  float weight = 1;
  bool after_only = false;      // a noun that governs only the figure it follows (16个县)
  // A verb naming what is done to the people a figure counts (培训), and a
  // word for who they are (教师, 干部): in one clause the verb governs the
  // figure over such a word after it (培训当地教师1800人次 is training).
  bool verb = false;
  bool who = false;
  // A light verb (带动): the result named after its object decides the
  // figure (带动8.6万名贫困人口脱贫 is people lifted); alone it governs.
  bool light = false;
  // A giver other than government (民营企业, 村企结对, 万企帮万村): funds
  // given in its sentence under a generic fund word are its kind of aid.
  bool giver = false;
  // What the things a figure counts do, said after its noun in its clause
  // (86家企业携…产品参展: exhibitors at a fair, not enterprises brought in):
  // governs over that noun, and over nothing else.
  bool doing = false;
  // Only where the clause before the figure names the pair's western side
  // (甘肃的260余家企业…参展: the west's exhibitors at a fair in the east;
  // eastern enterprises shown in the west were brought there).
  bool west_only = false;
  // The amount of a deal (签约金额): a purchase where its sentence says so
  // before it (签订农产品采购协议，签约金额860万元), an investment otherwise.
  bool deal = false;
  std::uint32_t length = 0;     // bytes
};

struct lexicon_hit {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t entry = 0;
};

class lexicon {
 public:
  // Throws std::runtime_error naming file and line on bad rows.
  static std::shared_ptr<const lexicon> parse(std::string_view metrics_tsv, std::string_view cues_tsv);

  [[nodiscard]] const std::vector<lexicon_entry>& entries() const noexcept { return entries_; }
  [[nodiscard]] const std::vector<std::string>& metric_names() const noexcept { return metric_names_; }
  [[nodiscard]] std::uint16_t other_metric() const noexcept { return other_; }
  // Metric of a money figure no cue governs (the aid funds the programme is about).
  [[nodiscard]] std::uint16_t money_default() const noexcept { return money_default_; }
  // Counts of counties or districts: named after an eastern place they are
  // the units taking part in pairings, after a western one the counties
  // helped (北京市13个区 / 承德市5个县).
  [[nodiscard]] std::uint16_t eastern_units() const noexcept { return eastern_units_; }
  [[nodiscard]] std::uint16_t western_units() const noexcept { return western_units_; }
  // Produce bought and sold: what a deal (签约金额) earlier called a purchase is.
  [[nodiscard]] std::uint16_t purchases() const noexcept { return purchases_; }
  [[nodiscard]] const literal_database& database() const noexcept { return *db_; }

 private:
  std::vector<lexicon_entry> entries_;
  std::vector<std::string> metric_names_;
  std::uint16_t other_ = 0;
  std::uint16_t money_default_ = 0;
  std::uint16_t eastern_units_ = 0;
  std::uint16_t western_units_ = 0;
  std::uint16_t purchases_ = 0;
  std::unique_ptr<literal_database> db_;
};

class lexicon_scanner {
 public:
  explicit lexicon_scanner(std::shared_ptr<const lexicon> lex);

  // All lexicon words in `text`, sorted by begin (then longest first).
  // The returned buffer is reused by the next call.
  const std::vector<lexicon_hit>& scan(std::string_view text);

 private:
  std::shared_ptr<const lexicon> lex_;
  hs_scratch_ptr scratch_;
  std::vector<lexicon_hit> hits_;
};

}  // namespace coopwatch::core::detail::extraction
