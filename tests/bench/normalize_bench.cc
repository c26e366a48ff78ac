// Throughput of the text normaliser over the dev corpus (MB/s of input):
// the whole normaliser on Simplified and on Traditional items, each step on
// top of the bare passes, and, side by side, OpenCC's and ICU's
// Traditional -> Simplified converters alone on the same Traditional text.
// OpenCC is loaded with dlopen so the core never links it; if it is missing
// that benchmark reports an error and the others still run.
#include <benchmark/benchmark.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "coopwatch/core/decode.h"
#include "coopwatch/core/normalize.h"
#include "io/data_dir.h"

#include "../common/opencc_reference.h"

namespace {

using namespace coopwatch;

struct corpus {
  std::vector<std::string> simplified;   // titles and bodies with (almost) no Traditional
  std::vector<std::string> traditional;  // the others
  std::size_t simplified_bytes = 0, traditional_bytes = 0;
  std::shared_ptr<const core::normalizer_data> data;
};

const corpus& dev_corpus() {
  static const corpus c = [] {
    corpus k;
    k.data = core::load_normalizer_data(io::read_data_dir(COOPWATCH_DATA_DIR));
    core::normalizer n(k.data);
    core::decoder dec;
    core::item it;
    core::normalized_text out;
    std::ifstream f(COOPWATCH_SHARED_DIR "/corpus/dev.jsonl");
    std::string line;
    while (std::getline(f, line)) {
      if (dec.decode(line, it) != core::error_code::ok) continue;
      for (std::string_view field : {it.title, it.body}) {
        n.normalize(field, core::text_field::body, out);
        const bool trad = out.stats.traditional_chars * 50 > field.size();
        (trad ? k.traditional : k.simplified).emplace_back(field);
        (trad ? k.traditional_bytes : k.simplified_bytes) += field.size();
      }
    }
    return k;
  }();
  return c;
}

void run_normalizer(benchmark::State& state, bool traditional, unsigned steps) {
  const corpus& c = dev_corpus();
  const auto& texts = traditional ? c.traditional : c.simplified;
  core::normalizer n(c.data);
  core::normalized_text out;
  for (auto _ : state)
    for (const auto& t : texts) {
      n.normalize_steps(t, core::text_field::body, out, steps);
      benchmark::DoNotOptimize(out.text.data());
    }
  state.SetBytesProcessed(std::int64_t(state.iterations()) *
                          std::int64_t(traditional ? c.traditional_bytes : c.simplified_bytes));
}

using step = core::normalizer::step;

void BM_normalize_simplified(benchmark::State& s) { run_normalizer(s, false, step::all); }
void BM_normalize_traditional(benchmark::State& s) { run_normalizer(s, true, step::all); }
// The passes with every step off: UTF-8 check, copies, line split.
void BM_step_none(benchmark::State& s) { run_normalizer(s, true, 0); }
void BM_step_markup(benchmark::State& s) { run_normalizer(s, true, step::markup); }
void BM_step_mojibake(benchmark::State& s) { run_normalizer(s, true, step::mojibake); }
void BM_step_nfkc(benchmark::State& s) { run_normalizer(s, true, step::nfkc); }
void BM_step_t2s(benchmark::State& s) { run_normalizer(s, true, step::t2s); }
void BM_step_glosses(benchmark::State& s) { run_normalizer(s, true, step::glosses); }
void BM_step_lines(benchmark::State& s) { run_normalizer(s, true, step::lines); }
// Everything but the mojibake step: what clean Traditional text costs.
void BM_normalize_traditional_no_mojibake(benchmark::State& s) {
  run_normalizer(s, true, step::all & ~step::mojibake);
}
BENCHMARK(BM_normalize_simplified);
BENCHMARK(BM_normalize_traditional_no_mojibake);
BENCHMARK(BM_normalize_traditional);
BENCHMARK(BM_step_none);
BENCHMARK(BM_step_markup);
BENCHMARK(BM_step_mojibake);
BENCHMARK(BM_step_nfkc);
BENCHMARK(BM_step_t2s);
BENCHMARK(BM_step_glosses);
BENCHMARK(BM_step_lines);

void BM_opencc_t2s(benchmark::State& state) {
  const corpus& c = dev_corpus();
  static const coopwatch::test_support::opencc_t2s ref;
  if (!ref.ok()) return state.SkipWithError("libopencc (t2s.json) not found");
  for (auto _ : state)
    for (const auto& t : c.traditional) {
      char* r = ref.convert_raw(t);
      benchmark::DoNotOptimize(r);
      ref.release(r);
    }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(c.traditional_bytes));
}
BENCHMARK(BM_opencc_t2s);

void BM_icu_t2s(benchmark::State& state) {
  const corpus& c = dev_corpus();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) return state.SkipWithError("ICU transliterator unavailable");
  for (auto _ : state)
    for (const auto& s : c.traditional) {
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
      t->transliterate(u);
      std::string back;
      u.toUTF8String(back);
      benchmark::DoNotOptimize(back.data());
    }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(c.traditional_bytes));
}
BENCHMARK(BM_icu_t2s);

}  // namespace

BENCHMARK_MAIN();
