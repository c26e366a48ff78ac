// Unit tests for the number parser (coopwatch/core/number.h).
#include "coopwatch/core/number.h"

#include <gtest/gtest.h>

#include <string>

namespace coopwatch::core {
namespace {

struct number_case {
  const char* text;
  double value;
  unsigned length;  // bytes consumed; 0 = the whole text
  bool approximate = false;
};

class number_forms : public ::testing::TestWithParam<number_case> {};

TEST_P(number_forms, parses) {
  const auto& c = GetParam();
  const std::string_view text = c.text;
  const auto n = parse_number(text, 0);
  ASSERT_TRUE(n.has_value()) << c.text;
  EXPECT_DOUBLE_EQ(n->value, c.value) << c.text;
  EXPECT_EQ(n->length, c.length ? c.length : text.size()) << c.text;
  EXPECT_EQ(n->approximate, c.approximate) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    all, number_forms,
    ::testing::Values(number_case{"0", 0, 0}, number_case{"12", 12, 0}, number_case{"1,200", 1200, 0},
                      number_case{"1，200", 1200, 0}, number_case{"12,345,678", 12345678, 0},
                      number_case{"3.14", 3.14, 0}, number_case{"１２３", 123, 0}, number_case{"１７．５８", 17.58, 0},
                      number_case{"133.08亿", 13308000000, 0}, number_case{"3.2万", 32000, 0},
                      number_case{"1.2万亿", 1.2e12, 0}, number_case{"1.5亿", 1.5e8, 0}, number_case{"十二", 12, 0},
                      number_case{"两万", 20000, 0}, number_case{"三千八百四十九万", 38490000, 0},
                      number_case{"一百零五", 105, 0}, number_case{"〇", 0, 0}, number_case{"零", 0, 0},
                      number_case{"壹贰叁", 123, 0}, number_case{"壹佰贰拾叁", 123, 0}, number_case{"十", 10, 0},
                      number_case{"十几", 10, 0, true}, number_case{"几十", 10, 0, true},
                      number_case{"几百万", 1000000, 0, true}, number_case{"两万五", 25000, 0},
                      number_case{"三千五", 3500, 0}, number_case{"一千零五十", 1050, 0},
                      number_case{"七十四点六", 74.6, 0}, number_case{"二〇二〇", 2020, 0},
                      number_case{"百分之七十四点六", 74.6, 0}, number_case{"百分之百", 100, 0},
                      number_case{"百分之一百零九", 109, 0}, number_case{"12万余", 120000, 5},
                      number_case{"3年", 3, 1}, number_case{"1,20", 1, 1}, number_case{"47.8万四川", 478000, 7},
                      number_case{"5.", 5, 1}, number_case{"一亿二千万", 120000000, 0},
                      number_case{"3千万", 30000000, 0},
                      // A bare 百, 千 or 万 before 余 or 多 counts one of them.
                      number_case{"百余所", 100, 3}, number_case{"千余人", 1000, 3},
                      number_case{"萬餘名", 10000, 3}, number_case{"万多元", 10000, 3},
                      // Thousands groups after a space, as typeset text writes them.
                      number_case{"3 600万", 36000000, 0}, number_case{"12 345", 12345, 0},
                      number_case{"2019 500", 2019, 4}, number_case{"3 60", 3, 1},
                      number_case{"零点六", 0.6, 0}, number_case{"百分之零点六", 0.6, 0}));

TEST(number, no_number) {
  for (const char* s : {"", "abc", "万一", "千家万户", "百姓", "亿万", "，", "的", "百年", "千里", "万人空巷"}) {
    EXPECT_FALSE(parse_number(s, 0).has_value()) << s;
  }
}

TEST(number, flags) {
  auto n = parse_number("百分之二十", 0);
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->percent);
  n = parse_number("1,200", 0);
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->grouped);
  EXPECT_TRUE(n->has_arabic);
  n = parse_number("二〇二〇", 0);
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->digit_string);
  n = parse_number("3.2万", 0);
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->has_multiplier);
}

TEST(number, position_and_bounds) {
  const std::string s = "资金405万元";
  const auto n = parse_number(s, 6);
  ASSERT_TRUE(n);
  EXPECT_DOUBLE_EQ(n->value, 4050000);
  EXPECT_FALSE(parse_number(s, s.size()).has_value());
  EXPECT_FALSE(parse_number(s, s.size() + 10).has_value());
  // Truncated UTF-8 never reads past the end.
  const std::string cut = std::string("三千") + "\xE5\x85";
  EXPECT_TRUE(parse_number(cut, 0).has_value());
}

TEST(number, starts_number) {
  EXPECT_TRUE(starts_number("3", 0));
  EXPECT_TRUE(starts_number("三", 0));
  EXPECT_TRUE(starts_number("１", 0));
  EXPECT_FALSE(starts_number("的", 0));
  EXPECT_FALSE(starts_number("", 0));
}

// A bare 百, 千 or 万 after a word of approximation counts one of them; at
// the start of a text or after other words it opens no number.
TEST(number, bare_power_after_approximation) {
  const std::string text = "就业逾千人,上千名干部,近百家企业,千家万户";
  for (const auto& [word, value] : std::initializer_list<std::pair<std::string_view, double>>{
           {"千人", 1000}, {"千名", 1000}, {"百家", 100}}) {
    const auto at = text.find(word);
    const auto n = parse_number(text, at);
    ASSERT_TRUE(n.has_value()) << word;
    EXPECT_DOUBLE_EQ(n->value, value) << word;
    EXPECT_EQ(n->length, 3u) << word;
  }
  const auto none = parse_number(text, text.find("千家"));
  EXPECT_TRUE(!none || none->length == 0);
}

// Two neighbouring digits before a power give a range; the number is its
// lower bound, approximate.
TEST(number, neighbouring_digits_before_a_power) {
  for (const auto& [text, value] : std::initializer_list<std::pair<std::string_view, double>>{
           {"四五千元", 4000}, {"七八千块", 7000}, {"一两万", 10000}, {"三四百人", 300}, {"六七万元", 60000}}) {
    const std::string s(text);
    const auto n = parse_number(s, 0);
    ASSERT_TRUE(n.has_value()) << text;
    EXPECT_DOUBLE_EQ(n->value, value) << text;
    EXPECT_TRUE(n->approximate) << text;
  }
  // Not neighbours: no range (四六 is no way to write one).
  const std::string far = "四六千";
  const auto n = parse_number(far, 0);
  EXPECT_TRUE(!n || n->value != 4000);
}

}  // namespace
}  // namespace coopwatch::core
