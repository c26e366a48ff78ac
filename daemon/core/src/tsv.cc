#include "tsv.h"

#include <charconv>

namespace coopwatch::core::detail {

double tsv_row::number(std::size_t col) const {
  const std::string_view s = cols.at(col);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) fail("not a number: \"" + std::string(s) + "\"");
  return v;
}

void for_each_tsv_row(std::string_view text, std::string_view file, std::size_t min_cols,
                      const tsv_row_fn& fn) {
  tsv_row row;
  row.file = file;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++row.line;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    row.cols.clear();
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = line.find('\t', start);
      row.cols.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (row.cols.size() < min_cols)
      row.fail("expected " + std::to_string(min_cols) + " tab-separated columns, found " +
               std::to_string(row.cols.size()));
    for (std::size_t i = 0; i < min_cols; ++i)
      if (row.cols[i].empty()) row.fail("column " + std::to_string(i + 1) + " is empty");
    fn(row);
  }
}

void for_each_tsv_row(const data_files& files, std::string_view name, std::size_t min_cols,
                      const tsv_row_fn& fn) {
  for_each_tsv_row(require_file(files, name), name, min_cols, fn);
}

}  // namespace coopwatch::core::detail
