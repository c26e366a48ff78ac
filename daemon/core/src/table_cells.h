#pragma once
// Text tables: a report's figures written as bare numbers in the cells of a
// table whose header names each column's measure and unit
//
//   县(区) 销售额(万元) 带动脱贫人口(人)
//   西吉县 46230 18350
//
// or whose caption names one unit for all (各市完成情况(单位:人)). The
// normaliser writes a table as one line per row, cells separated by '|' or
// by spaces (tabs collapsed). A bare number is no figure in running text;
// in such a cell its column (or the caption) gives the unit, and the
// extractor reads the metric from the column's header, the row's label or
// the caption.

#include <cstdint>
#include <string_view>
#include <vector>

#include "coopwatch/core/normalize.h"
#include "units.h"

namespace coopwatch::core::detail::extraction {

struct table_cell {
  text_range number;   // the cell's number, as written
  text_range header;   // its column's header cell
  text_range label;    // its row's first cell
  text_range caption;  // the line above the header (empty when none)
  const unit_entry* unit = nullptr;  // null: a percentage column ((%))
};

// Appends the bare-number cells of every such table in `text` (normalised)
// to `out`, in text order. A table is a header line of two or more cells,
// then one or more rows of as many cells whose first cell is a label (a
// name, a year, a row number) and whose other cells hold numbers; columns with no unit of their own or of
// the caption are left out, and so are cells with anything but digits and
// one decimal point.
// `scratch` holds buffers reused across calls (one per extractor).
struct table_scratch {
  std::vector<text_range> lines, header, row;
  std::vector<const unit_entry*> column_unit;
  std::vector<char> column_known;  // 0 unknown, 1 from the caption, 2 from the column's header
  std::vector<const unit_entry*> caption_units;  // nullptr: percent
};
void find_table_cells(std::string_view text, const unit_table& units, table_scratch& scratch,
                      std::vector<table_cell>& out);

}  // namespace coopwatch::core::detail::extraction
