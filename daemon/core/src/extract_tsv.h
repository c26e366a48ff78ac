#pragma once
// Tiny TSV reader for the extractor's data files: '#' comments, blank lines
// skipped, fields split on tabs, errors reported as "file:line: what".
// Start-up only (throws std::runtime_error).

#include <charconv>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace coopwatch::core::detail::extraction {

struct tsv_row {
  std::string_view file;
  std::size_t line = 0;
  std::vector<std::string_view> fields;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(std::string(file) + ":" + std::to_string(line) + ": " + what);
  }
  [[nodiscard]] double number(std::size_t i) const {
    const auto f = fields.at(i);
    double v = 0;
    const auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || p != f.data() + f.size()) fail("not a number: '" + std::string(f) + "'");
    return v;
  }
};

template <class F>
void for_each_tsv_row(std::string_view tsv, std::string_view file, F&& on_row) {
  tsv_row row;
  row.file = file;
  std::size_t pos = 0;
  while (pos < tsv.size()) {
    auto nl = tsv.find('\n', pos);
    if (nl == std::string_view::npos) nl = tsv.size();
    auto line = tsv.substr(pos, nl - pos);
    pos = nl + 1;
    ++row.line;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    row.fields.clear();
    std::size_t f = 0;
    while (true) {
      const auto tab = line.find('\t', f);
      row.fields.push_back(line.substr(f, tab == std::string_view::npos ? std::string_view::npos : tab - f));
      if (tab == std::string_view::npos) break;
      f = tab + 1;
    }
    on_row(row);
  }
}

}  // namespace coopwatch::core::detail::extraction
