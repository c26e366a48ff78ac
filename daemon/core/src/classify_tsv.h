#pragma once
// Reading the classifier's tab-separated data files: '#' comments, blank
// lines skipped, every error reported as "classify/x.tsv:12: what".

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
  [[nodiscard]] double number(std::size_t col) const;
};

// Calls `fn` for each data row of `name` (which must exist) having at least
// `min_cols` columns; throws on a shorter row.
void for_each_tsv_row(const data_files& files, std::string_view name, std::size_t min_cols,
                      const std::function<void(const tsv_row&)>& fn);

}  // namespace coopwatch::core::detail
