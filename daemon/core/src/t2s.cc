#include "t2s.h"

#include <algorithm>
#include <stdexcept>

#include "normalize_lines.h"
#include "utf8.h"

namespace coopwatch::core::detail {

void t2s_table::load(std::string_view chars_tsv, std::string_view phrases_tsv) {
  for_each_data_line(chars_tsv, "normalize/t2s_chars.tsv",
                     [&](std::string_view line, const data_error& fail) {
                       const auto [from, to] = split_tab(line, fail);
                       const char32_t f = single_code_point(from, fail);
                       const char32_t t = single_code_point(to, fail);
                       table_.set(f, (table_.get(f) & ~cp_mask) | t);
                     });
  std::vector<phrase> phrases;
  for_each_data_line(phrases_tsv, "normalize/t2s_phrases.tsv",
                     [&](std::string_view line, const data_error& fail) {
                       const auto [from, to] = split_tab(line, fail);
                       if (from.empty() || to.empty()) fail("empty phrase");
                       phrases.push_back({std::string(from), std::string(to)});
                     });
  // Longest first, so the first match in a group is OpenCC's maximum match.
  std::stable_sort(phrases.begin(), phrases.end(),
                   [](const phrase& a, const phrase& b) { return a.from.size() > b.from.size(); });
  for (phrase& p : phrases) {
    const auto* s = reinterpret_cast<const unsigned char*>(p.from.data());
    const char32_t first = decode_utf8(s, s + p.from.size()).cp;
    std::uint32_t group = table_.get(first) >> group_shift;
    if (group == 0) {
      groups_.emplace_back();
      group = std::uint32_t(groups_.size());
      if (group >= (1u << (32 - group_shift)))
        throw std::runtime_error("normalize/t2s_phrases.tsv: too many phrase groups");
      table_.set(first, (table_.get(first) & cp_mask) | (group << group_shift));
    }
    if (!pair_filter_.add(p.from)) pair_filter_usable_ = false;
    groups_[group - 1].push_back(std::move(p));
  }
}

void t2s_table::convert(std::string_view in, std::string& out) const {
  out.clear();
  out.reserve(in.size());
  const auto* const base = reinterpret_cast<const unsigned char*>(in.data());
  const auto* const end = base + in.size();
  std::size_t i = 0;
  char buf[4];
  while (i < in.size()) {
    const decoded_char d = decode_utf8(base + i, end);
    if (d.cp < 0x80) {
      out.push_back(char(d.cp));
      ++i;
      continue;
    }
    if (const phrase* p = match_phrase(d.cp, in.substr(i))) {
      out += p->to;
      i += p->from.size();
      continue;
    }
    out.append(buf, encode_utf8(d.valid ? map(d.cp) : replacement_char, buf));
    i += d.length;
  }
}

}  // namespace coopwatch::core::detail
