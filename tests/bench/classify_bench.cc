// Classification throughput on one core, in MB/s of normalised text (title +
// body, as the classifier sees them in the pipeline), over two corpora: the
// dev corpus (about half relevant, dense with the programme's words) and the
// benchmark mix of the pipeline benchmark (about 15 % relevant, as a feed
// is). On each: the full classification (explain, classify --all) and the
// daemon's verdict mode (no cue list; items without a programme term or word
// of assistance decided right after the lexicon scan) and the lexicon scan
// on its own; on dev also Hyperscan scanning the same literals.
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <vector>

#include "classify_data.h"
#include "literal_database.h"
#include "coopwatch/core/classify.h"
#include "coopwatch/core/decode.h"
#include "coopwatch/core/normalize.h"
#include "io/data_dir.h"
#include "mix.h"

namespace {

using namespace coopwatch::core;

struct corpus {
  std::vector<normalized_text> titles, bodies;
  std::size_t bytes = 0;
  std::shared_ptr<const classifier_data> data;
};

const std::string kDev = std::string(COOPWATCH_SHARED_DIR) + "/corpus/dev.jsonl";

// Decodes and normalises records as the pipeline does.
corpus normalised(const std::vector<std::string>& records) {
  corpus c;
  const auto files = coopwatch::io::read_data_dir(COOPWATCH_DATA_DIR);
  c.data = load_classifier_data(files);
  normalizer norm(load_normalizer_data(files));
  decoder dec;
  item it;
  for (const auto& line : records) {
    if (dec.decode(line, it) != error_code::ok) continue;
    normalized_text t, b;
    norm.normalize(it.title, text_field::title, t);
    norm.normalize(it.body, text_field::body, b);
    c.bytes += t.text.size() + b.text.size();
    c.titles.push_back(std::move(t));
    c.bodies.push_back(std::move(b));
  }
  return c;
}

const corpus& dev() {
  static const corpus c = [] {
    std::vector<std::string> lines;
    std::ifstream in(kDev);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return normalised(lines);
  }();
  return c;
}

const corpus& feed_mix() {
  static const corpus c = normalised(coopwatch::bench::build_mix(kDev).records);
  return c;
}

void run_classifier(benchmark::State& state, const corpus& c, classify_detail detail) {
  classifier cls(c.data);
  classification out;
  std::size_t relevant = 0, early = 0, early_bytes = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < c.titles.size(); ++i) {
      cls.classify(c.titles[i], c.bodies[i], out, detail);
      relevant += out.relevant;
      early += out.decided_early;
      if (out.decided_early) early_bytes += c.titles[i].text.size() + c.bodies[i].text.size();
    }
  }
  benchmark::DoNotOptimize(relevant);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.titles.size()));
  state.counters["decided_early_share"] =
      static_cast<double>(early) / static_cast<double>(state.iterations() * c.titles.size());
  // The same share by normalised bytes: the part of the text read only by the first pass.
  state.counters["decided_early_bytes_share"] =
      static_cast<double>(early_bytes) / static_cast<double>(state.iterations() * c.bytes);
}

void BM_Classify(benchmark::State& state) { run_classifier(state, dev(), classify_detail::full); }
void BM_ClassifyVerdict(benchmark::State& state) { run_classifier(state, dev(), classify_detail::verdict); }
void BM_ClassifyMix(benchmark::State& state) { run_classifier(state, feed_mix(), classify_detail::full); }
void BM_ClassifyMixVerdict(benchmark::State& state) { run_classifier(state, feed_mix(), classify_detail::verdict); }
BENCHMARK(BM_Classify)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClassifyVerdict)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClassifyMix)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClassifyMixVerdict)->Unit(benchmark::kMillisecond);

// The many-literal scan alone (cues, pair words, place names), on the dev
// corpus and on the mix; matches per KB of normalised text as a counter.
void run_scan(benchmark::State& state, const corpus& c) {
  auto scratch = c.data->matcher.make_scratch();
  std::vector<detail::lexicon_match> matches;
  std::size_t found = 0;
  for (auto _ : state)
    for (std::size_t i = 0; i < c.titles.size(); ++i)
      for (const auto* t : {&c.titles[i], &c.bodies[i]}) {
        matches.clear();
        c.data->matcher.scan(t->text, scratch, matches);
        found += matches.size();
      }
  benchmark::DoNotOptimize(found);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.counters["matches_per_kb"] =
      static_cast<double>(found) * 1024.0 / static_cast<double>(state.iterations() * c.bytes);
}
void BM_LexiconScan(benchmark::State& state) { run_scan(state, dev()); }
void BM_LexiconScanMix(benchmark::State& state) { run_scan(state, feed_mix()); }
BENCHMARK(BM_LexiconScan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LexiconScanMix)->Unit(benchmark::kMillisecond);

// Side by side: Hyperscan over the same literals and text, only counting the
// matches (its callback gives end offsets; no pairing, no order).
void BM_HyperscanScan(benchmark::State& state) {
  const auto& c = dev();
  std::vector<std::string> literals;
  for (const auto& e : c.data->entries) literals.push_back(e.text);
  const detail::literal_database db(literals, "classifier lexicon");
  const auto scratch = db.make_scratch();
  std::size_t found = 0;
  for (auto _ : state)
    for (std::size_t i = 0; i < c.titles.size(); ++i)
      for (const auto* t : {&c.titles[i], &c.bodies[i]})
        db.scan(t->text, scratch.get(), [&](unsigned, unsigned long long) { ++found; });
  benchmark::DoNotOptimize(found);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.counters["literals"] = static_cast<double>(literals.size());
}
BENCHMARK(BM_HyperscanScan)->Unit(benchmark::kMillisecond);

void BM_LoadClassifierData(benchmark::State& state) {
  auto files = coopwatch::io::read_data_dir(COOPWATCH_DATA_DIR);
  for (auto _ : state) benchmark::DoNotOptimize(load_classifier_data(files));
}
BENCHMARK(BM_LoadClassifierData)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
