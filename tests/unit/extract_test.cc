// Unit tests for figure extraction (coopwatch/core/extract.h): the
// table-driven number and unit forms in tests/data/extract/number_forms.tsv,
// every exclusion class, merging, metrics and the seed pages.
#include "coopwatch/core/extract.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/data_dir.h"

namespace coopwatch::core {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

normalized_text identity(std::string_view s) {
  normalized_text t;
  t.text.assign(s);
  t.origin.resize(s.size() + 1);
  for (std::uint32_t i = 0; i <= s.size(); ++i) t.origin[i] = i;
  return t;
}

bool close(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({std::fabs(a), std::fabs(b), 1.0}); }

class extract_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { data_ = load_extractor_data(io::read_data_dir(COOPWATCH_DATA_DIR)); }
  static void TearDownTestSuite() { data_.reset(); }

  std::vector<figure> run(std::string_view body, std::string_view title = {}) {
    extractor ex(data_);
    std::vector<figure> out;
    classification cls;
    ex.extract(identity(title), identity(body), cls, out);
    return out;
  }
  struct metric_row {
    const char* text;
    const char* metric;
  };
  // Each text holds one figure, of that metric.
  void expect_one_figure_each(std::initializer_list<metric_row> rows) {
    for (const auto& r : rows) {
      const auto figs = run(r.text);
      ASSERT_EQ(figs.size(), 1u) << r.text;
      EXPECT_EQ(figs[0].metric, r.metric) << r.text;
    }
  }
  // The text holds one figure, of this value and unit.
  void expect_one_figure(std::string_view text, double value, std::string_view unit) {
    const auto figs = run(text);
    ASSERT_EQ(figs.size(), 1u) << text;
    EXPECT_DOUBLE_EQ(figs[0].value, value) << text;
    EXPECT_EQ(figs[0].unit, unit) << text;
  }
  // A classification that found just this pair.
  static classification with_pair(const region_pair& pair) {
    classification cls;
    cls.pairs.push_back(pair);
    return cls;
  }
  // The metric of the figure of `value` in `body` (with the item's pairs
  // in `cls`), or "(none)".
  static std::string metric_of(std::string_view body, double value, const classification& cls = {}) {
    extractor ex(data_);
    std::vector<figure> out;
    ex.extract(identity(""), identity(body), cls, out);
    for (const auto& f : out)
      if (close(f.value, value)) return f.metric;
    return "(none)";
  }

  struct valued_row {
    const char* text;
    double value;
    const char* metric;
  };
  // In each text, the figure of that value has that metric (the item's
  // pairs in `cls`).
  static void expect_metrics(const classification& cls, std::initializer_list<valued_row> rows) {
    for (const auto& r : rows) EXPECT_EQ(metric_of(r.text, r.value, cls), r.metric) << r.text;
  }

  static std::shared_ptr<const extractor_data> data_;
};
std::shared_ptr<const extractor_data> extract_test::data_;

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> f;
  std::size_t p = 0;
  while (true) {
    const auto t = line.find('\t', p);
    f.push_back(line.substr(p, t == std::string::npos ? std::string::npos : t - p));
    if (t == std::string::npos) break;
    p = t + 1;
  }
  return f;
}

TEST_F(extract_test, number_forms_table) {
  std::istringstream in(slurp(std::string(COOPWATCH_TEST_DATA) + "/extract/number_forms.tsv"));
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto f = split_tabs(line);
    ASSERT_GE(f.size(), 4u) << line;
    ++rows;
    const auto figs = run(f[0]);
    ASSERT_EQ(figs.size(), 1u) << f[0];
    EXPECT_TRUE(close(figs[0].value, std::stod(f[1]))) << f[0] << " -> " << figs[0].value;
    EXPECT_EQ(figs[0].unit, f[2]) << f[0];
    EXPECT_EQ(figs[0].qualifier, f[3]) << f[0];
    if (f.size() >= 5 && !f[4].empty()) {
      ASSERT_TRUE(figs[0].upper.has_value()) << f[0];
      EXPECT_TRUE(close(*figs[0].upper, std::stod(f[4]))) << f[0];
    } else {
      EXPECT_FALSE(figs[0].upper.has_value()) << f[0];
    }
  }
  EXPECT_GE(rows, 150);
}

// Each exclusion class: the text holds numbers, none of them is a figure.
TEST_F(extract_test, exclusions) {
  const char* cases[] = {
      "2019年7月16日至17日,代表团访问云南。",          // dates
      "最后更新: 2020-07-18 09:38:47",                  // dates and times
      "上午10点30分召开会议,会议持续2个多小时。",       // times, durations
      "第九次联席会议",                                 // ordinals
      "上海市援派第十一批干部",                         // ordinals
      "开展为期3年的帮扶工作",                          // durations
      "3个月里走访了贫困村",                            // durations
      "18岁、19岁、20岁的志愿者",                       // ages
      "新闻热线: 0531-83122110",                        // phone numbers
      "版权事宜请联系:010-65367254。",                  // phone numbers
      "京ICP备11041399号-2京公网安备11010502035964",    // ICP and ID codes
      "来到十八洞村调研",                               // numbers inside names
      "十三五规划收官",                                 // numbers inside names
      "落实“五个一批”要求",                            // slogans
      "坚持两个大局",                                   // no key figure
      "一个中国",                                       // no key figure
      "千家万户",                                       // idiom
      "5G基站建设",                                     // codes
      "全市3对口帮扶县",                               // 对 opening a word (对口), not pairs
      "销售农特产品2300吨、1.8万吨",                   // weights count no things
      "车间里几十名工人正忙着,数百名群众围观,投入资金几十万元",  // magnitudes, not figures
  };
  for (const char* c : cases) EXPECT_TRUE(run(c).empty()) << c << " -> " << run(c).size();
}

TEST_F(extract_test, boilerplate_after_stop_line_is_ignored) {
  const auto figs = run("投入帮扶资金500万元。\n相关新闻:\n某上市公司营收突破120亿元\n男子被罚款2000元");
  ASSERT_EQ(figs.size(), 1u);
  EXPECT_DOUBLE_EQ(figs[0].value, 5000000);
  // A WeChat-style footer ends the article the same way.
  const auto wechat = run("投入帮扶资金500万元。\n往期推荐\n▶ 18个贫困区县全部脱贫摘帽");
  ASSERT_EQ(wechat.size(), 1u);
  EXPECT_DOUBLE_EQ(wechat[0].value, 5000000);
  // So does a ranking of other news.
  const auto ranking = run("投入帮扶资金500万元。\n新闻排行\n2 2021年天津GDP突破1.5万亿元");
  ASSERT_EQ(ranking.size(), 1u);
  EXPECT_DOUBLE_EQ(ranking[0].value, 5000000);
  // So does a comment section.
  const auto comments = run("投入帮扶资金500万元。\n网友评论(共23条)\n兰州网友:我家的苹果也卖了3箱");
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_DOUBLE_EQ(comments[0].value, 5000000);
  // So does a list of popular news on a portal.
  const auto popular = run("投入帮扶资金500万元。\n热门新闻\n1 台风恐转中台\n2 疫苗覆盖率突破20%");
  ASSERT_EQ(popular.size(), 1u);
  // And links to the next article.
  const auto next = run("投入帮扶资金500万元。\n下一篇:梵净山景区国庆假期接待游客21.6万人次");
  ASSERT_EQ(next.size(), 1u);
  // A byline above the article ends nothing.
  const auto byline = run("来源:铜仁日报 责任编辑:王某\n投入帮扶资金500万元,实施项目12个。");
  EXPECT_EQ(byline.size(), 2u);
}

TEST_F(extract_test, other_programme_is_ignored) {
  const auto figs = run(
      "东西部扶贫协作方面,东部地区投入财政援助资金229亿元。\n"
      "中央定点扶贫方面,各中央单位直接投入帮扶资金67亿元、引进帮扶资金63亿元。");
  ASSERT_EQ(figs.size(), 1u);
  EXPECT_DOUBLE_EQ(figs[0].value, 22900000000);
  // A review's sections on aid to Xinjiang and Tibet are another programme's.
  const auto review = run(
      "杭州投入东西部协作财政帮扶资金3.2亿元。\n"
      "今年,杭州安排援疆资金3.36亿元,实施援疆项目58个;安排援藏资金8200万元。\n"
      "深圳对口支援新疆喀什,全年安排资金15.2亿元。");
  ASSERT_EQ(review.size(), 1u);
  EXPECT_DOUBLE_EQ(review[0].value, 320000000);
  // Joined to the programme's name, another programme names a joint event
  // (a national meeting on both), not a section of its own.
  const auto joint = run(
      "全国东西部协作和中央单位定点帮扶工作推进会召开。会议指出,东部地区累计向西部地区投入财政援助资金"
      "和社会帮扶资金1005亿多元,超过2.2万家东部企业赴扶贫协作地区累计投资1.1万亿元。");
  ASSERT_EQ(joint.size(), 3u);
  EXPECT_EQ(joint[0].metric, "fiscal_aid");  // the combined total is named by its first fund
  EXPECT_EQ(joint[1].metric, "enterprises");
  EXPECT_EQ(joint[2].metric, "investment");
  // The same with the other programme named first (对口援藏工作与东西部扶贫协作).
  const auto joint_after = run(
      "2016年起,广东省对甘孜州的对口援藏工作与东西部扶贫协作统筹推进,惠州市负责对口帮扶道孚县。"
      "截至目前,惠州市累计向道孚县投入财政帮扶资金2.36亿元,实施帮扶项目87个。");
  ASSERT_EQ(joint_after.size(), 2u);
  EXPECT_DOUBLE_EQ(joint_after[0].value, 236000000);
}

TEST_F(extract_test, unreliable_spans_are_ignored) {
  auto body = identity("投入资金500万元,带动3000人就业。");
  const auto at = body.text.find("3000");
  body.unreliable.push_back({static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + 4)});
  extractor ex(data_);
  std::vector<figure> out;
  ex.extract(identity(""), body, classification{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].value, 5000000);
  // A replacement character right before a number marks it as mojibake too.
  EXPECT_TRUE(run("\xEF\xBF\xBD" "3个").empty());
}

TEST_F(extract_test, markup_is_skipped) {
  EXPECT_TRUE(run("<img width=\"600\" height=\"400\"> &#65292;").empty());
}

TEST_F(extract_test, restated_fact_is_one_figure_with_all_mentions) {
  const std::string title = "3年累计投入133.08亿元";
  const std::string body = "2016年以来,累计投入财政援助资金133.08亿元,实施帮扶项目4127个。";
  const auto figs = run(body, title);
  ASSERT_EQ(figs.size(), 2u);
  const auto& money = figs[0].unit == "CNY" ? figs[0] : figs[1];
  EXPECT_EQ(money.metric, "fiscal_aid");
  ASSERT_EQ(money.mentions.size(), 2u);
  EXPECT_EQ(money.mentions[0].field, text_field::body);
  EXPECT_EQ(money.mentions[1].field, text_field::title);
  EXPECT_EQ(body.substr(money.mentions[0].begin, money.mentions[0].end - money.mentions[0].begin), "133.08亿元");
  EXPECT_EQ(money.text, "133.08亿元");
  EXPECT_EQ(money.period, "2016年以来");
}

TEST_F(extract_test, metrics_from_governing_words) {
  expect_one_figure_each({
      {"投入财政援助资金133.08亿元", "fiscal_aid"},
      {"社会各界捐赠资金6.1亿元", "social_aid"},
      {"实际到位投资10.57亿元", "investment"},
      {"采购云南特色农产品5.48亿元", "consumption"},
      {"实施帮扶项目4127个", "projects"},
      {"引导95家企业到云南", "enterprises"},
      {"帮助37.22万建档贫困人口脱贫", "people_lifted"},
      {"带贫3万人", "people_benefited"},
      {"吸纳就业1.89万人", "employment"},
      {"选派挂职干部108名", "cadres"},
      {"2448名专业技术人才扎根云南", "professionals"},
      {"培训各类人才59万余人次", "training"},
      {"394个扶贫车间助力脱贫", "workshops"},
      {"新建共富工坊312家", "workshops"},       // 东西部协作's workshops after 2021
      {"台江已建成苗绣扶贫工坊14个", "workshops"},
      {"共建产业园区3个", "parks"},
      {"439个乡镇与东部结对", "pairings"},
      {"88个贫困县与东部开展携手奔小康", "counties"},
      {"人均可支配收入14668元", "income"},
      {"蔬菜种植基地占地2000多亩", "other"},
      {"选派干部人才1480人次", "cadres"},
      {"培训干部人才5200人次", "training"},
      {"引导623家鲁企到重庆投资", "enterprises"},
      {"引导企业在恩施投资到位资金21.6亿元", "investment"},
      {"村企结对1389对", "pairings"},
      {"结成帮扶对子26对", "pairings"},
      {"两地推动86对镇、村、企业和学校结对帮扶", "pairings"},
      {"全年减少农村贫困人口8.5万人", "people_lifted"},
      {"选派医疗专家37名", "professionals"},
      {"车间吸引83名工人", "employment"},
      {"工厂常年用工45人", "employment"},
      {"截至4月底已开工241个", "projects"},
      {"通过远程会诊平台开展会诊320例", "other"},
      {"贫困发生率降至百分之零点六", "other"},
      // The noun phrase after a figure ends at a conjunction: what follows
      // it is not what the figure counts.
      {"全区10个社区与富宁县的村签订结对协议", "pairings"},
      {"引进8家上海企业与产业园区签约", "enterprises"},
      {"组织12家东部企业和扶贫车间对接", "enterprises"},
  });
}

// A verb before the figure in its clause (培训) governs it over a word for
// who the people are (教师, 医务人员, 专业技术人员); without the verb, or
// with it in another clause, the word governs.
TEST_F(extract_test, a_verb_governs_over_who_the_people_are) {
  expect_one_figure_each({
      {"累计培训当地教师4700人次", "training"},
      {"培训当地医务人员1800余人次", "training"},
      {"共为六盘水培训党政干部、专业技术人员和致富带头人5600余人次", "training"},
      {"培训1800名教师", "training"},
      {"选派当地教师4700人次", "professionals"},
      {"开展教育培训,选派教师470人次", "professionals"},
      {"培训后实现就业4056人", "employment"},
      {"援甘医生帮带当地医护人员1600余名", "training"},
      {"结对带教本地骨干医生153名", "training"},
      // Labour placed in work, however it is named.
      {"联合举办招聘会,现场签约4860人", "employment"},
      {"帮助扶贫车间稳岗8600余人", "employment"},
      {"服装扶贫车间里,380名员工正在赶制订单", "employment"},
      {"在浙江稳定就业的四川脱贫劳动力达11.6万人", "employment"},
      // People named by their status are not people lifted.
      {"沪滇消费协作带动云南23.8万脱贫人口增收", "people_benefited"},
      {"带动凉山1.3万户脱贫户增收", "people_benefited"},
      {"带动周边300余名建档立卡贫困群众稳定脱贫", "people_lifted"},
      // A clause that only tallies continues the one before it.
      {"两省共同帮助陕西农村劳动力到江苏就业,累计达到4.3万人", "employment"},
      // Classes held are counted, not people trained.
      {"联合举办劳务协作培训班1485期", "other"},
      {"两地联合举办干部人才培训85期", "training"},
      // A word for who right before the figure names the people over a verb
      // after it.
      {"选派专业技术人员396名赴甘肃挂职帮扶", "professionals"},
      {"选派干部120名赴甘肃挂职", "cadres"},
      // A verb after it still governs them (跟 opens 跟岗 here, no conjunction).
      {"选派干部和技术人员275人次赴闽跟岗培训", "training"},
      {"到富阳跟岗学习的干部和技术人员达到62人次", "training"},
      // Who they are, right after the figure, yields to such a verb when it
      // is the next metric word of the clause.
      {"毕节选派120名教师到广州跟岗学习", "training"},
      {"接收宁夏580名教师赴福建跟岗研修", "training"},
      {"恩施州选派112名党政干部到杭州挂职锻炼和跟岗学习", "cadres"},
      // A light verb (带动) yields to the result named after its object.
      {"带动周边300余名建档立卡贫困群众稳定脱贫", "people_lifted"},
      {"带动420人脱贫致富", "people_benefited"},
      {"带动1.2万名农村劳动力在家门口就业", "employment"},
      {"带动3000余人", "people_benefited"},
      {"助力黔东南减贫十二万余人", "people_lifted"},
      // People given grants benefit.
      {"设立助学金资助贫困学生3400名", "people_benefited"},
      {"向沿河县资助家庭困难学生426名", "people_benefited"},
  });
}

// Funds under a generic fund word, in a sentence whose giver is no
// government, are that giver's kind of aid; a fund word naming the
// government keeps them fiscal.
TEST_F(extract_test, pay_and_dividends_are_income) {
  expect_one_figure_each({
      {"现在在帮扶车间上班,一个月能拿3200元", "income"},
      {"合作社每年给每户分红不少于2000元", "income"},
  });
}

// Spoken yuan (块) at a clause's end is money; before a noun it measures
// things, and no figure is read.
TEST_F(extract_test, spoken_yuan_at_a_clause_end) {
  expect_one_figure_each({
      {"在家门口上班,每个月能拿3000多块,还能照顾老人", "income"},
      {"一个月能挣两千多块钱。", "income"},
  });
  expect_one_figure("在家门口上班,每个月能拿3000多块,还能照顾老人", 3000, "CNY");
  EXPECT_TRUE(run("展厅里一块大屏实时显示订单").empty());
  EXPECT_TRUE(run("村口立起3块牌子").empty());
  EXPECT_TRUE(run("她熟练地把一块块布料缝成工装").empty());
}

// A bare 千, 百 or 万 after a word of approximation is a figure, its lower
// bound; elsewhere it is no number (千家万户).
TEST_F(extract_test, bare_power_after_approximation) {
  expect_one_figure_each({
      {"扶贫产业项目吸纳当地贫困群众就业逾千人", "employment"},
      {"宁夏先后选派上千名干部到福建挂职锻炼", "cadres"},
  });
  expect_one_figure("吸纳当地贫困群众就业逾千人", 1000, "person");
  // Two neighbouring digits before a power: a range, read as its lower bound.
  expect_one_figure("在吴江一个月能拿到四五千元,厂里包吃包住", 4000, "CNY");
  EXPECT_EQ(run("在吴江一个月能拿到四五千元,厂里包吃包住")[0].metric, "income");
  EXPECT_TRUE(run("帮扶惠及千家万户").empty());
}

// Bare numbers in a text table take their column's unit, from its header or
// the caption, and the metric of its header, else of their row's label.
TEST_F(extract_test, text_table_cells) {
  const auto figs = run(
      "部分县(区)消费帮扶情况如下:\n"
      "县(区) 销售额(万元) 带动脱贫人口(人)\n"
      "西吉县 46230 18350\n"
      "海原县 38710 15620\n"
      "自治区乡村振兴局有关负责人表示,将继续发挥闽宁协作机制优势。");
  ASSERT_EQ(figs.size(), 4u);
  EXPECT_DOUBLE_EQ(figs[0].value, 462300000);
  EXPECT_EQ(figs[0].unit, "CNY");
  EXPECT_EQ(figs[0].metric, "consumption");
  EXPECT_DOUBLE_EQ(figs[1].value, 18350);
  EXPECT_EQ(figs[1].unit, "person");
  EXPECT_EQ(figs[1].metric, "people_benefited");
  // The caption names the unit; cells split at '|'.
  const auto caption = run(
      "各市劳务协作完成情况(单位:人)\n"
      "市 | 到江苏就业 | 合计\n"
      "汉中 | 6120 | 30980\n");
  ASSERT_EQ(caption.size(), 2u);
  EXPECT_EQ(caption[0].unit, "person");
  EXPECT_EQ(caption[0].metric, "employment");
  // No unit named anywhere: the cells are no figures.
  EXPECT_TRUE(run("县 2019年 2020年\n西吉县 46230 18350\n").empty());
  // A caption's list of units, one for each column of numbers in order; a
  // row number or a year as the row's label; digits grouped by commas.
  const auto listed = run(
      "单位:万元、个\n"
      "序号 县(区) 资金额 安排项目数\n"
      "1 原州区 6120 23\n"
      "2 西吉县 6850 27\n");
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[0].unit, "CNY");
  EXPECT_DOUBLE_EQ(listed[0].value, 61200000);
  EXPECT_EQ(listed[1].unit, "count");
  EXPECT_DOUBLE_EQ(listed[1].value, 23);
  const auto years = run("年份 财政帮扶资金(亿元) 帮扶项目(个)\n2019 31.40 1,037\n2020 40.27 1,196\n");
  ASSERT_EQ(years.size(), 4u);
  EXPECT_DOUBLE_EQ(years[0].value, 3140000000);
  EXPECT_DOUBLE_EQ(years[1].value, 1037);
  // Measures as rows: the row's label names the metric and may name the
  // unit, over the caption's (金额:万元); the header may leave out the label
  // column's name; a column naming its own unit (同比增长(%)) keeps it.
  const auto rows = run(
      "2020年主要指标(金额:万元)\n"
      "安顺市 陇南市\n"
      "财政帮扶资金 41260 40830\n"
      "帮扶项目(个) 238 261\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_DOUBLE_EQ(rows[0].value, 412600000);
  EXPECT_EQ(rows[0].metric, "fiscal_aid");
  EXPECT_EQ(rows[2].unit, "count");
  EXPECT_DOUBLE_EQ(rows[2].value, 238);
  const auto growth = run("指标 | 2023年 | 同比增长(%)\n财政援助资金(亿元) | 6.35 | 4.8\n");
  ASSERT_EQ(growth.size(), 2u);
  EXPECT_EQ(growth[0].unit, "CNY");
  EXPECT_EQ(growth[1].unit, "percent");
}

// A headline's round lower bound restates the body's exact figure just
// above it: one figure, mentioned twice.
TEST_F(extract_test, headline_round_bound_restates_the_body) {
  const auto figs = run("五年来,上海累计投入财政帮扶资金20.7亿元。", "沪遵协作财政帮扶资金突破20亿元");
  ASSERT_EQ(figs.size(), 1u);
  EXPECT_DOUBLE_EQ(figs[0].value, 2070000000);
  EXPECT_EQ(figs[0].mentions.size(), 2u);
  // Far from it (突破10亿元 against 20.7亿元), it is a fact of its own.
  EXPECT_EQ(run("五年来,上海累计投入财政帮扶资金20.7亿元。", "沪遵协作消费帮扶突破10亿元").size(), 2u);
}

// A figure alone on its line (数说, 一图读懂) is named by the short line
// right below it, not by the previous figure's label above it.
TEST_F(extract_test, figure_alone_on_its_line_is_named_below) {
  const auto figs = run("【数说2023】\n6.55亿元\n山东省财政援助资金\n137家\n新引导落地山东企业\n58.4亿元\n消费帮扶金额");
  ASSERT_EQ(figs.size(), 3u);
  EXPECT_EQ(figs[0].metric, "fiscal_aid");
  EXPECT_EQ(figs[1].metric, "enterprises");
  EXPECT_EQ(figs[2].metric, "consumption");
}

// A number with a leading zero numbers a section heading.
TEST_F(extract_test, leading_zero_numbers_a_section) {
  const auto figs = run("05 消费扶贫\n采购农特产品41.3亿元。\n06 人才支援\n选派挂职干部287名。");
  ASSERT_EQ(figs.size(), 2u);
  EXPECT_DOUBLE_EQ(figs[0].value, 4130000000);
  EXPECT_DOUBLE_EQ(figs[1].value, 287);
  EXPECT_TRUE(run("０６　人才支援").empty());
  EXPECT_EQ(run("亩产提高0.5吨,带动300人").size(), 1u);
}

// People counted as 个人 and things by the handle (把), after Arabic
// numerals: 两个人 in a quote, 一把手 and a project's 二期 are no figures.
TEST_F(extract_test, people_as_geren_and_things_by_the_handle) {
  expect_one_figure("我们村有20多个人在广州打工", 20, "person");
  const auto guitars = run("产业园年产吉他600万把,带动就业1.4万人");
  ASSERT_EQ(guitars.size(), 2u);
  EXPECT_EQ(guitars[0].unit, "count");
  EXPECT_DOUBLE_EQ(guitars[0].value, 6000000);
  expect_one_figure("年产木耳菌包3000万袋", 30000000, "count");
  expect_one_figure("调运茶苗540万株", 5400000, "count");
  expect_one_figure("捐赠图书200多本", 200, "count");
  expect_one_figure("销售苹果2000箱", 2000, "count");
  expect_one_figure("在西海固地区援建打井窖1.5万眼", 15000, "count");  // wells
  expect_one_figure("发展食用菌300万棒", 3000000, "count");              // mushroom logs
  expect_one_figure("举办劳务技能培训班12期", 12, "count");               // sessions
  EXPECT_TRUE(run("服装产业园二期建成投产").empty());                     // a phase
  EXPECT_TRUE(run("两个人一年能存下钱").empty());
  EXPECT_TRUE(run("县委一把手带队考察").empty());
}

TEST_F(extract_test, a_giver_other_than_government_makes_funds_social_aid) {
  expect_one_figure_each({
      {"抓好村企结对帮扶项目落实,年内共帮扶贫困村资金405万元", "social_aid"},
      {"组织民营企业结对帮扶贫困村,投入帮扶资金2100余万元", "social_aid"},
      {"组织民营企业结对帮扶贫困村,投入财政帮扶资金2100余万元", "fiscal_aid"},
      {"今年投入帮扶资金2100余万元", "fiscal_aid"},
      // Enterprises investing make 到位资金 the investment that arrived.
      {"引导厦门企业到临夏投资兴业,到位资金9.6亿元", "investment"},
      {"今年以来,苏州企业落地铜仁,到位资金12.5亿元", "investment"},
      {"珠海引导格力、华发等企业到怒江投资,累计到位资金3.6亿元", "investment"},
      {"上海市财政援助资金全部到位,到位资金9.6亿元", "fiscal_aid"},
      {"东部省市累计投入财政援助和社会帮扶资金1005亿多元", "fiscal_aid"},
      // A rate paid each person is no aid total.
      {"对来津务工的贫困劳动力每人给予500元一次性交通补贴", "other"},
      {"给予一次性交通补助,每人最高800元", "other"},
      // Unless the clause names the fund that pays it.
      {"对乘坐专列的务工人员,由苏铜扶贫协作资金每人给予一次性交通补贴500元", "fiscal_aid"},
      {"企业与结对村签订协议,现场认捐帮扶资金320万元", "social_aid"},
  });
}

// A deal's amount is a purchase where its sentence named one before it,
// an investment otherwise.
TEST_F(extract_test, a_deal_is_a_purchase_where_its_sentence_says_so) {
  expect_one_figure_each({
      {"机关食堂现场签订农产品采购协议,签约金额860万元", "consumption"},
      {"津甘消费扶贫展销会签约金额达3.6亿元", "consumption"},
      {"京蒙产业合作对接会在北京举行,签约金额127.4亿元", "investment"},
      // Produce bought up, and goods shipped, by their value.
      {"合作社与企业签订芒果收购协议,今年的收购金额达到460万元", "consumption"},
      {"首批认证芒果装车发往深圳,货值约48万元", "consumption"},
      // Things donated are social aid, and books are counted.
      {"爱心企业向当地学校捐赠图书4.2万册", "social_aid"},
      // Orders sold are counted.
      {"我们的小粒咖啡一晚上就卖了1.2万单", "consumption"},
      // Taxes paid and a park's output are no aid at all.
      {"福建企业落户宁夏,年上缴税收超过5亿元", "other"},
      {"今年园区预计实现产值15.3亿元", "other"},
      {"引导杭州企业到恩施投资,签约金额41.2亿元", "investment"},
  });
}

// What the enterprises counted do there, said after their noun, governs
// over the noun: donors, and the west's exhibitors at a fair, are no
// enterprises brought in. Eastern enterprises shown in the west were
// brought there.
TEST_F(extract_test, what_counted_enterprises_do_governs_their_noun) {
  const auto tianjin = with_pair({"天津", "甘肃", "天津", "甘肃", 1, text_field::body, 0, 0});
  expect_metrics(tianjin, {
      {"来自甘肃14个市州的260余家企业携特色农产品参展。", 260, "other"},
      {"甘肃组织112家企业带来牛羊肉、中药材等特色产品。", 112, "other"},
      {"展会吸引1200余种农特产品,参展企业430家。", 430, "other"},
      {"天津已引导340家企业和个人向甘肃捐资捐物。", 340, "other"},
      {"务工人员将分赴天津武清等地的32家企业上岗。", 32, "other"},
      {"天津组织135家用工企业举办专场招聘会。", 135, "other"},
      {"举办专场招聘会70场,参会企业1.3万家次。", 13000, "other"},
      // Eastern exhibitors, and what is said outside the clause.
      {"天津组织8家高新技术企业参展。", 8, "enterprises"},
      {"引导62家天津企业到甘肃投资兴业,参展产品丰富。", 62, "enterprises"},
      {"天津新引进企业17家落户甘肃。", 17, "enterprises"},
  });
}

TEST_F(extract_test, qizhong_clause_inherits_metric) {
  const auto figs = run("学校共培训4482人,其中贫困劳动力1452人。");
  ASSERT_EQ(figs.size(), 2u);
  EXPECT_EQ(figs[1].metric, "training");
  // Not over a cue of its own attached to it; through a verb, a place named
  // further on is no cue of its own.
  const auto own = run("联合培训致富带头人3200人,其中1460人创业成功。");
  ASSERT_EQ(own.size(), 2u);
  EXPECT_EQ(own[1].metric, "other");
  const auto through = run("28个合作签约项目已落地实施,其中20个选址在贫困县。");
  ASSERT_EQ(through.size(), 2u);
  EXPECT_EQ(through[1].metric, "projects");
}

TEST_F(extract_test, original_offsets_follow_origin) {
  auto body = identity("资金500万元");
  for (auto& o : body.origin) o += 100;  // as if 100 bytes were removed before
  extractor ex(data_);
  std::vector<figure> out;
  ex.extract(identity(""), body, classification{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].mentions[0].orig_begin, 106u);
  EXPECT_EQ(out[0].mentions[0].orig_end, 100u + body.text.size());
}

TEST_F(extract_test, side_from_pair_names) {
  const auto cls = with_pair({"上海", "云南", "上海", "文山", 1, text_field::body, 0, 0});
  extractor ex(data_);
  std::vector<figure> out;
  ex.extract(identity(""), identity("上海投入帮扶资金6亿元。"), cls, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].side, "east");
}

// Villages and other grassroots units (街镇, 街道, 社区) counted are pairings
// where they are paired or helped, other figures otherwise, never counties.
TEST_F(extract_test, villages_are_pairings_only_where_paired_or_helped) {
  expect_metrics({}, {
      {"对尚未摘帽的8个贫困县和300个贫困村实施挂牌督战。", 300, "other"},
      {"帮扶项目覆盖200多个贫困村。", 200, "other"},
      {"全县30个深度贫困村全部出列。", 30, "other"},
      {"引导企业与15个贫困村结成对子。", 15, "pairings"},
      {"年内共帮扶20个贫困村资金300万元。", 20, "pairings"},
      {"全市40个行政村纳入帮扶。", 40, "pairings"},
      {"全市1163个街镇、村(社区)、企业、学校、医院等与云南贫困村建立结对关系。", 1163, "pairings"},
      {"双方推动20个街道、社区和企业与临潭县的村开展结对帮扶。", 20, "pairings"},
      {"江苏402个经济强村(社区)、企业与陕西脱贫村结对。", 402, "pairings"},
      {"全区12个街道开展志愿服务。", 12, "other"},
  });
}

// A comma inside a number breaks no clause: the verb before the first
// figure still reaches the second.
TEST_F(extract_test, a_comma_inside_a_number_breaks_no_clause) {
  expect_metrics({}, {
      {"带动周边农户2,300余户、8,000多人。", 8000, "people_benefited"},
      {"带动周边农户２，３００余户、８，０００多人。", 8000, "people_benefited"},
  });
}

// A percentage that is a share of funds takes the funds' metric; other
// percentages (growth, completion) stay other.
TEST_F(extract_test, a_share_of_funds_is_a_fund_figure) {
  expect_metrics({}, {
      {"其中用于贫困村的资金达800万元,占援助资金的61.5%。", 61.5, "fiscal_aid"},
      {"其中70%以上的资金用于产业发展。", 70, "fiscal_aid"},
      {"销售额同比增长35.2%。", 35.2, "other"},
      {"资金到位率达到98%。", 98, "other"},
  });
}

// A count of counties or districts named right after a place of the
// item's pair: after an eastern one they are units taking part in pairings,
// after a western one the counties helped; other words between (帮扶的)
// leave the metric to the cues.
TEST_F(extract_test, units_counted_after_a_side_of_the_pair) {
  const region_pair beijing{"北京", "河北", "北京", "承德州", 1, text_field::body, 0, 0};
  expect_metrics(with_pair(beijing), {
      {"北京市13个区对口帮扶承德市5个县。", 13, "pairings"},
      {"北京市13个区对口帮扶承德市5个县。", 5, "counties"},
      {"北京帮扶的5个县全部脱贫摘帽。", 5, "counties"},
  });
  const region_pair jiangsu{"江苏", "陕西", "江苏", "陕西", 1, text_field::body, 0, 0};
  expect_metrics(with_pair(jiangsu), {
      {"江苏8个市30个县(市、区)结对帮扶陕西56个县。", 30, "pairings"},
      {"江苏8个市30个县(市、区)结对帮扶陕西56个县。", 56, "counties"},
      {"江苏各市与陕西56个脱贫县建立结对关系。", 56, "counties"},
  });
  // Cities or prefectures counted ahead of the finer units that take part
  // are neither counties nor pairing units, on either side; alone, or in a
  // list with districts, they are the pairing units.
  expect_metrics(with_pair(jiangsu), {
      {"江苏8个市30个县(市、区)结对帮扶陕西56个县。", 8, "other"},
      {"江苏各地结对帮扶陕西10个市(州)56个县。", 10, "other"},
      {"陕西7個市州25個貧困縣組織企業參展。", 7, "other"},
      {"江苏14个市、区与陕西14个贫困区县结对帮扶。", 14, "pairings"},
      {"江苏省10个市结对帮扶陕西省56个县。", 10, "pairings"},
      {"陕西9个县区和30多个市直部门与江苏开展对接。", 30, "other"},
      {"对承担协作任务的8个市(州)和68个被帮扶县进行考核。", 8, "other"},
      {"陕西10个州市56个贫困县全部脱贫摘帽。", 10, "other"},
  });
  // Western units of which the clause says the pairing itself are paired
  // units; named poor, or helped (结对帮扶), they are counties.
  expect_metrics(with_pair(jiangsu), {
      {"江苏各市与陕西15个县(区)实现结对全覆盖。", 15, "pairings"},
      {"江苏各市与陕西15个县建立结对关系。", 15, "pairings"},
      {"江苏各市与陕西35个贫困县建立结对关系。", 35, "counties"},
      {"江苏各市与陕西14个区县结对帮扶。", 14, "counties"},
  });
  // A name whose suffix could be read as one of the words between (杭州13个).
  const region_pair zhejiang{"浙江", "湖北", "杭州", "恩施州", 1, text_field::body, 0, 0};
  expect_metrics(with_pair(zhejiang), {
      {"杭州13个区、县(市)与恩施州8个县市结对帮扶。", 13, "pairings"},
  });
  // With no place of the pair before them, units that a clause pairs with
  // others (与…结对, 结成对子, 携手奔小康) are its first, helping party.
  expect_metrics(with_pair(jiangsu), {
      {"本市16个区与陕西省23个贫困县建立了一对一结对关系。", 16, "pairings"},
      {"省内有关7个区与陕西9个县开展携手奔小康行动。", 7, "pairings"},
      {"苏州10个区县与陕西8个县市全部结成对子。", 8, "pairings"},
  });
  // National roundups: 东部 and 西部 name the sides; provinces counted are none.
  expect_metrics({}, {
      {"东部地区343个县(市、区)与西部地区573个脱贫县开展携手促振兴行动。", 343, "pairings"},
      {"东部地区343个县(市、区)与西部地区573个脱贫县开展携手促振兴行动。", 573, "counties"},
      {"东部8个省市与西部10个省区市开展协作。", 10, "other"},
  });
  // A pair whose finest units are counties still knows their prefectures.
  region_pair shandong{"山东", "湖南", "历下", "花垣", 1, text_field::body, 0, 0};
  shandong.east_prefecture = "济南";
  shandong.west_prefecture = "湘西州";
  expect_metrics(with_pair(shandong), {
      {"济南市10个区县与湘西州8个县市建立结对关系。", 10, "pairings"},
  });
  // 结对帮扶关系 states the pairing; a long noun phrase still names counties.
  expect_metrics(with_pair({"上海", "贵州", "上海", "遵义", 1, text_field::body, 0, 0}), {
      {"上海市5个区与遵义市9个县(市、区)建立结对帮扶关系。", 9, "pairings"},
  });
  expect_metrics(with_pair({"广东", "广西", "广东", "广西", 1, text_field::body, 0, 0}), {
      {"广东结对帮扶广西33个国家扶贫开发工作重点县。", 33, "counties"},
  });
  // 县级 makes the county an adjective: the count is of hospitals.
  expect_metrics(with_pair(jiangsu), {
      {"江苏6家医院与陕西9家县级医院建立了结对关系。", 9, "pairings"},
  });
}

// A measure word of occasions or objects (场, 批, 笔, 套, 类, 台) counts
// nothing a metric names, whatever cue stands near it.
TEST_F(extract_test, occasions_and_objects_count_other) {
  expect_metrics({}, {
      {"浙江医疗专家开展新技术新项目85项。", 85, "other"},
      {"组织8家高新技术企业参展。", 8, "enterprises"},
      {"签订劳务协作、消费帮扶等协议11份。", 11, "other"},
      {"东部企业提供就业岗位4600余个。", 4600, "other"},
      {"在产业园区举办招聘会12场。", 12, "other"},
      {"向贫困县区派遣支教教师14批、917人次。", 14, "other"},
      {"为入园企业发放贷款708笔。", 708, "other"},
      {"为贫困县捐赠电脑200台。", 200, "other"},
      {"帮助引进企业21家。", 21, "enterprises"},
  });
}

const char* seed_path(const char* prefix) {
  static std::string path;
  for (const char* name : {"002_637307140aa17640.txt", "004_f39b547730eb921e.txt"})
    if (std::string_view(name).substr(0, 3) == prefix) path = std::string(COOPWATCH_SHARED_DIR) + "/corpus/seeds/" + name;
  return path.c_str();
}

TEST_F(extract_test, seed_002_key_figures) {
  const auto text = slurp(seed_path("002"));
  if (text.empty()) GTEST_SKIP() << "seed corpus not available";
  const auto figs = run(text);
  auto has = [&](double v, const char* unit, const char* metric) {
    for (const auto& f : figs)
      if (close(f.value, v) && f.unit == unit && f.metric == metric) return true;
    return false;
  };
  EXPECT_TRUE(has(13308000000, "CNY", "fiscal_aid"));
  EXPECT_TRUE(has(4127, "count", "projects"));
  EXPECT_TRUE(has(372200, "person", "people_lifted"));
  EXPECT_TRUE(has(2448, "person", "professionals"));
}

TEST_F(extract_test, seed_004_no_figure_from_phone_or_icp) {
  const auto text = slurp(seed_path("004"));
  if (text.empty()) GTEST_SKIP() << "seed corpus not available";
  for (const auto& f : run(text)) {
    EXPECT_EQ(f.text.find("0531"), std::string::npos) << f.text;
    EXPECT_EQ(f.text.find("65367254"), std::string::npos) << f.text;
    EXPECT_EQ(f.text.find("11041399"), std::string::npos) << f.text;
    EXPECT_EQ(f.text.find("11010502035964"), std::string::npos) << f.text;
  }
}

// The error loading the extractor's data from these three files gives.
std::string load_error(const char* units, const char* metrics) {
  data_files files;
  files["extract/units.tsv"] = units;
  files["extract/metrics.tsv"] = metrics;
  files["extract/cues.tsv"] = "";
  try {
    (void)load_extractor_data(files);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(extract_data, bad_rows_are_reported_with_file_and_line) {
  const auto error = load_error("元\tCNY\n人\tnobody\n", "资金\tfiscal_aid\tmoney\t1\n");
  EXPECT_NE(error.find("extract/units.tsv:2"), std::string::npos) << error;
}

TEST(extract_data, an_unknown_role_is_reported_with_file_and_line) {
  const auto error = load_error("元\tCNY\n",
                                "资金\tfiscal_aid\tmoney\t1\n民营企业\tsocial_aid\tmoney\t0\tgiver\n"
                                "商会\tsocial_aid\tmoney\t0\tdonor\n");
  EXPECT_NE(error.find("extract/metrics.tsv:3"), std::string::npos) << error;
  EXPECT_NE(error.find("giver"), std::string::npos) << error;
}

}  // namespace
}  // namespace coopwatch::core
