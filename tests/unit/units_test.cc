// Unit tests for the figure unit table (extract/units.tsv, units.h).
#include "units.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace coopwatch::core::detail::extraction {
namespace {

unit_table table(std::string_view tsv) { return unit_table::parse(tsv, "units.tsv"); }

TEST(units_test, longest_surface_wins_and_carries_its_factor) {
  const auto t = table("元\tCNY\n万元\tCNY\t10000\n人\tperson\n");
  const std::string text = "300万元";
  const unit_entry* e = t.match(text, 3);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->surface, "万元");
  EXPECT_EQ(e->unit, "CNY");
  EXPECT_DOUBLE_EQ(e->factor, 10000);
  EXPECT_EQ(t.match(text, 0), nullptr);
}

TEST(units_test, fourth_column_flags) {
  const auto t = table("县\tcount\t1\tarabic\n场\tcount\t1\tother\n个\tcount\n年\t-\n");
  const std::string county = "县", session = "场", piece = "个", year = "年";
  EXPECT_TRUE(t.match(county, 0)->arabic_only);
  EXPECT_FALSE(t.match(county, 0)->counts_other);
  EXPECT_TRUE(t.match(session, 0)->counts_other);
  EXPECT_FALSE(t.match(piece, 0)->counts_other);
  EXPECT_TRUE(t.match(year, 0)->not_figure);
  EXPECT_FALSE(t.match(piece, 0)->alone_only);
  const std::string yuan = "块";
  EXPECT_TRUE(table("块\tCNY\t1\talone\n").match(yuan, 0)->alone_only);
}

TEST(units_test, bad_rows_name_file_and_line) {
  auto message = [](std::string_view tsv) {
    try {
      table(tsv);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("元\tCNY\n场\tcount\t1\tsometimes\n").find("units.tsv:2"), std::string::npos);
  // Only a count can be a count of occasions or objects.
  EXPECT_NE(message("元\tCNY\t1\tother\n").find("fourth column"), std::string::npos);
  EXPECT_NE(message("元\teuros\n").find("unknown unit"), std::string::npos);
}

}  // namespace
}  // namespace coopwatch::core::detail::extraction
