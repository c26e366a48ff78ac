#pragma once
// A Hyperscan database of plain literals, compiled once and shared by
// threads, and the per-thread scratch that scanning needs (the extractor's
// word lexicon). Keeps the Hyperscan handles and their C callback in one
// place.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct hs_database;
struct hs_scratch;

namespace coopwatch::core::detail {

struct hs_database_deleter {
  void operator()(hs_database* db) const noexcept;
};
struct hs_scratch_deleter {
  void operator()(hs_scratch* s) const noexcept;
};
using hs_scratch_ptr = std::unique_ptr<hs_scratch, hs_scratch_deleter>;

class literal_database {
 public:
  // Literal i gets id i. `what` names the lexicon in errors. Throws
  // std::runtime_error.
  literal_database(const std::vector<std::string>& literals, std::string_view what);

  [[nodiscard]] hs_database* get() const noexcept { return db_.get(); }
  // A scratch for one thread.
  [[nodiscard]] hs_scratch_ptr make_scratch() const;

  // Calls on_match(id, end offset) for each match.
  template <typename F>
  void scan(std::string_view text, hs_scratch* scratch, F on_match) const {
    scan_raw(text, scratch, &call<F>, &on_match);
  }

 private:
  using raw_callback = int (*)(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* ctx);
  template <typename F>
  static int call(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
    (*static_cast<F*>(ctx))(id, to);
    return 0;  // go on
  }
  void scan_raw(std::string_view text, hs_scratch* scratch, raw_callback cb, void* ctx) const;

  std::unique_ptr<hs_database, hs_database_deleter> db_;
  std::unique_ptr<hs_scratch, hs_scratch_deleter> prototype_;  // cloned per thread
};

}  // namespace coopwatch::core::detail
