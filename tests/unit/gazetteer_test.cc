// The gazetteer: provinces and their groups, units and aliases, the official
// pairings, pair words, and errors in its data files.
#include "../../daemon/core/src/gazetteer.h"  // internal: the core keeps src/ private

#include <gtest/gtest.h>

#include "io/data_dir.h"

namespace coopwatch::core::detail {
namespace {

const data_files& files() {
  static const data_files f = io::read_data_dir(COOPWATCH_DATA_DIR);
  return f;
}

const gazetteer& gaz() {
  static const gazetteer g = gazetteer::load(files());
  return g;
}

std::string province(std::string_view unit) {
  auto u = gaz().find(unit);
  return u == no_unit ? "?" : gaz().province_of(u).name;
}

TEST(Gazetteer, ProvincesAndGroups) {
  EXPECT_EQ(gaz().provinces().size(), 31u);
  auto p = gaz().find_province("上海");
  ASSERT_NE(p, no_unit);
  EXPECT_EQ(gaz().provinces()[p].group, region_group::east);
  EXPECT_TRUE(gaz().provinces()[p].helps);
  auto y = gaz().find_province("云南");
  EXPECT_EQ(gaz().provinces()[y].group, region_group::west);
  EXPECT_TRUE(gaz().provinces()[y].helped);
  EXPECT_EQ(gaz().provinces()[gaz().find_province("湖南")].group, region_group::central);
}

TEST(Gazetteer, UnitsLiftToProvinces) {
  EXPECT_EQ(province("湘西州"), "湖南");
  EXPECT_EQ(province("湘西"), "湖南");
  EXPECT_EQ(province("闵行"), "上海");
  EXPECT_EQ(province("隆阳"), "云南");
  EXPECT_EQ(province("遵义"), "贵州");
  EXPECT_EQ(province("怒江州"), "云南");
  EXPECT_EQ(province("珠海"), "广东");
  EXPECT_EQ(province("延边州"), "吉林");
  EXPECT_EQ(province("恩施州"), "湖北");
  EXPECT_EQ(province("张家口"), "河北");
  EXPECT_EQ(province("内蒙古自治区"), "内蒙古");
  EXPECT_EQ(province("广西壮族自治区"), "广西");
  EXPECT_EQ(province("援滇"), "云南");
  EXPECT_EQ(province("赴沪"), "上海");
}

TEST(Gazetteer, PlainWordsAreNoAliases) {
  // Short county names that are ordinary words are matched only with their suffix.
  for (std::string_view w : {"振兴", "和政", "周至", "同心", "资源", "合作", "共和", "互助", "平安", "兴业", "富民"})
    for (const auto& a : gaz().aliases()) EXPECT_NE(a.text, w);
  // Short names that are mostly pieces of other words (长治久安, 金山银山,
  // 乡村振兴和协作, 不断延长, 集镇安置): matched only with their suffix.
  for (std::string_view w : {"长治", "金山", "兴和", "延长", "镇安", "坡头", "北流", "平和"})
    for (const auto& a : gaz().aliases()) EXPECT_NE(a.text, w);
  EXPECT_NE(gaz().find("镇安县"), no_unit);
  // Full names that are common nouns first (城区: "the urban area") are no aliases at all.
  for (std::string_view w : {"城区", "郊区", "矿区", "东区", "西区"})
    for (const auto& a : gaz().aliases()) EXPECT_NE(a.text, w);
}

TEST(Gazetteer, AmbiguousAliasKeepsReadings) {
  for (const auto& a : gaz().aliases())
    if (a.text == "长宁") {
      EXPECT_GE(a.units.size(), 2u);
      return;
    }
  FAIL() << "长宁 missing";
}

TEST(Gazetteer, OfficialPairings) {
  auto p = [](std::string_view n) { return gaz().find_province(n); };
  EXPECT_TRUE(gaz().official_provinces(p("上海"), p("云南")));
  EXPECT_TRUE(gaz().official_provinces(p("山东"), p("湖南")));
  EXPECT_TRUE(gaz().official_provinces(p("北京"), p("河北")));
  EXPECT_TRUE(gaz().official_provinces(p("广东"), p("贵州")));
  EXPECT_TRUE(gaz().official_provinces(p("浙江"), p("吉林")));
  EXPECT_FALSE(gaz().official_provinces(p("云南"), p("上海")));
  EXPECT_FALSE(gaz().official_provinces(p("北京"), p("青海")));
  EXPECT_FALSE(gaz().official_provinces(p("上海"), p("重庆")));
  EXPECT_FALSE(gaz().official_provinces(p("广东"), p("黑龙江")));
  EXPECT_TRUE(gaz().official_units(gaz().find("济南"), gaz().find("湘西州")));
  EXPECT_TRUE(gaz().official_units(gaz().find("青岛"), gaz().find("陇南")));
  EXPECT_TRUE(gaz().official_units(gaz().find("黄岛"), gaz().find("陇南")));  // via its prefecture 青岛
  EXPECT_FALSE(gaz().official_units(gaz().find("济南"), gaz().find("陇南")));
}

// Outside the west only the units the pairings name take part: 承德 and its
// counties, not 沧州; a western province's every unit does.
TEST(Gazetteer, HelpedInProgramme) {
  auto helped = [](std::string_view n) { return gaz().helped_in_programme(gaz().find(n)); };
  EXPECT_TRUE(helped("承德"));
  EXPECT_TRUE(helped("围场"));  // a county of 承德
  EXPECT_TRUE(helped("湘西州"));
  EXPECT_TRUE(helped("河北"));  // the province, named as such
  EXPECT_FALSE(helped("沧州"));
  EXPECT_FALSE(helped("长沙"));
  EXPECT_TRUE(helped("昆明"));  // western: any unit
  EXPECT_TRUE(helped("陇南"));
}

TEST(Gazetteer, PairWords) {
  bool found = false;
  for (const auto& w : gaz().pair_words())
    if (w.text == "沪滇") {
      found = true;
      EXPECT_EQ(gaz().province_of(w.east).name, "上海");
      EXPECT_EQ(gaz().province_of(w.west).name, "云南");
    }
  EXPECT_TRUE(found);
}

TEST(Gazetteer, Within) {
  EXPECT_TRUE(gaz().within(gaz().find("黄岛"), gaz().find("青岛")));
  EXPECT_TRUE(gaz().within(gaz().find("闵行"), gaz().find("上海")));
  EXPECT_FALSE(gaz().within(gaz().find("清远"), gaz().find("广州")));
}

void expect_error(const std::string& file, const std::string& contents, const std::string& where) {
  data_files f = files();
  f[file] = contents;
  try {
    (void)gazetteer::load(f);
    FAIL() << "no error, expected " << where;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
  }
}

TEST(Gazetteer, BadDataNamesFileAndLine) {
  expect_error("classify/pairings.tsv", "# x\n上海\t火星\t2016\n", "classify/pairings.tsv:2: unknown unit");
  expect_error("classify/pairings.tsv", "广州\t清远\t2016\n", "classify/pairings.tsv:1: a pairing within one province");
  expect_error("classify/pair_words.tsv", "沪京\t上海\t北京\n", "classify/pair_words.tsv:1: pair word names no official pairing");
  expect_error("classify/gazetteer.tsv", "闵行\t闵行\tcounty\t上海\t火星\n", "classify/gazetteer.tsv:1: unknown province");
  expect_error("classify/gazetteer.tsv", "闵行\t闵行\tstreet\t上海\t上海\n", "classify/gazetteer.tsv:1: unknown level");
  expect_error("classify/provinces.tsv", "上海\tnorth\t沪\n", "classify/provinces.tsv:1: group");
}

}  // namespace
}  // namespace coopwatch::core::detail
