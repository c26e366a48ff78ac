#pragma once
// Reads the core's data files from a directory, so that the core itself never
// touches the file system.

#include <string>

#include "coopwatch/core/resources.h"

namespace coopwatch::io {

// The directory compiled in as the default (the source tree's daemon/core/data).
[[nodiscard]] std::string default_data_dir();

// Reads every regular file under `dir` (recursively) into a map keyed by the
// path relative to `dir`. Throws std::runtime_error if `dir` cannot be read.
[[nodiscard]] core::data_files read_data_dir(const std::string& dir);

}  // namespace coopwatch::io
