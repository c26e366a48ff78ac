#include "io/data_dir.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace coopwatch::io {

std::string default_data_dir() { return COOPWATCH_DATA_DIR; }

core::data_files read_data_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("data_dir \"" + dir + "\" is not a readable directory");
  core::data_files files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) throw std::runtime_error("cannot read data file " + it->path().string());
    std::ostringstream ss;
    ss << in.rdbuf();
    files.emplace(fs::relative(it->path(), dir).generic_string(), std::move(ss).str());
  }
  if (ec) throw std::runtime_error("cannot list data_dir \"" + dir + "\": " + ec.message());
  return files;
}

}  // namespace coopwatch::io
