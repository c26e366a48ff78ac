// The JSON writer and the event encoder: valid JSON, escaping, stable ids.
#include "coopwatch/core/encode.h"
#include "coopwatch/core/json_writer.h"

#include <gtest/gtest.h>

namespace coopwatch::core {
namespace {

TEST(JsonWriter, EscapesAndNumbers) {
  std::string out;
  json_writer w(out);
  w.begin_object();
  w.field("s", std::string_view("a\"b\\c\n\x01\xE2\x80\xA8z"));
  w.field("big", 13308000000.0).field("frac", 74.6).field("neg", -3).field("t", true);
  w.key("arr").begin_array().value(1).value("x").null().end_array();
  w.end_object();
  EXPECT_EQ(out, R"({"s":"a\"b\\c\n\u0001\u2028z","big":13308000000,"frac":74.6,"neg":-3,"t":true,"arr":[1,"x",null]})");
}

// Long strings go through the 16-byte scan: every character that needs
// escaping, at every offset around a block edge, among CJK text.
TEST(JsonWriter, EscapesAtEveryOffset) {
  const std::pair<std::string, std::string> cases[] = {
      {"\"", "\\\""}, {"\\", "\\\\"}, {"\n", "\\n"}, {"\x1f", "\\u001f"},
      {"\xE2\x80\xA9", "\\u2029"}, {"\xE2\x80\x9C", "\xE2\x80\x9C"} /* “ stays */};
  for (const auto& [raw, escaped] : cases)
    for (std::size_t pad = 0; pad < 40; ++pad) {
      const std::string lead(pad, 'a');
      std::string out;
      json_writer w(out);
      w.value(lead + raw + "东西部协作" + raw);
      EXPECT_EQ(out, "\"" + lead + escaped + "东西部协作" + escaped + "\"") << pad;
    }
}

TEST(JsonWriter, NonFiniteBecomesNull) {
  std::string out;
  json_writer w(out);
  w.begin_array().value(1.0 / 0.0).end_array();
  EXPECT_EQ(out, "[null]");
}

TEST(Encode, EventIdIsStableAndVersioned) {
  EXPECT_EQ(event_id("dev-1", "0.1.0"), event_id("dev-1", "0.1.0"));
  EXPECT_NE(event_id("dev-1", "0.1.0"), event_id("dev-2", "0.1.0"));
  EXPECT_NE(event_id("dev-1", "0.1.0"), event_id("dev-1", "0.2.0"));
  EXPECT_EQ(event_id("dev-1", "0.1.0").size(), 16u);
}

TEST(Encode, SpansCountCharactersNotBytes) {
  item it{"id-1", "沪滇", "上海援助1亿元", "src", "https://u", "2020-01-01"};
  normalized_text title, body;
  title.text = "沪滇";
  body.text = "上海援助1亿元";
  classification cls;
  cls.relevant = true;
  std::vector<figure> figs(1);
  figs[0].value = 100000000;
  figs[0].unit = "CNY";
  figs[0].metric = "fiscal_aid";
  figs[0].text = "1亿元";
  figs[0].mentions.push_back({text_field::body, 12, 19, 12, 19});  // bytes of "1亿元"
  std::string out;
  encode_event(it, title, body, cls, figs, {"2026-01-01T00:00:00Z", "0.1.0"}, out);
  EXPECT_NE(out.find(R"("span":[4,7])"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("value":100000000)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("schema":"coopwatch.event/v1")"), std::string::npos);
}

}  // namespace
}  // namespace coopwatch::core
