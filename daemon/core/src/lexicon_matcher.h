#pragma once
// Many-literal matching in one pass: a Hyperscan literal database compiled
// once from the classifier's lexicons, and the per-thread scratch it needs.
// A lexicon_matcher is immutable after construction and shared by threads;
// a lexicon_scratch belongs to one thread (one per classifier object).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct hs_database;
struct hs_scratch;

namespace coopwatch::core::detail {

struct lexicon_match {
  std::uint32_t id = 0;     // index of the literal given to the matcher
  std::uint32_t begin = 0;  // byte offsets, half-open
  std::uint32_t end = 0;
};

class lexicon_scratch {
 public:
  lexicon_scratch() = default;
  ~lexicon_scratch();
  lexicon_scratch(lexicon_scratch&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  lexicon_scratch& operator=(lexicon_scratch&& o) noexcept;
  lexicon_scratch(const lexicon_scratch&) = delete;
  lexicon_scratch& operator=(const lexicon_scratch&) = delete;

 private:
  friend class lexicon_matcher;
  hs_scratch* s_ = nullptr;
};

class lexicon_matcher {
 public:
  // Compiles the literals (non-empty, byte strings); throws std::runtime_error.
  explicit lexicon_matcher(const std::vector<std::string>& literals);
  ~lexicon_matcher();
  lexicon_matcher(lexicon_matcher&&) noexcept;
  lexicon_matcher& operator=(lexicon_matcher&&) noexcept;

  [[nodiscard]] lexicon_scratch make_scratch() const;

  // Appends every occurrence of every literal in `text` to `out`, sorted by
  // begin, longer first at equal begin. Never throws on any input.
  void scan(std::string_view text, lexicon_scratch& scratch, std::vector<lexicon_match>& out) const;

  // Removes matches lying inside a longer match (东西部扶贫协作 hides 扶贫协作);
  // `matches` must be sorted as scan() leaves them.
  static void keep_outermost(std::vector<lexicon_match>& matches);

 private:
  hs_database* db_ = nullptr;
  std::vector<std::uint32_t> lengths_;
};

}  // namespace coopwatch::core::detail
