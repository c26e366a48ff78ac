// Classification throughput: bytes of (title + body) text classified per
// second on one core, over the dev corpus items (raw text standing in for
// normalised text: the classifier's cost does not depend on the script).
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "coopwatch/core/classify.h"
#include "io/data_dir.h"

namespace {

using namespace coopwatch::core;

// The string value of "key" in one JSON line: enough JSON for this corpus
// (escapes \" \\ \/ \n \t \r \uXXXX incl. surrogate pairs).
std::string json_string(const std::string& line, const std::string& key) {
  auto k = line.find("\"" + key + "\":");
  if (k == std::string::npos) return {};
  auto i = line.find('"', k + key.size() + 3);
  std::string out;
  auto put = [&out](unsigned cp) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) out += {static_cast<char>(0xC0 | cp >> 6), static_cast<char>(0x80 | (cp & 0x3F))};
    else if (cp < 0x10000)
      out += {static_cast<char>(0xE0 | cp >> 12), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
              static_cast<char>(0x80 | (cp & 0x3F))};
    else
      out += {static_cast<char>(0xF0 | cp >> 18), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
              static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
  };
  for (++i; i < line.size() && line[i] != '"'; ++i) {
    if (line[i] != '\\') {
      out += line[i];
      continue;
    }
    char c = line[++i];
    if (c == 'n') out += '\n';
    else if (c == 't') out += '\t';
    else if (c == 'r') out += '\r';
    else if (c == 'u') {
      unsigned cp = std::stoul(line.substr(i + 1, 4), nullptr, 16);
      i += 4;
      if (cp >= 0xD800 && cp < 0xDC00 && line.compare(i + 1, 2, "\\u") == 0) {
        unsigned lo = std::stoul(line.substr(i + 3, 4), nullptr, 16);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 6;
      }
      put(cp);
    } else out += c;
  }
  return out;
}

struct corpus {
  std::vector<normalized_text> titles, bodies;
  std::size_t bytes = 0;
};

const corpus& dev() {
  static const corpus c = [] {
    corpus c;
    std::ifstream in(std::string(COOPWATCH_SHARED_DIR) + "/corpus/dev.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      normalized_text t, b;
      t.text = json_string(line, "title");
      b.text = json_string(line, "body");
      c.bytes += t.text.size() + b.text.size();
      c.titles.push_back(std::move(t));
      c.bodies.push_back(std::move(b));
    }
    return c;
  }();
  return c;
}

void BM_Classify(benchmark::State& state) {
  const auto& c = dev();
  auto data = load_classifier_data(coopwatch::io::read_data_dir(COOPWATCH_DATA_DIR));
  classifier cls(data);
  classification out;
  std::size_t relevant = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < c.titles.size(); ++i) {
      cls.classify(c.titles[i], c.bodies[i], out);
      relevant += out.relevant;
    }
  }
  benchmark::DoNotOptimize(relevant);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.titles.size()));
}
BENCHMARK(BM_Classify)->Unit(benchmark::kMillisecond);

void BM_LoadClassifierData(benchmark::State& state) {
  auto files = coopwatch::io::read_data_dir(COOPWATCH_DATA_DIR);
  for (auto _ : state) benchmark::DoNotOptimize(load_classifier_data(files));
}
BENCHMARK(BM_LoadClassifierData)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
