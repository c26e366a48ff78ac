#pragma once
// The data every stage needs (tables, lexicons, gazetteer, weights), parsed
// once at start-up from file contents handed in by the shell: the core reads
// no files itself. Immutable once built and shared by all worker threads.
// Parsing may throw std::runtime_error naming the file and line: that happens
// at start-up (or on SIGHUP reload), never on the per-record path.

#include <map>
#include <memory>
#include <string>

namespace coopwatch::core {

// File name (relative to the data directory, e.g. "gazetteer.tsv") -> contents.
using data_files = std::map<std::string, std::string, std::less<>>;

struct normalizer_data;
struct classifier_data;
struct extractor_data;
class relevance_gate;
class relevance_gate_tally;

struct resources {
  std::shared_ptr<const normalizer_data> normalize;
  std::shared_ptr<const classifier_data> classify;
  std::shared_ptr<const extractor_data> extract;
  std::shared_ptr<const relevance_gate> gate;  // built from the two above (src/relevance_gate.h)
};

// Builds all stage data; throws std::runtime_error("file:line: what") on bad data.
[[nodiscard]] resources load_resources(const data_files& files);

// Returns the contents of `name` or throws std::runtime_error naming the missing file.
[[nodiscard]] const std::string& require_file(const data_files& files, std::string_view name);

}  // namespace coopwatch::core
