#pragma once
// Reading the core's tab-separated data files (lexicons, gazetteer, weights):
// '#' comments and blank lines skipped, fields split on tabs, every error
// reported as "dir/file.tsv:12: what". Start-up and reload only: throws
// std::runtime_error.

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/resources.h"

namespace coopwatch::core::detail {

struct tsv_row {
  std::string_view file;
  std::size_t line = 0;
  std::vector<std::string_view> cols;

  [[noreturn]] void fail(std::string_view what) const {
    throw std::runtime_error(std::string(file) + ":" + std::to_string(line) + ": " + std::string(what));
  }
  // Column `col` as a number; fails the row if it is not one.
  [[nodiscard]] double number(std::size_t col) const;
};

using tsv_row_fn = std::function<void(const tsv_row&)>;

// Calls `fn` for each data row of `text` (named `file` in errors) having at
// least `min_cols` columns, the first `min_cols` non-empty; throws otherwise.
void for_each_tsv_row(std::string_view text, std::string_view file, std::size_t min_cols,
                      const tsv_row_fn& fn);

// The same for the data file `name`, which must exist.
void for_each_tsv_row(const data_files& files, std::string_view name, std::size_t min_cols,
                      const tsv_row_fn& fn);

}  // namespace coopwatch::core::detail
