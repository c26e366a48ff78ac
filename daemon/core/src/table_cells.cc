#include "table_cells.h"

#include <algorithm>

namespace coopwatch::core::detail::extraction {

namespace {

std::string_view view(std::string_view text, text_range r) { return text.substr(r.begin, r.end - r.begin); }

// A line split into cells: at '|' where it has one, else at spaces.
void split_cells(std::string_view text, std::uint32_t begin, std::uint32_t end, std::vector<text_range>& cells) {
  cells.clear();
  const std::string_view line = text.substr(begin, end - begin);
  const char sep = line.find('|') != std::string_view::npos ? '|' : ' ';
  std::uint32_t b = begin;
  auto push = [&](std::uint32_t e) {
    std::uint32_t cb = b, ce = e;
    while (cb < ce && text[cb] == ' ') ++cb;
    while (ce > cb && text[ce - 1] == ' ') --ce;
    if (ce > cb) cells.push_back({cb, ce});
  };
  for (std::uint32_t i = begin; i < end; ++i)
    if (text[i] == sep) {
      push(i);
      b = i + 1;
    }
  push(end);
}


// Digits with at most one decimal point inside, and commas between groups
// of three before it (1,037): a bare number.
bool bare_number(std::string_view s) {
  if (s.empty() || s.front() < '0' || s.front() > '9' || s.back() < '0' || s.back() > '9') return false;
  int points = 0;
  std::size_t since_comma = 0;
  bool comma = false;
  for (char c : s) {
    if (c == '.') {
      if (comma && since_comma != 3) return false;
      ++points;
      comma = false;
    } else if (c == ',') {
      if (points != 0 || since_comma == 0 || since_comma > 3 || (comma && since_comma != 3)) return false;
      comma = true;
      since_comma = 0;
      continue;
    } else if (c < '0' || c > '9') {
      return false;
    }
    ++since_comma;
  }
  return points <= 1 && (!comma || since_comma == 3 || points == 1);
}

// A unit word, whole: 万元, 人, % (`percent`).
bool unit_word(std::string_view inner, const unit_table& units, const unit_entry*& unit, bool& percent) {
  if (inner == "%") {
    unit = nullptr;
    percent = true;
    return true;
  }
  const unit_entry* u = inner.empty() ? nullptr : units.match(inner, 0);
  if (u == nullptr || u->not_figure || u->surface.size() != inner.size()) return false;
  unit = u;
  percent = false;
  return true;
}

// The unit a header cell names in parentheses: 销售额(万元). Returns false
// when it names none.
bool named_unit(std::string_view s, const unit_table& units, const unit_entry*& unit, bool& percent) {
  const auto open = s.find('(');
  if (open == std::string_view::npos) return false;
  const auto close = s.find(')', open);
  if (close == std::string_view::npos) return false;
  return unit_word(s.substr(open + 1, close - open - 1), units, unit, percent);
}

// The units a caption names after 单位: (情况(单位:人), 单位:万元、个): one
// for all columns, or one for each column that holds numbers, in order.
bool caption_unit_list(std::string_view s, const unit_table& units, std::vector<const unit_entry*>& out) {
  out.clear();
  // 单位:万元, 资金单位:万元, 金额:万元.
  std::size_t after = std::string_view::npos;
  for (const std::string_view word : {std::string_view("单位:"), std::string_view("金额:")})
    if (const auto at = s.find(word); at != std::string_view::npos) {
      after = at + word.size();
      break;
    }
  if (after == std::string_view::npos) return false;
  s.remove_prefix(after);
  if (const auto close = s.find(')'); close != std::string_view::npos) s = s.substr(0, close);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  constexpr std::string_view kComma = "、";
  while (true) {
    const auto sep = s.find(kComma);
    const unit_entry* u = nullptr;
    bool percent = false;
    if (!unit_word(s.substr(0, sep), units, u, percent)) return false;
    out.push_back(u);
    if (sep == std::string_view::npos) break;
    s.remove_prefix(sep + kComma.size());
  }
  return true;
}

}  // namespace

void find_table_cells(std::string_view text, const unit_table& units, table_scratch& scratch,
                      std::vector<table_cell>& out) {
  // Lines, as [begin, end).
  auto& lines = scratch.lines;
  lines.clear();
  for (std::uint32_t b = 0; b <= text.size();) {
    auto e = static_cast<std::uint32_t>(text.find('\n', b));
    if (e > text.size()) e = static_cast<std::uint32_t>(text.size());
    lines.push_back({b, e});
    b = e + 1;
  }
  auto& header = scratch.header;
  auto& row = scratch.row;
  // Most lines of Chinese prose hold neither a space nor a '|': no cells.
  auto may_have_cells = [&](text_range l) {
    const std::string_view line = view(text, l);
    return line.find(' ') != std::string_view::npos || line.find('|') != std::string_view::npos;
  };
  for (std::size_t h = 0; h + 1 < lines.size(); ++h) {
    if (!may_have_cells(lines[h]) || !may_have_cells(lines[h + 1])) continue;
    split_cells(text, lines[h].begin, lines[h].end, header);
    if (header.size() < 2) continue;
    if (std::any_of(header.begin(), header.end(), [&](text_range c) { return bare_number(view(text, c)); })) continue;
    // The caption's units, for columns that name none: one for all, or one
    // for each column of numbers in order.
    const text_range caption = h > 0 ? lines[h - 1] : text_range{};
    const bool has_caption_units = h > 0 && caption_unit_list(view(text, caption), units, scratch.caption_units);
    // The first row's cells, to know which columns hold numbers. The header
    // may leave out the label column's name (年份 / 2019年 2020年 over
    // 财政帮扶资金 56810 68912): then header cell j - 1 names column j.
    split_cells(text, lines[h + 1].begin, lines[h + 1].end, row);
    if (row.size() != header.size() && row.size() != header.size() + 1) continue;
    const std::size_t columns = row.size();
    const std::size_t offset = columns - header.size();
    auto header_of = [&](std::size_t j) { return header[j - offset]; };
    auto& col_unit = scratch.column_unit;
    auto& col_known = scratch.column_known;
    col_unit.assign(columns, nullptr);
    col_known.assign(columns, 0);
    std::size_t numeric_columns = 0;
    for (std::size_t j = 1; j < columns; ++j) {
      const bool numeric = bare_number(view(text, row[j]));
      bool percent = false;
      if (named_unit(view(text, header_of(j)), units, col_unit[j], percent)) {
        col_known[j] = 2;  // named by the column's own header
      } else if (has_caption_units && scratch.caption_units.size() == 1) {
        col_unit[j] = scratch.caption_units[0];
        col_known[j] = 1;
      } else if (has_caption_units && numeric && numeric_columns < scratch.caption_units.size()) {
        col_unit[j] = scratch.caption_units[numeric_columns];
        col_known[j] = 1;
      }
      numeric_columns += numeric;
    }
    // The rows right below (a row's first cell is its label: a name, a year
    // or a row number). A label naming a unit (帮扶项目(个)) gives it to the
    // row's cells, over the caption's; a column's header naming its own
    // (同比增长(%)) keeps it.
    std::size_t r = h + 1;
    for (; r < lines.size(); ++r) {
      split_cells(text, lines[r].begin, lines[r].end, row);
      if (row.size() != columns) break;
      bool numbers = false;
      for (std::size_t j = 1; j < row.size(); ++j) numbers |= bare_number(view(text, row[j]));
      if (!numbers) break;
      const unit_entry* row_unit = nullptr;
      bool row_percent = false;
      const bool row_known = named_unit(view(text, row[0]), units, row_unit, row_percent);
      for (std::size_t j = 1; j < row.size(); ++j) {
        if (!(row_known || col_known[j]) || !bare_number(view(text, row[j]))) continue;
        const bool own_column = col_known[j] == 2;
        out.push_back({row[j], header_of(j), row[0], has_caption_units ? caption : text_range{},
                       own_column || !row_known ? col_unit[j] : row_unit});
      }
    }
    if (r > h + 1) h = r - 1;  // the table's rows are no header of another
  }
}

}  // namespace coopwatch::core::detail::extraction
