#include "classify_tsv.h"


namespace coopwatch::core::detail {

double tsv_row::number(std::size_t col) const {
  std::string s(cols.at(col));
  try {
    std::size_t used = 0;
    double v = std::stod(s, &used);
    if (used != s.size()) fail("not a number: \"" + s + "\"");
    return v;
  } catch (const std::logic_error&) {
    fail("not a number: \"" + s + "\"");
  }
}

void for_each_tsv_row(const data_files& files, std::string_view name, std::size_t min_cols,
                      const std::function<void(const tsv_row&)>& fn) {
  const std::string& text = require_file(files, name);
  tsv_row row;
  row.file = name;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    ++row.line;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    row.cols.clear();
    std::size_t start = 0;
    while (true) {
      std::size_t tab = line.find('\t', start);
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

}  // namespace coopwatch::core::detail
