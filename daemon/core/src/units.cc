// Unit table: parsing of extract/units.tsv and longest-match lookup.
#include "units.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "number_chars.h"
#include "tsv.h"

namespace coopwatch::core::detail::extraction {

std::uint32_t unit_bit_of(std::string_view unit) noexcept {
  if (unit == "person") return unit_person;
  if (unit == "person_time") return unit_person_time;
  if (unit == "household") return unit_household;
  if (unit == "count") return unit_count;
  if (unit == "percent") return unit_percent;
  if (unit == "mu") return unit_mu;
  // CNY and ISO currency codes: three upper-case letters.
  if (unit.size() == 3 && std::all_of(unit.begin(), unit.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return unit_money;
  return 0;
}

std::uint32_t parse_unit_mask(std::string_view list) {
  if (list.empty() || list == "*") return unit_all;
  std::uint32_t mask = 0;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto name = list.substr(0, comma);
    const auto bit = name == "money" ? unit_money : unit_bit_of(name);
    if (bit == 0) throw std::runtime_error("unknown unit '" + std::string(name) + "'");
    mask |= bit;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return mask;
}

unit_table unit_table::parse(std::string_view tsv, std::string_view file_name) {
  unit_table t;
  for_each_tsv_row(tsv, file_name, 0, [&](const tsv_row& row) {
    // surface \t unit \t factor [\t arabic|other]; unit "-" marks a non-figure word.
    if (row.cols.size() < 2) row.fail("expected: surface<TAB>unit[<TAB>factor]");
    unit_entry e;
    e.surface = std::string(row.cols[0]);
    if (row.cols[1] == "-") {
      e.not_figure = true;
    } else {
      if (unit_bit_of(row.cols[1]) == 0) row.fail("unknown unit '" + std::string(row.cols[1]) + "'");
      e.unit = std::string(row.cols[1]);
    }
    if (row.cols.size() >= 3 && !row.cols[2].empty()) e.factor = row.number(2);
    if (row.cols.size() >= 4) {
      if (row.cols[3] == "arabic") e.arabic_only = true;
      else if (row.cols[3] == "other" && e.unit == "count") e.counts_other = true;
      else if (row.cols[3] == "alone") e.alone_only = true;
      else row.fail("fourth column must be 'arabic', 'other' (count units only), 'alone' or absent");
    }
    if (e.surface.empty()) row.fail("empty surface");
    t.entries_.push_back(std::move(e));
  });
  for (std::uint32_t i = 0; i < t.entries_.size(); ++i) {
    const auto first = decode_at(t.entries_[i].surface, 0).cp;
    t.by_first_[first].push_back(i);
  }
  for (auto& [cp, list] : t.by_first_) {
    std::stable_sort(list.begin(), list.end(), [&](std::uint32_t a, std::uint32_t b) {
      return t.entries_[a].surface.size() > t.entries_[b].surface.size();
    });
  }
  return t;
}

const unit_entry* unit_table::match(std::string_view text, std::size_t pos) const noexcept {
  const auto c = decode_at(text, pos);
  if (c.len == 0) return nullptr;
  const auto it = by_first_.find(c.cp);
  if (it == by_first_.end()) return nullptr;
  for (const auto i : it->second) {
    const auto& s = entries_[i].surface;
    if (text.compare(pos, s.size(), s) == 0) return &entries_[i];
  }
  return nullptr;
}

}  // namespace coopwatch::core::detail::extraction
