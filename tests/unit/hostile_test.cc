// The bad-input catalogue (tests/data/hostile/catalogue.jsonl) through the
// whole core pipeline: each case gives the dead-letter reason it names, or,
// for valid but odd input, a clean outcome with a well-formed event. CI runs
// this under ASan and UBSan as well (scripts/test, the sanitizer build).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "coopwatch/core/pipeline.h"
#include "io/data_dir.h"

namespace coopwatch::core {
namespace {

struct hostile_case {
  std::string name;
  std::string expect;
  std::string record;
};

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::vector<hostile_case> load_catalogue() {
  std::ifstream in(std::string(COOPWATCH_TEST_DATA) + "/hostile/catalogue.jsonl");
  std::vector<hostile_case> out;
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element c = parser.parse(line);
    hostile_case h{std::string(c["name"].get_string().value()),
                   std::string(c["expect"].get_string().value()), {}};
    std::string_view s;
    if (!c["text"].get(s)) {
      h.record = s;
    } else if (!c["hex"].get(s)) {
      h.record = from_hex(s);
    } else {
      auto g = c["generate"];
      h.record = std::string(g["head"].get_string().value());
      std::string_view rep = g["repeat"].get_string().value();
      std::int64_t times = g["times"].get_int64().value();
      h.record.reserve(h.record.size() + rep.size() * times + 64);
      for (std::int64_t i = 0; i < times; ++i) h.record += rep;
      h.record += g["tail"].get_string().value();
    }
    out.push_back(std::move(h));
  }
  return out;
}

TEST(Hostile, CatalogueHasAtLeastFortyCases) { EXPECT_GE(load_catalogue().size(), 40u); }

TEST(Hostile, EveryCaseGivesItsOutcome) {
  pipeline_options opts;
  opts.limits.max_record_bytes = 1 << 20;
  pipeline p(load_resources(io::read_data_dir(COOPWATCH_DATA_DIR)), opts);
  simdjson::dom::parser check;
  for (const auto& c : load_catalogue()) {
    SCOPED_TRACE(c.name);
    auto out = p.process(c.record, "2026-01-01T00:00:00Z");
    if (c.expect == "valid") {
      ASSERT_NE(out.kind, verdict::dead_letter) << error_name(out.error) << " " << out.detail;
      EXPECT_FALSE(out.key.empty());
      if (out.kind == verdict::publish) {
        simdjson::padded_string event(out.payload);
        simdjson::dom::element e;
        ASSERT_EQ(check.parse(event).get(e), simdjson::SUCCESS);
        std::string_view id;
        ASSERT_EQ(e["item_id"].get(id), simdjson::SUCCESS);
        EXPECT_EQ(id, out.key);
        simdjson::dom::array figures;
        ASSERT_EQ(e["figures"].get(figures), simdjson::SUCCESS);
        for (auto f : figures) {
          double v;
          EXPECT_EQ(f["value"].get(v), simdjson::SUCCESS) << "figure values are finite numbers";
        }
      }
    } else {
      ASSERT_EQ(out.kind, verdict::dead_letter);
      EXPECT_EQ(error_name(out.error), c.expect) << out.detail;
    }
  }
}

}  // namespace
}  // namespace coopwatch::core
