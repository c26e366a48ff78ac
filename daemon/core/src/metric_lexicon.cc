// Lexicon parsing and the Hyperscan literal scan.
#include "metric_lexicon.h"


#include <algorithm>
#include <stdexcept>

#include "tsv.h"
#include "units.h"

namespace coopwatch::core::detail::extraction {


namespace {

cue_kind parse_kind(const tsv_row& row, std::string_view k) {
  if (k == "stop") return cue_kind::stop;
  if (k == "foreign") return cue_kind::foreign;
  if (k == "people") return cue_kind::people;
  if (k == "household") return cue_kind::household;
  if (k == "not_figure") return cue_kind::not_figure;
  if (k == "period") return cue_kind::period;
  if (k == "east") return cue_kind::east;
  if (k == "west") return cue_kind::west;
  if (k == "qualifier") return cue_kind::qualifier;
  row.fail("unknown cue kind '" + std::string(k) + "'");
}

std::uint16_t metric_index(std::vector<std::string>& names, std::string_view m) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == m) return static_cast<std::uint16_t>(i);
  names.emplace_back(m);
  return static_cast<std::uint16_t>(names.size() - 1);
}

}  // namespace

std::shared_ptr<const lexicon> lexicon::parse(std::string_view metrics_tsv, std::string_view cues_tsv) {
  auto lex = std::make_shared<lexicon>();
  lex->other_ = metric_index(lex->metric_names_, "other");
  // metrics.tsv: term \t metric \t units (* or list) \t weight [\t after]
  for_each_tsv_row(metrics_tsv, "extract/metrics.tsv", 0, [&](const tsv_row& row) {
    if (row.cols.size() < 2 || row.cols[0].empty() || row.cols[1].empty())
      row.fail("expected: term<TAB>metric[<TAB>units[<TAB>weight]]");
    lexicon_entry e;
    e.term = std::string(row.cols[0]);
    e.kind = cue_kind::metric;
    e.metric = metric_index(lex->metric_names_, row.cols[1]);
    try {
      e.units = parse_unit_mask(row.cols.size() >= 3 ? row.cols[2] : "*");
    } catch (const std::runtime_error& err) {
      row.fail(err.what());
    }
    e.weight = row.cols.size() >= 4 && !row.cols[3].empty() ? static_cast<float>(row.number(3)) : 1.0f;
    if (row.cols.size() >= 5) {
      const std::string_view role = row.cols[4];
      if (role != "after" && role != "verb" && role != "who" && role != "light" && role != "giver" &&
          role != "doing" && role != "west_doing" && role != "deal")
        row.fail("fifth column must be 'after', 'verb', 'who', 'light', 'giver', 'doing', 'west_doing', 'deal' or absent");
      e.after_only = role == "after";
      e.verb = role == "verb";
      e.who = role == "who";
      e.light = role == "light";
      e.giver = role == "giver";
      e.doing = role == "doing" || role == "west_doing";
      e.west_only = role == "west_doing";
      e.deal = role == "deal";
    }
    lex->entries_.push_back(std::move(e));
  });
  // cues.tsv: term \t kind
  for_each_tsv_row(cues_tsv, "extract/cues.tsv", 0, [&](const tsv_row& row) {
    if (row.cols.size() < 2 || row.cols[0].empty()) row.fail("expected: term<TAB>kind");
    lexicon_entry e;
    e.term = std::string(row.cols[0]);
    e.kind = parse_kind(row, row.cols[1]);
    lex->entries_.push_back(std::move(e));
  });
  lex->money_default_ = metric_index(lex->metric_names_, "fiscal_aid");
  lex->eastern_units_ = metric_index(lex->metric_names_, "pairings");
  lex->western_units_ = metric_index(lex->metric_names_, "counties");
  lex->purchases_ = metric_index(lex->metric_names_, "consumption");
  if (lex->entries_.empty()) throw std::runtime_error("extract/metrics.tsv: no entries");

  std::vector<std::string> terms;
  for (auto& e : lex->entries_) {
    e.length = static_cast<std::uint32_t>(e.term.size());
    terms.push_back(e.term);
  }
  lex->db_ = std::make_unique<literal_database>(terms, "extract lexicon");
  return lex;
}

lexicon_scanner::lexicon_scanner(std::shared_ptr<const lexicon> lex)
    : lex_(std::move(lex)), scratch_(lex_->database().make_scratch()) {
  hits_.reserve(1024);
}

const std::vector<lexicon_hit>& lexicon_scanner::scan(std::string_view text) {
  hits_.clear();
  if (text.empty()) return hits_;
  const auto& entries = lex_->entries();
  lex_->database().scan(text, scratch_.get(), [&](unsigned id, unsigned long long to) {
    const auto len = entries[id].length;
    hits_.push_back({static_cast<std::uint32_t>(to - len), static_cast<std::uint32_t>(to), id});
  });
  std::sort(hits_.begin(), hits_.end(), [](const lexicon_hit& a, const lexicon_hit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  return hits_;
}

}  // namespace coopwatch::core::detail::extraction
