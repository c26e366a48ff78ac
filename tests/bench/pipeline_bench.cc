// Throughput of the core on a realistic feed: every stage alone and the whole
// core::pipeline, single thread, over the same mix (tests/bench/mix.h: the dev
// corpus reshaped to about 15 % relevant, Traditional and noisy items
// included). One iteration is one pass over the mix.
//
// Every benchmark counts the mix's raw record bytes and records, whatever the
// stage reads, so the stage rates combine like the stages do: 1 / whole =
// sum of 1 / stage. Extract and encode run only on the items classified
// relevant, as in the pipeline. Each stage benchmark reads inputs prepared
// once up front by the stages before it; nothing is allocated per record in
// the harness.
//
// core_pipeline also runs on 2 threads, each with its own pipeline (the
// daemon has no worker threads yet: this is the scaling the core allows).
//
// `pipeline_bench --mix_out=FILE` writes the mix as JSON lines and exits:
// scripts/bench-e2e feeds the broker from it.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/encode.h"
#include "coopwatch/core/pipeline.h"
#include "io/data_dir.h"
#include "mix.h"

namespace {

using namespace coopwatch;

constexpr std::string_view processed_at = "2026-01-01T00:00:00.000Z";
constexpr std::string_view version = "0.1.0";

// One mix record after each stage, for the benchmarks of the stages after it.
struct prepared {
  std::string id, title, body, source, url, published_at;  // owned decoded fields
  core::item item;                                          // views into them
  core::normalized_text norm_title, norm_body;
  core::classification cls;
  std::vector<core::figure> figures;
};

// The pipeline as the daemon runs it.
core::pipeline_options daemon_options() {
  core::pipeline_options o;
  o.verdict_only = true;
  return o;
}

struct fixture {
  core::resources res;
  bench::mix mix;
  std::vector<prepared> items;  // reserved up front: items' views point into it
  std::size_t relevant = 0;     // classified relevant by the core
  std::size_t decided_early = 0;  // irrelevant without scoring (classify_detail::verdict)
  std::size_t gated = 0;          // ruled out by the relevance gate, before the script pass
  std::size_t traditional = 0;  // records with Traditional characters converted
  std::size_t mojibake = 0;     // records with mojibake repaired or marked
};

const fixture& data() {
  static const fixture f = [] {
    fixture k;
    k.res = core::load_resources(io::read_data_dir(COOPWATCH_DATA_DIR));
    k.mix = bench::build_mix(COOPWATCH_SHARED_DIR "/corpus/dev.jsonl");
    core::decoder dec;
    core::normalizer norm(k.res.normalize);
    core::classifier cls(k.res.classify);
    core::extractor ex(k.res.extract);
    core::pipeline daemon(k.res, daemon_options());
    k.items.reserve(k.mix.records.size());
    for (const auto& r : k.mix.records) {
      core::item it;
      if (dec.decode(r, it) != core::error_code::ok) throw std::runtime_error("mix record does not decode");
      auto& p = k.items.emplace_back();
      p.id = it.id, p.title = it.title, p.body = it.body;
      p.source = it.source, p.url = it.url, p.published_at = it.published_at;
      p.item = {p.id, p.title, p.body, p.source, p.url, p.published_at};
      norm.normalize(p.title, core::text_field::title, p.norm_title);
      norm.normalize(p.body, core::text_field::body, p.norm_body);
      core::classification verdict;
      cls.classify(p.norm_title, p.norm_body, verdict, core::classify_detail::verdict);
      k.decided_early += verdict.decided_early;
      (void)daemon.process(r, "2026-01-01T00:00:00Z");
      k.gated += daemon.gated();
      cls.classify(p.norm_title, p.norm_body, p.cls);
      if (p.cls.relevant) ex.extract(p.norm_title, p.norm_body, p.cls, p.figures);
      k.relevant += p.cls.relevant;
      const auto& st = p.norm_body.stats;
      k.traditional += st.traditional_chars + p.norm_title.stats.traditional_chars > 0;
      k.mojibake += st.mojibake_repaired + st.mojibake_marked > 0;
    }
    return k;
  }();
  return f;
}

void per_pass(benchmark::State& state, const fixture& f) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.mix.records.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.mix.bytes));
}

void mix_counters(benchmark::State& state, const fixture& f) {
  state.counters["records"] = static_cast<double>(f.mix.records.size());
  state.counters["mean_record_bytes"] = static_cast<double>(f.mix.bytes) / static_cast<double>(f.mix.records.size());
  state.counters["relevant_share"] = static_cast<double>(f.relevant) / static_cast<double>(f.items.size());
  state.counters["traditional_share"] = static_cast<double>(f.traditional) / static_cast<double>(f.items.size());
  state.counters["decided_early_share"] = static_cast<double>(f.decided_early) / static_cast<double>(f.items.size());
  state.counters["gated_share"] = static_cast<double>(f.gated) / static_cast<double>(f.items.size());
  state.counters["mojibake_share"] = static_cast<double>(f.mojibake) / static_cast<double>(f.items.size());
}

void stage_decode(benchmark::State& state) {
  const auto& f = data();
  core::decoder dec;
  core::item it;
  for (auto _ : state)
    for (const auto& r : f.mix.records) {
      auto err = dec.decode(r, it);
      benchmark::DoNotOptimize(err);
      benchmark::DoNotOptimize(it.body.data());
    }
  per_pass(state, f);
}

void stage_normalize(benchmark::State& state) {
  const auto& f = data();
  core::normalizer norm(f.res.normalize);
  core::normalized_text title, body;
  for (auto _ : state)
    for (const auto& p : f.items) {
      norm.normalize(p.title, core::text_field::title, title);
      norm.normalize(p.body, core::text_field::body, body);
      benchmark::DoNotOptimize(body.text.data());
    }
  per_pass(state, f);
}

void stage_classify(benchmark::State& state) {
  const auto& f = data();
  core::classifier cls(f.res.classify);
  core::classification out;
  for (auto _ : state)
    for (const auto& p : f.items) {
      cls.classify(p.norm_title, p.norm_body, out);
      benchmark::DoNotOptimize(out.score);
    }
  per_pass(state, f);
}

void stage_extract(benchmark::State& state) {
  const auto& f = data();
  core::extractor ex(f.res.extract);
  std::vector<core::figure> out;
  for (auto _ : state)
    for (const auto& p : f.items) {
      if (!p.cls.relevant) continue;
      ex.extract(p.norm_title, p.norm_body, p.cls, out);
      benchmark::DoNotOptimize(out.data());
    }
  per_pass(state, f);
}

void stage_encode(benchmark::State& state) {
  const auto& f = data();
  std::string event;
  const core::event_meta meta{processed_at, version};
  for (auto _ : state)
    for (const auto& p : f.items) {
      if (!p.cls.relevant) continue;
      event.clear();
      core::encode_event(p.item, p.norm_title, p.norm_body, p.cls, p.figures, meta, event);
      benchmark::DoNotOptimize(event.data());
    }
  per_pass(state, f);
}

// The whole core, as the daemon calls it. With ->Threads(n) every thread has
// its own pipeline; the resources are shared, as in a multi-worker daemon.
void core_pipeline(benchmark::State& state) {
  const auto& f = data();
  core::pipeline pl(f.res, daemon_options());
  std::size_t published = 0;
  for (auto _ : state)
    for (const auto& r : f.mix.records) {
      auto out = pl.process(r, processed_at);
      published += out.kind == core::verdict::publish;
      benchmark::DoNotOptimize(out.payload.data());
    }
  per_pass(state, f);
  if (state.thread_index() == 0) mix_counters(state, f);
  benchmark::DoNotOptimize(published);
}

// The whole core with a stage_observer reading the clock after every stage,
// as the daemon's stage histograms do: each stage's share of the pipeline's
// time in place (warm caches of the real sequence), and the observer's cost
// by comparison with core_pipeline.
class stage_clock final : public core::stage_observer {
 public:
  void start() { last_ = clock::now(); }
  void stage_done(core::stage s) override {
    auto now = clock::now();
    ns_[static_cast<int>(s)] += std::chrono::duration<double, std::nano>(now - last_).count();
    last_ = now;
  }
  [[nodiscard]] double ns(int s) const { return ns_[s]; }

 private:
  using clock = std::chrono::steady_clock;
  clock::time_point last_;
  double ns_[core::stage_count] = {};
};

void core_pipeline_observed(benchmark::State& state) {
  const auto& f = data();
  core::pipeline pl(f.res, daemon_options());
  stage_clock clock;
  for (auto _ : state)
    for (const auto& r : f.mix.records) {
      clock.start();
      auto out = pl.process(r, processed_at, &clock);
      benchmark::DoNotOptimize(out.payload.data());
    }
  per_pass(state, f);
  double total = 0;
  for (int s = 0; s < core::stage_count; ++s) total += clock.ns(s);
  for (int s = 0; s < core::stage_count; ++s)
    state.counters["share_" + std::string(core::stage_name(static_cast<core::stage>(s)))] =
        total > 0 ? clock.ns(s) / total : 0;
}

BENCHMARK(stage_decode)->Unit(benchmark::kMillisecond);
BENCHMARK(stage_normalize)->Unit(benchmark::kMillisecond);
BENCHMARK(stage_classify)->Unit(benchmark::kMillisecond);
BENCHMARK(stage_extract)->Unit(benchmark::kMillisecond);
BENCHMARK(stage_encode)->Unit(benchmark::kMillisecond);
BENCHMARK(core_pipeline)->Unit(benchmark::kMillisecond)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(core_pipeline_observed)->Unit(benchmark::kMillisecond);

int write_mix(const std::string& path) {
  const auto& m = data().mix;
  std::ofstream out(path, std::ios::binary);
  for (const auto& r : m.records) out << r << '\n';
  out.close();
  if (!out) {
    std::fprintf(stderr, "pipeline_bench: cannot write %s\n", path.c_str());
    return 1;
  }
  std::fprintf(stderr, "pipeline_bench: wrote %zu records (%zu bytes, %zu labelled relevant) to %s\n",
               m.records.size(), m.bytes, m.relevant, path.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  constexpr std::string_view flag = "--mix_out=";
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]).starts_with(flag)) return write_mix(argv[i] + flag.size());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
