// libFuzzer target for the record decoder and the whole core pipeline: any
// bytes as a Kafka record value must give an outcome (event, irrelevant or a
// dead letter with a named reason), never a crash, a hang or a sanitizer
// report; events must be JSON objects and dead letters must name a reason.
// The daemon's pipeline gives the same outcome with the relevance gate and
// without it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "coopwatch/core/pipeline.h"
#include "io/data_dir.h"

namespace {

coopwatch::core::pipeline& the_pipeline() {
  static coopwatch::core::pipeline p = [] {
    coopwatch::core::pipeline_options opts;
    opts.limits.max_record_bytes = 1 << 20;
    opts.emit_irrelevant = true;
    return coopwatch::core::pipeline(
        coopwatch::core::load_resources(coopwatch::io::read_data_dir(COOPWATCH_DATA_DIR)), opts);
  }();
  return p;
}

// The daemon's pipeline, with the relevance gate and without: the same
// outcome either way.
coopwatch::core::pipeline& daemon_pipeline(bool gate) {
  static auto make = [](bool g) {
    coopwatch::core::pipeline_options opts;
    opts.limits.max_record_bytes = 1 << 20;
    opts.verdict_only = true;
    opts.gate = g;
    return coopwatch::core::pipeline(
        coopwatch::core::load_resources(coopwatch::io::read_data_dir(COOPWATCH_DATA_DIR)), opts);
  };
  static coopwatch::core::pipeline gated = make(true), full = make(false);
  return gate ? gated : full;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace coopwatch::core;
  const std::string_view record(reinterpret_cast<const char*>(data), size);
  auto out = the_pipeline().process(record, "2026-01-01T00:00:00Z");
  switch (out.kind) {
    case verdict::dead_letter:
      if (out.error == error_code::ok || error_name(out.error) == "unknown") std::abort();
      break;
    case verdict::publish:
    case verdict::irrelevant:
      if (out.payload.empty() || out.payload.front() != '{' || out.payload.back() != '}') std::abort();
      if (out.key.empty()) std::abort();
      for (std::size_t i = 0; i < the_pipeline().figures().size(); ++i) {
        auto rec = the_pipeline().figure_record(i, "2026-01-01T00:00:00Z");
        if (rec.empty() || rec.front() != '{') std::abort();
      }
      break;
  }
  const auto gated = daemon_pipeline(true).process(record, "2026-01-01T00:00:00Z");
  const std::string gated_payload(gated.payload);
  const auto full = daemon_pipeline(false).process(record, "2026-01-01T00:00:00Z");
  if (gated.kind != full.kind || gated.error != full.error || gated_payload != full.payload) std::abort();
  return 0;
}
