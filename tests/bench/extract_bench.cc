// Extraction throughput over the relevant items of the dev corpus, in bytes
// of normalised text (title + body) per second of CPU time. Decoding and
// normalisation happen once, outside the timed loop.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "coopwatch/core/classify.h"
#include "coopwatch/core/decode.h"
#include "coopwatch/core/extract.h"
#include "coopwatch/core/normalize.h"
#include "io/data_dir.h"

namespace {

using namespace coopwatch;

struct prepared {
  core::normalized_text title;
  core::normalized_text body;
};

std::vector<prepared> load_relevant_items(const core::data_files& files) {
  std::ifstream in(std::string(COOPWATCH_SHARED_DIR) + "/corpus/dev.jsonl", std::ios::binary);
  std::unique_ptr<core::normalizer> norm;
  try {
    norm = std::make_unique<core::normalizer>(core::load_normalizer_data(files));
  } catch (const std::exception&) {
    norm.reset();  // normaliser data not usable: measure on the raw text
  }
  core::decoder dec;
  std::vector<prepared> out;
  std::string line;
  while (std::getline(in, line)) {
    // The gold label selects the items the daemon would extract from.
    if (line.find("\"relevant\": true") == std::string::npos) continue;
    core::item it;
    if (dec.decode(line, it) != core::error_code::ok) continue;
    prepared p;
    auto copy = [&](std::string_view s, core::text_field f, core::normalized_text& t) {
      if (norm) {
        norm->normalize(s, f, t);
        return;
      }
      t.text.assign(s);
      t.origin.resize(s.size() + 1);
      for (std::uint32_t i = 0; i <= s.size(); ++i) t.origin[i] = i;
    };
    copy(it.title, core::text_field::title, p.title);
    copy(it.body, core::text_field::body, p.body);
    out.push_back(std::move(p));
  }
  return out;
}

void extract_relevant_dev_items(benchmark::State& state) {
  const auto files = io::read_data_dir(COOPWATCH_DATA_DIR);
  const auto items = load_relevant_items(files);
  core::extractor ex(core::load_extractor_data(files));
  core::classification cls;
  std::vector<core::figure> figures;
  std::size_t bytes = 0;
  std::size_t count = 0;
  for (const auto& p : items) bytes += p.title.text.size() + p.body.text.size();
  for (auto _ : state) {
    for (const auto& p : items) {
      ex.extract(p.title, p.body, cls, figures);
      count += figures.size();
    }
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["items"] = static_cast<double>(items.size());
  state.counters["figures_per_pass"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kAvgIterations);
}
BENCHMARK(extract_relevant_dev_items)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
