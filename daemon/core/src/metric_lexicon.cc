// Lexicon parsing and the Hyperscan literal scan.
#include "metric_lexicon.h"

#include <hs/hs.h>

#include <algorithm>
#include <stdexcept>

#include "tsv.h"
#include "units.h"

namespace coopwatch::core::detail::extraction {

void hs_database_deleter::operator()(hs_database* db) const noexcept { hs_free_database(db); }
void hs_scratch_deleter::operator()(hs_scratch* s) const noexcept { hs_free_scratch(s); }

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
      if (row.cols[4] != "after") row.fail("fifth column must be 'after' or absent");
      e.after_only = true;
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
  if (lex->entries_.empty()) throw std::runtime_error("extract/metrics.tsv: no entries");

  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> ids;
  std::vector<unsigned> flags;
  for (std::size_t i = 0; i < lex->entries_.size(); ++i) {
    auto& e = lex->entries_[i];
    e.length = static_cast<std::uint32_t>(e.term.size());
    exprs.push_back(e.term.data());
    lens.push_back(e.term.size());
    ids.push_back(static_cast<unsigned>(i));
    flags.push_back(0);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &err) != HS_SUCCESS) {
    std::string what = "extract lexicon: hyperscan: ";
    what += err && err->message ? err->message : "compile failed";
    hs_free_compile_error(err);
    throw std::runtime_error(what);
  }
  lex->db_.reset(db);
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) throw std::runtime_error("extract lexicon: hyperscan scratch");
  lex->scratch_.reset(scratch);
  return lex;
}

lexicon_scanner::lexicon_scanner(std::shared_ptr<const lexicon> lex) : lex_(std::move(lex)) {
  hs_scratch_t* s = nullptr;
  if (hs_clone_scratch(lex_->prototype_scratch(), &s) != HS_SUCCESS)
    throw std::runtime_error("extract lexicon: hyperscan scratch clone");
  scratch_.reset(s);
  hits_.reserve(1024);
}

namespace {
struct scan_context {
  const std::vector<lexicon_entry>* entries;
  std::vector<lexicon_hit>* hits;
};

int on_match(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
             void* ctx) {
  auto* c = static_cast<scan_context*>(ctx);
  const auto len = (*c->entries)[id].length;
  c->hits->push_back({static_cast<std::uint32_t>(to - len), static_cast<std::uint32_t>(to), id});
  return 0;
}
}  // namespace

const std::vector<lexicon_hit>& lexicon_scanner::scan(std::string_view text) {
  hits_.clear();
  if (text.empty()) return hits_;
  scan_context ctx{&lex_->entries(), &hits_};
  hs_scan(lex_->database(), text.data(), static_cast<unsigned>(text.size()), 0, scratch_.get(), on_match, &ctx);
  std::sort(hits_.begin(), hits_.end(), [](const lexicon_hit& a, const lexicon_hit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  return hits_;
}

}  // namespace coopwatch::core::detail::extraction
