// Decoding: good items and every class of bad record the daemon dead-letters.
#include "coopwatch/core/decode.h"

#include <gtest/gtest.h>

#include <string>

namespace coopwatch::core {
namespace {

struct bad_case {
  const char* name;
  std::string record;
  error_code expected;
};

std::string nested(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string with_object_depth(int depth) {
  std::string s = R"({"id":"x","title":"t","extra":)";
  s += std::string(depth, '[') + std::string(depth, ']') + "}";
  return s;
}

TEST(Decode, GoodItem) {
  decoder d;
  item it;
  ASSERT_EQ(d.decode(R"({"id":"a1","title":"沪滇协作","body":"正文","source":"新华网",)"
                     R"("url":"https://x/1","published_at":"2020-06-09T13:32:00+08:00"})",
                     it),
            error_code::ok);
  EXPECT_EQ(it.id, "a1");
  EXPECT_EQ(it.title, "沪滇协作");
  EXPECT_EQ(it.body, "正文");
  EXPECT_EQ(it.source, "新华网");
  EXPECT_EQ(it.url, "https://x/1");
  EXPECT_EQ(it.published_at, "2020-06-09T13:32:00+08:00");
}

TEST(Decode, OptionalFieldsMayBeAbsentOrNull) {
  decoder d;
  item it;
  ASSERT_EQ(d.decode(R"({"id":"a","body":"b","title":null,"unknown":[1,{"x":2}]})", it),
            error_code::ok);
  EXPECT_EQ(it.title, "");
  EXPECT_EQ(it.body, "b");
  EXPECT_EQ(it.source, "");
}

TEST(Decode, EscapesAreDecoded) {
  decoder d;
  item it;
  ASSERT_EQ(d.decode(R"({"id":"a","title":"\u6caa\u6ec7 \"q\"\n"})", it), error_code::ok);
  EXPECT_EQ(it.title, "沪滇 \"q\"\n");
}

TEST(Decode, ViewsStayValidUntilNextDecode) {
  decoder d;
  item it;
  std::string record = R"({"id":"keep","title":"t"})";
  ASSERT_EQ(d.decode(record, it), error_code::ok);
  record.assign(record.size(), 'x');  // the caller's buffer may go away
  EXPECT_EQ(it.id, "keep");
}

TEST(Decode, DuplicateKeysTakeTheFirst) {
  decoder d;
  item it;
  ASSERT_EQ(d.decode(R"({"id":"first","id":"second","title":"t"})", it), error_code::ok);
  EXPECT_EQ(it.id, "first");
}

TEST(Decode, NumbersBeyond64BitsInOtherFieldsAreFine) {
  decoder d;
  item it;
  ASSERT_EQ(d.decode(R"({"n":123456789012345678901234567890,"id":"big","title":"沪滇","id":"x"})", it),
            error_code::ok);
  EXPECT_EQ(it.id, "big");
  EXPECT_EQ(it.title, "沪滇");
  EXPECT_EQ(d.decode(R"({"n":1e999999,"id":"big","title":7})", it), error_code::wrong_type);
  EXPECT_EQ(d.decode(R"({"n":123456789012345678901234567890,"title":"t"})", it), error_code::missing_id);
  EXPECT_EQ(d.decode(R"({"n":123456789012345678901234567890,"id":"a"})", it), error_code::missing_text);
}

TEST(Decode, IdLimitCountsCharacters) {
  decoder d;
  item it;
  std::string chinese;
  for (int i = 0; i < 256; ++i) chinese += "沪";  // 768 bytes, 256 characters
  EXPECT_EQ(d.decode(R"({"id":")" + chinese + R"(","title":"t"})", it), error_code::ok);
  EXPECT_EQ(d.decode(R"({"id":")" + chinese + R"(x","title":"t"})", it), error_code::bad_id);
}

TEST(Decode, BomIsMalformed) {
  decoder d;
  item it;
  EXPECT_EQ(d.decode("\xEF\xBB\xBF{\"id\":\"a\",\"title\":\"t\"}", it), error_code::malformed_json);
}

TEST(Decode, BadRecords) {
  decode_limits limits;
  limits.max_record_bytes = 32768;
  const bad_case cases[] = {
      {"empty", "", error_code::empty_record},
      {"whitespace", " \n\t ", error_code::empty_record},
      {"oversized", R"({"id":"a","body":")" + std::string(40000, 'x') + "\"}", error_code::oversized},
      {"truncated", R"({"id":"a","title":"t)", error_code::malformed_json},
      {"trailing garbage", R"({"id":"a","title":"t"} x)", error_code::malformed_json},
      {"single quotes", "{'id':'a'}", error_code::malformed_json},
      {"bare word", "hello", error_code::malformed_json},
      {"binary", std::string("\x00\x01\x02\xff\xfe", 5), error_code::invalid_utf8},
      {"gbk bytes", "{\"id\":\"a\",\"title\":\"\xC4\xE3\xBA\xC3\"}", error_code::invalid_utf8},
      {"overlong utf8", "{\"id\":\"a\",\"title\":\"\xC0\xAF\"}", error_code::invalid_utf8},
      {"lone surrogate escape", R"({"id":"a","title":"\ud800"})", error_code::malformed_json},
      {"nul byte in record", std::string("{\"id\":\"a\",\0\"title\":\"t\"}", 24), error_code::malformed_json},
      {"array", "[1,2,3]", error_code::not_an_object},
      {"number", "42", error_code::not_an_object},
      {"string", "\"id\"", error_code::not_an_object},
      {"null", "null", error_code::not_an_object},
      {"deep nesting", nested(10000), error_code::too_deep},
      {"deep nesting in a field", with_object_depth(2000), error_code::too_deep},
      {"missing id", R"({"title":"t","body":"b"})", error_code::missing_id},
      {"numeric id", R"({"id":42,"title":"t"})", error_code::bad_id},
      {"null id", R"({"id":null,"title":"t"})", error_code::bad_id},
      {"empty id", R"({"id":"","title":"t"})", error_code::bad_id},
      {"huge id", R"({"id":")" + std::string(300, 'a') + R"(","title":"t"})", error_code::bad_id},
      {"no text", R"({"id":"a"})", error_code::missing_text},
      {"empty texts", R"({"id":"a","title":"","body":""})", error_code::missing_text},
      {"numeric title", R"({"id":"a","title":7,"body":"b"})", error_code::wrong_type},
      {"object body", R"({"id":"a","body":{"x":1}})", error_code::wrong_type},
      {"array url", R"({"id":"a","body":"b","url":["u"]})", error_code::wrong_type},
      {"bool published_at", R"({"id":"a","body":"b","published_at":true})", error_code::wrong_type},
  };
  decoder d(limits);
  for (const auto& c : cases) {
    item it;
    EXPECT_EQ(d.decode(c.record, it), c.expected) << c.name << ": " << d.detail();
  }
}

TEST(Decode, RecoversAfterBadRecords) {
  decoder d;
  item it;
  EXPECT_NE(d.decode("{", it), error_code::ok);
  EXPECT_NE(d.decode(nested(5000), it), error_code::ok);
  ASSERT_EQ(d.decode(R"({"id":"ok","title":"t"})", it), error_code::ok);
  EXPECT_EQ(it.id, "ok");
}

TEST(Decode, ErrorNamesAreStableAndDistinct) {
  EXPECT_EQ(error_name(error_code::malformed_json), "malformed_json");
  EXPECT_EQ(error_name(error_code::oversized), "oversized");
  EXPECT_FALSE(error_message(error_code::missing_text).empty());
}

}  // namespace
}  // namespace coopwatch::core
