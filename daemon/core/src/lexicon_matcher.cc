#include "lexicon_matcher.h"

#include <hs/hs.h>

#include <algorithm>
#include <stdexcept>

namespace coopwatch::core::detail {

lexicon_scratch::~lexicon_scratch() {
  if (s_) hs_free_scratch(s_);
}

lexicon_scratch& lexicon_scratch::operator=(lexicon_scratch&& o) noexcept {
  if (this != &o) {
    if (s_) hs_free_scratch(s_);
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

lexicon_matcher::lexicon_matcher(const std::vector<std::string>& literals) {
  if (literals.empty()) throw std::runtime_error("lexicon: no entries");
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> ids;
  std::vector<unsigned> flags(literals.size(), 0);
  for (std::size_t i = 0; i < literals.size(); ++i) {
    if (literals[i].empty()) throw std::runtime_error("lexicon: empty entry");
    exprs.push_back(literals[i].data());
    lens.push_back(literals[i].size());
    ids.push_back(static_cast<unsigned>(i));
    lengths_.push_back(static_cast<std::uint32_t>(literals[i].size()));
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db_,
                           &err) != HS_SUCCESS) {
    std::string msg = "lexicon: hyperscan compile failed";
    if (err) {
      msg += ": ";
      msg += err->message;
      if (err->expression >= 0) msg += " (entry \"" + literals[err->expression] + "\")";
      hs_free_compile_error(err);
    }
    throw std::runtime_error(msg);
  }
}

lexicon_matcher::~lexicon_matcher() {
  if (db_) hs_free_database(db_);
}

lexicon_matcher::lexicon_matcher(lexicon_matcher&& o) noexcept
    : db_(o.db_), lengths_(std::move(o.lengths_)) {
  o.db_ = nullptr;
}

lexicon_matcher& lexicon_matcher::operator=(lexicon_matcher&& o) noexcept {
  if (this != &o) {
    if (db_) hs_free_database(db_);
    db_ = o.db_;
    o.db_ = nullptr;
    lengths_ = std::move(o.lengths_);
  }
  return *this;
}

lexicon_scratch lexicon_matcher::make_scratch() const {
  lexicon_scratch s;
  if (hs_alloc_scratch(db_, &s.s_) != HS_SUCCESS)
    throw std::runtime_error("lexicon: cannot allocate hyperscan scratch");
  return s;
}

namespace {

struct scan_context {
  const std::uint32_t* lengths;
  std::vector<lexicon_match>* out;
};

int on_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
  auto* c = static_cast<scan_context*>(ctx);
  auto end = static_cast<std::uint32_t>(to);
  c->out->push_back({id, end - c->lengths[id], end});
  return 0;
}

}  // namespace

void lexicon_matcher::scan(std::string_view text, lexicon_scratch& scratch,
                           std::vector<lexicon_match>& out) const {
  if (text.empty()) return;
  const std::size_t first = out.size();
  scan_context ctx{lengths_.data(), &out};
  // Inputs over 4 GiB cannot occur (decode limits); a scan error leaves what was found.
  (void)hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, scratch.s_, on_match, &ctx);
  // Hyperscan reports by end offset; order by begin, longer first.
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const lexicon_match& a, const lexicon_match& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
            });
}

void lexicon_matcher::keep_outermost(std::vector<lexicon_match>& matches) {
  std::uint32_t max_end = 0;
  bool any = false;
  auto out = matches.begin();
  for (auto& m : matches) {
    if (any && m.end <= max_end) continue;  // inside an earlier, longer match
    max_end = std::max(max_end, m.end);
    any = true;
    *out++ = m;
  }
  matches.erase(out, matches.end());
}

}  // namespace coopwatch::core::detail
