// Relevance and pairing: the golden cases of tests/data/classify/cases.tsv
// (pair patterns, every negative cue), the explain data (cues), topics,
// data errors at load, and the lexicon matcher (against a naive search, and
// its overlap rule).
#include "coopwatch/core/classify.h"
#include "coopwatch/core/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/data_dir.h"
#include "../../daemon/core/src/call_stamp.h"  // internal
#include "../../daemon/core/src/classify_data.h"
#include "../../daemon/core/src/lexicon_matcher.h"  // internal: the core keeps src/ private
#include "../../daemon/core/src/sentence_ends.h"
#include "quality_sets.h"

namespace coopwatch::core {
namespace {

const data_files& files() {
  static const data_files f = io::read_data_dir(COOPWATCH_DATA_DIR);
  return f;
}

const std::shared_ptr<const classifier_data>& data() {
  static const auto d = load_classifier_data(files());
  return d;
}

normalized_text text(std::string s) {
  normalized_text t;
  t.text = std::move(s);
  t.origin.resize(t.text.size() + 1);
  for (std::size_t i = 0; i < t.origin.size(); ++i) t.origin[i] = static_cast<std::uint32_t>(i);
  return t;
}

classification run(const std::string& title, const std::string& body) {
  classifier c(data());
  classification out;
  c.classify(text(title), text(body), out);
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

struct golden {
  std::string name, title, body;
  bool relevant = false;
  std::set<std::string> pairs;
};

std::vector<golden> read_cases() {
  std::ifstream in(std::string(COOPWATCH_TEST_DATA) + "/classify/cases.tsv");
  std::vector<golden> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto cols = split(line, '\t');
    if (cols.size() != 5) throw std::runtime_error("cases.tsv: bad line: " + line);
    golden g{cols[0], cols[1], cols[2], cols[3] == "1", {}};
    if (cols[4] != "-")
      for (auto& p : split(cols[4], ';')) g.pairs.insert(p);
    out.push_back(std::move(g));
  }
  return out;
}

TEST(Classify, GoldenCases) {
  auto cases = read_cases();
  ASSERT_GE(cases.size(), 20u);
  for (const auto& g : cases) {
    auto out = run(g.title, g.body);
    std::string why;
    for (const auto& c : out.cues) why += " " + c.kind + ":" + c.cue + "=" + std::to_string(c.weight);
    EXPECT_EQ(out.relevant, g.relevant) << g.name << " score " << out.score << why;
    if (!g.relevant) continue;
    std::set<std::string> got;
    for (const auto& p : out.pairs) got.insert(p.east + "-" + p.west);
    EXPECT_EQ(got, g.pairs) << g.name << why;
  }
}

// The daemon's verdict mode decides an item that cannot reach the threshold
// early, and must agree with the full classification on every item: the
// golden cases, the whole dev corpus and extra*.jsonl (raw text standing in
// for normalised text: agreement is what is tested, not accuracy).
TEST(Classify, VerdictModeAgreesWithFullClassification) {
  classifier c(data());
  classification full, verdict;
  std::size_t early = 0, items = 0;
  auto check = [&](const std::string& title, const std::string& body, const std::string& name) {
    ++items;
    c.classify(text(title), text(body), full);
    c.classify(text(title), text(body), verdict, classify_detail::verdict);
    EXPECT_EQ(verdict.relevant, full.relevant) << name;
    EXPECT_FALSE(full.decided_early);
    EXPECT_TRUE(verdict.cues.empty()) << name;  // never listed in verdict mode
    if (verdict.decided_early) {
      ++early;
      EXPECT_FALSE(verdict.relevant);
      return;
    }
    // What an event carries is the same.
    EXPECT_EQ(verdict.score, full.score) << name;
    EXPECT_EQ(verdict.topics, full.topics) << name;
    ASSERT_EQ(verdict.pairs.size(), full.pairs.size()) << name;
    for (std::size_t i = 0; i < full.pairs.size(); ++i) {
      EXPECT_EQ(verdict.pairs[i].east, full.pairs[i].east) << name;
      EXPECT_EQ(verdict.pairs[i].west, full.pairs[i].west) << name;
      EXPECT_EQ(verdict.pairs[i].east_unit, full.pairs[i].east_unit) << name;
      EXPECT_EQ(verdict.pairs[i].west_unit, full.pairs[i].west_unit) << name;
      EXPECT_EQ(verdict.pairs[i].mentions, full.pairs[i].mentions) << name;
      EXPECT_EQ(verdict.pairs[i].begin, full.pairs[i].begin) << name;
    }
  };
  for (const auto& g : read_cases()) check(g.title, g.body, g.name);
  for (const std::string& corpus : test_data::labelled_corpora()) {
    std::ifstream in(corpus);
    ASSERT_TRUE(in) << corpus;
    std::string line;
    while (std::getline(in, line)) check("", line, line.substr(0, 40));
  }
  EXPECT_GT(items, 140u);
  EXPECT_GT(early, 10u);  // the shortcut is taken at all
}

TEST(Classify, VerdictModeDecidesOnlyHopelessItems) {
  classifier c(data());
  classification out;
  c.classify(text("天气预报"), text("明天有雨。"), out, classify_detail::verdict);
  EXPECT_TRUE(out.decided_early);
  EXPECT_FALSE(out.relevant);
  c.classify(text("沪滇协作"), text("上海市与云南省开展东西部扶贫协作。"), out, classify_detail::verdict);
  EXPECT_FALSE(out.decided_early);
  EXPECT_TRUE(out.relevant);
  // Negative cues that no pair evidence could outweigh decide it too.
  c.classify(text("援藏干部"), text("对口支援西藏的援藏干部抵达拉萨,开展援藏工作。"), out, classify_detail::verdict);
  EXPECT_TRUE(out.decided_early);
  EXPECT_FALSE(out.relevant);
  // A programme term short of the threshold: pair evidence could carry it
  // only if the places could form a pair: an eastern and a western side
  // that the programme pairs.
  c.classify(text("会议"), text("上海市召开扶贫协作工作会议。"), out, classify_detail::verdict);
  EXPECT_TRUE(out.decided_early);  // only an eastern place
  c.classify(text("会议"), text("云南省召开扶贫协作工作会议。"), out, classify_detail::verdict);
  EXPECT_TRUE(out.decided_early);  // only a western place
  c.classify(text("会议"), text("上海市与云南省召开扶贫协作工作会议。"), out, classify_detail::verdict);
  EXPECT_FALSE(out.decided_early);  // both sides, paired by the programme: pairs are looked for
  c.classify(text("会议"), text("上海市与甘肃省召开扶贫协作工作会议。"), out, classify_detail::verdict);
  EXPECT_TRUE(out.decided_early);  // both sides, but the programme does not pair them
  c.classify(text("会议"), text("沪滇召开扶贫协作工作会议。"), out, classify_detail::verdict);
  EXPECT_FALSE(out.decided_early);  // a pair word alone
}

// The pipeline classifies in full unless told it only needs the verdict
// (the daemon): explain keeps every cue of an irrelevant item.
TEST(Classify, PipelineKeepsCuesUnlessVerdictOnly) {
  const auto res = load_resources(files());
  const std::string record =
      R"({"id":"x","title":"援藏干部","body":"对口支援西藏的干部抵达拉萨。","source":"s","url":"u","published_at":"2020-01-01"})";
  pipeline full(res, {});
  (void)full.process(record, "2026-01-01T00:00:00Z");
  EXPECT_FALSE(full.last_classification().relevant);
  EXPECT_FALSE(full.last_classification().cues.empty());  // 援藏, 对口支援 …
  pipeline_options daemon;
  daemon.verdict_only = true;
  pipeline quick(res, daemon);
  (void)quick.process(R"({"id":"y","title":"天气","body":"明天有雨。","source":"s","url":"u","published_at":"2020-01-01"})",
                      "2026-01-01T00:00:00Z");
  EXPECT_TRUE(quick.last_classification().decided_early);
}

// Sentence ends found 16 bytes at a time: every kind, at every offset
// around a block edge, against a byte-by-byte search.
TEST(SentenceEnds, EveryKindAtEveryOffset) {
  const std::string ends[] = {"。", "！", "？", "；", "!", "?", ";", "\n"};
  std::vector<std::uint32_t> got;
  for (const auto& e : ends)
    for (std::size_t pad = 0; pad < 40; ++pad) {
      const std::string text = std::string(pad, 'a') + e + "协作、“帮扶”" + e;
      detail::find_sentence_ends(text, got);
      const std::vector<std::uint32_t> want = {static_cast<std::uint32_t>(pad),
                                               static_cast<std::uint32_t>(text.size() - e.size())};
      EXPECT_EQ(got, want) << pad << " " << e;
    }
  detail::find_sentence_ends("", got);
  EXPECT_TRUE(got.empty());
  // Near misses, sharing the lead byte or two bytes with an end (，、〃＀ ｛),
  // at every offset, and ends cut short by the end of the text.
  for (std::size_t pad = 0; pad < 40; ++pad) {
    detail::find_sentence_ends(std::string(pad, 'a') + "，、〃＀｛协作，、〃＀｛" + "\xEF\xBC", got);
    EXPECT_TRUE(got.empty()) << pad;
    detail::find_sentence_ends(std::string(pad, 'a') + "\xE3\x80", got);
    EXPECT_TRUE(got.empty()) << pad;
  }
  EXPECT_TRUE(detail::has_sentence_end("上海。"));
  EXPECT_FALSE(detail::has_sentence_end("上海、云南"));
}

TEST(Classify, ScoreIsTheSumOfCues) {
  auto out = run("沪滇扶贫协作联席会议召开", "上海市对口帮扶云南省,投入财政援助资金。");
  double sum = 0;
  for (const auto& c : out.cues) sum += c.weight;
  EXPECT_NEAR(sum, out.score, 1e-9);
  EXPECT_EQ(out.threshold, 3);
  EXPECT_TRUE(out.relevant);
}

TEST(Classify, CuesCarryPositions) {
  const std::string title = "沪遵扶贫协作第九次联席会议在遵义举行";
  auto out = run(title, "");
  auto it = std::find_if(out.cues.begin(), out.cues.end(), [](const cue_hit& c) { return c.cue == "扶贫协作"; });
  ASSERT_NE(it, out.cues.end());
  EXPECT_EQ(it->field, text_field::title);
  EXPECT_EQ(title.substr(it->begin, it->end - it->begin), "扶贫协作");
  EXPECT_EQ(it->kind, "programme_term");
}

TEST(Classify, LongerTermHidesContainedOne) {
  auto out = run("东西部扶贫协作", "");
  for (const auto& c : out.cues) EXPECT_NE(c.cue, "扶贫协作");
}

TEST(Classify, PairCarriesFinerUnitsAndSpan) {
  const std::string body = "济南市对口帮扶湘西州,济南市与湘西州召开联席会议。";
  auto out = run("济南湘西扶贫协作", body);
  ASSERT_EQ(out.pairs.size(), 1u);
  const auto& p = out.pairs[0];
  EXPECT_EQ(p.east, "山东");
  EXPECT_EQ(p.west, "湖南");
  EXPECT_EQ(p.east_unit, "济南");
  EXPECT_EQ(p.west_unit, "湘西州");
  EXPECT_GE(p.mentions, 2u);
  EXPECT_EQ(p.west_prefecture, "");  // a prefecture itself
  // A county as the finest unit carries its prefecture, for the extractor.
  auto county = run("济南湘西扶贫协作", "济南市历下区对口帮扶湘西州花垣县,两地召开联席会议。");
  ASSERT_EQ(county.pairs.size(), 1u);
  EXPECT_EQ(county.pairs[0].west_unit, "花垣");
  EXPECT_EQ(county.pairs[0].west_prefecture, "湘西州");
  EXPECT_EQ(county.pairs[0].east_prefecture, "济南");
}

// Whole items and whether each is relevant, with the reason in a comment.
struct relevance_case {
  const char* title;
  const char* body;
  bool relevant;
};
void expect_relevance(std::initializer_list<relevance_case> cases) {
  for (const auto& c : cases) EXPECT_EQ(run(c.title, c.body).relevant, c.relevant) << c.title;
}

TEST(Classify, LookAlikesOfLaterSets) {
  expect_relevance({
      // A review of a drama or a novel set in the programme is about the work.
      {"《山海情》:一部土味剧何以圈粉无数",
       "电视剧《山海情》讲述闽宁扶贫协作的故事,收视一路走高。剧中主演饰演的干部来自福建,"
       "剧组在宁夏取景,豆瓣评分9.4。导演说,演员们在闽宁镇生活了三个月。",
       false},
      {"评长篇小说《云岭之约》", "长篇小说《云岭之约》写沪滇扶贫协作中一位上海援滇干部的故事,小说语言质朴。", false},
      // A place name that begins a university's name names no place: the
      // universities' own 对口支援 scheme pairs no provinces.
      {"浙江大学对口支援贵州大学签署新一轮合作协议",
       "浙江大学与贵州大学在贵阳签署新一轮对口支援协议,浙江大学将选派教师赴贵州大学挂职。", false},
      // The programme's members counted (东部8省市, 西部10省区市) are its own
      // words; the Western Development's twelve provinces are not.
      {"2021年东部8省市向西部10省区市投入财政援助资金229.6亿元",
       "2021年,东部8省市共向西部10省区市投入财政援助资金229.6亿元。", true},
      {"西部12省区市经济增速领跑全国", "今年前三季度,西部12省区市地区生产总值同比增长5.6%。", false},
      // A province's help to its own areas, in the west as in the east.
      {"成都对口帮扶甘孜工作座谈会召开", "成都市对口帮扶甘孜州,今年投入帮扶资金2.1亿元,实施项目120个。", false},
      {"省内对口帮扶再出发", "我省保持省内对口帮扶关系总体稳定,德阳市继续结对帮扶阿坝州,投入帮扶资金8000万元。", false},
      // A city's review of all its outbound aid (对口工作综述) is a mixed
      // review: its 援疆, 援藏 and domestic pairings are its other sections.
      {"2020年杭州市对口工作综述",
       "杭州全面完成东西部扶贫协作和对口支援各项任务。杭州对口帮扶恩施州,东西部扶贫协作投入财政帮扶资金3.2亿元。"
       "扶贫协作项目186个全部完工。东西部扶贫协作劳务协作帮助恩施1.2万人就业。"
       "援疆方面,杭州对口支援新疆阿克苏投入资金5亿元。援藏方面,杭州对口支援西藏那曲投入资金2亿元。"
       "省内山海协作方面,杭州与衢州、丽水结对共建产业园。",
       true},
      // 浙江's own 山海协作, even where its partner counties are named beside
      // the programme's.
      {"山海协作再升级 浙江26个山区县产业飞地今年新引进项目投资超百亿元",
       "浙江深化山海协作工程,26个山区县与沿海发达县市结对共建产业飞地。杭州与衢州共建山海协作产业园。"
       "与此同时,浙江还深化浙川东西部协作。",
       false},
      // 东西部协作地区 is one term, not 东西部协作 and 西部协作地区 overlapping:
      // a job fair that names it once is a passing mention.
      {"杭州春季人才招聘会举行 600余家企业提供岗位1.8万个",
       "杭州春季人才招聘会今天举行,600余家企业提供岗位1.8万个,吸引求职者2.6万人次。"
       "招聘会现场签约4200余人。其中设立了东西部协作地区劳动力专场。",
       false},
      // Sport between paired places.
      {"村超赛场迎来广州客队 榕江万人球场再掀热潮",
       "本周末,广州荔湾区业余球队作为客队来到榕江,与当地球队进行比赛,吸引球迷超过6万人次。"
       "荔湾区与榕江县是东西部协作结对区县,两地以球会友。",
       false},
      // A government work report with the programme as one of its sections.
      {"政府工作报告(摘要)——2021年1月6日在闵行区人民代表大会上",
       "过去一年,全区地区生产总值增长5.6%,新增就业岗位3.2万个。全力做好东西部扶贫协作和对口支援工作,"
       "闵行对口帮扶云南5个贫困县全部脱贫摘帽。今年将持续推进城市更新、教育医疗和营商环境建设。",
       false},
      // A zone the two provinces run together is a business zone.
      {"粤桂合作特别试验区前三季度新签约项目38个",
       "粤桂合作特别试验区前三季度新签约项目38个,总投资186亿元,试验区加强两地产业协作。", false},
      // An air route between paired places is about flights.
      {"上海至西双版纳航线加密至每日两班 沪滇空中走廊再提速",
       "东航将上海浦东至西双版纳航线加密至每日两班,沪滇往来更加便捷,前三季度运送旅客32.6万人次。", false},
      // An eastern province's 全省对口帮扶支援合作 is its outbound work, the
      // programme's among it.
      {"全省对口帮扶支援合作工作会议召开 苏陕苏青协作持续深化",
       "会议总结了苏陕、苏青东西部协作工作,江苏今年向陕西投入财政援助资金25.6亿元。", true},
      // Power sent east over the grid, even where the article calls it
      // 东西部协作.
      {"陇电入鲁特高压工程全面投运 每年向山东输送清洁电能超360亿千瓦时",
       "陇东—山东特高压直流输电工程全面投运,起于甘肃庆阳,止于山东泰安,总投资202亿元。"
       "陇电入鲁是甘鲁两省深化东西部协作、推进能源领域合作的标志性成果。",
       false},
      // A programme term inside a look-alike's name (省内对口帮扶协作 holds
      // 帮扶协作) is part of that name: the title names no programme.
      {"广东深化省内对口帮扶协作 珠三角与粤东粤西粤北手拉手共发展",
       "广东深化省内对口帮扶协作,广州、深圳等珠三角城市与汕头、韶关、梅州等城市结对帮扶。"
       "省内对口帮扶协作是推进百县千镇万村高质量发展工程的重要抓手。广州在梅州建设产业转移工业园,开展消费协作。"
       "深圳对口帮扶汕尾,推动产业协作。广东建立了省内对口帮扶协作考核评价制度。"
       "与国家层面的东西部协作类似,省内对口帮扶协作体现了先富带后富的理念。",
       false},
      // An obituary recalls a career; the programme is one line of it.
      {"周启明同志逝世",
       "福建省原副省长周启明同志因病医治无效逝世,享年86岁。周启明同志曾多次带队赴西海固考察,"
       "推动建立闽宁对口扶贫协作联席会议制度。遗体告别仪式定于3月12日举行。",
       false},
      // The Pan-Pearl River Delta's regional cooperation, its provinces
      // named together.
      {"2024年泛珠三角区域合作行政首长联席会议在昆明举行",
       "泛珠三角区域合作行政首长联席会议在昆明举行,福建、江西、湖南、广东、广西、海南、四川、贵州、云南"
       "九省区和香港、澳门特别行政区负责人出席。会议签署合作项目112个。",
       false},
      // A province's own "east-west" cooperation (山东's 省内东西部扶贫协作).
      {"省扶贫办负责人就全省省内东西部扶贫协作工作答记者问",
       "全省深入推进省内东西部扶贫协作,东部6市结对帮扶菏泽、临沂两市的20个县,今年投入帮扶资金3.2亿元。"
       "省内东西部扶贫协作是全省脱贫攻坚的重要举措。",
       false},
      // A generic programme word in the title (联席会议) makes no mixed review
      // of another programme's meeting.
      {"吉浙对口合作第五次联席会议在长春召开 现场签约项目32个",
       "吉林省—浙江省对口合作第五次联席会议在长春召开。双方总结交流对口合作工作进展,现场签约项目32个。"
       "吉林9个市(州)与浙江9个市结成对口合作关系。两省互派挂职干部1100余人次。"
       "其中,宁波市与延边州在过去东西部扶贫协作的基础上,持续深化对口合作。",
       false},
      // 京津冀协同发展 is its own national strategy: named in the title, the
      // item is about it, though 北京 and 河北 are a pair of the programme...
      {"北京去年疏解一般制造业企业656家 京津冀协同发展持续深化",
       "2018年北京市持续推进京津冀协同发展,全年疏解一般制造业企业656家。\n"
       "交通一体化方面,京张高铁、京雄城际铁路建设加快推进,北京大兴国际机场将于今年9月底前投入运营。"
       "生态环境联防联治方面,京冀两地签署密云水库上游潮白河流域水源涵养区横向生态保护补偿协议,"
       "北京向河北承德、张家口两市支付补偿资金。产业协作方面,北京企业在河北投资认缴额累计超过7000亿元,"
       "京津冀三地共建的曹妃甸协同发展示范区加快建设。",
       false},
      // Two paired places in a title beside a word that names a look-alike
      // (航线) make no programme of it ...
      {"遵义新舟机场至上海虹桥航线冬春航季加密至每日2班",
       "10月27日起,遵义新舟机场至上海虹桥航线由每日1班加密至每日2班,由东方航空执飞。\n"
       "据介绍,遵义与上海往来密切,随着沪遵扶贫协作深入推进,两地商务、旅游往来日益频繁。\n"
       "此外,新航季遵义新舟机场还新开通遵义至厦门、遵义至西安航线,通航城市达28个。",
       false},
      // ... beside a loose one (对口支援 said of 沪滇's funds) they do.
      {"上海对口支援资金助元阳梯田红米走出大山",
       "今年上海市对口支援元阳县财政资金三千余万元,其中1200万元用于梯田红米加工厂建设。"
       "在上海援滇干部牵线下,上海多家企业与元阳签订红米采购协议。\n"
       "沪滇扶贫协作开展以来,上海在红河州累计援建各类项目1100多个。",
       true},
      // A place name before 社区 names a community (锦绣花都社区 in 黔西),
      // not 广州's 花都: a 贵州 item of its own relocation work.
      {"贵州192万搬迁群众稳得住能致富",
       "清晨7点,贵州省黔西市锦绣花都社区的就业帮扶车间里,搬迁群众已经忙碌起来。\n"
       "十三五期间,贵州实施易地扶贫搬迁192万人,在949个集中安置点配套建设产业园区、就业帮扶车间。",
       false},
      // The office that runs all of a city's outbound aid, named in a title,
      // heads a mixed review as 对口工作 does.
      {"广州市对口支援协作和帮扶合作办公室2022年工作总结",
       "2022年,市对口支援协作和帮扶合作办公室统筹推进东西部协作、对口支援、对口合作和省内对口帮扶工作。\n"
       "一、东西部协作。广州对口帮扶贵州毕节、黔南,全年投入财政援助资金12.6亿元。\n"
       "深化东西部协作劳务协作,帮助毕节、黔南农村劳动力转移就业8.2万人。\n"
       "东西部协作消费协作成效明显,全年采购、帮助销售两地农特产品86亿元。\n"
       "二、对口支援新疆西藏。全年安排援疆援藏资金7.6亿元,选派援疆援藏干部人才210名。\n"
       "三、对口合作。广州与齐齐哈尔对口合作签约项目28个。\n"
       "四、省内对口帮扶。全年投入省内对口帮扶资金9.8亿元。",
       true},
      // The schemes that send graduates and retired teachers west are their
      // own (研究生支教团, 西部计划, 银龄讲学), whoever sends them.
      {"把青春写在苍山洱海间——上海交大研究生支教团的洱源一年",
       "去年8月,上海交通大学第二十二届研究生支教团的6名成员来到云南洱源县,开始为期一年的支教服务。\n"
       "研究生支教团是大学生志愿服务西部计划的一部分。上海的老师与洱源的孩子结下深厚情谊,"
       "上海交大还通过定点帮扶为洱源援建图书室。",
       false},
      // 北京's schools in 雄安新区 are 京津冀协同发展's 对口帮扶, though 雄安's
      // counties lie in 保定, a unit of the programme's pairing.
      {"北京四所优质学校对口帮扶雄安新区 三校一院交钥匙项目加快建设",
       "北京市4所优质学校对口帮扶雄安新区,北京市援建的三校一院交钥匙项目加快建设。"
       "雄安新区管委会负责人表示,北京学校对口帮扶雄安学校,选派骨干教师62名到雄安任教。"
       "此外,北京与保定加强产业协作,推动雄安新区承接北京非首都功能疏解。",
       false},
      // Another cooperation that holds the programme up as its model
      // (借鉴东西部协作的经验) is not the programme.
      {"川渝毗邻区县结对帮扶再升级",
       "川渝毗邻地区协作推进会在广安召开。川渝两地18对毗邻区县签订新一轮结对帮扶协议,"
       "双方将在劳务协作、消费帮扶、干部人才交流等方面深化合作。\n"
       "会议提出,川渝两地要借鉴东西部协作的成熟经验,建立毗邻区县常态化对接机制。",
       false},
      // A personnel notice: one cadre's secondment to a paired county is one
      // line of a career.
      {"湖州市委管理干部任前公示",
       "现将拟任职干部情况公示如下:\n"
       "沈某某,现任湖州市发展和改革委员会副主任(2021年6月至2023年6月挂职四川省广元市青川县副县长,"
       "参与东西部协作工作),拟任湖州市经济和信息化局局长人选。",
       false},
      // The national platform for poor areas' produce names the programme as
      // one of its channels.
      {"消费帮扶添动能 脱贫地区农副产品网络销售平台2024年交易额突破200亿元",
       "2024年,脱贫地区农副产品网络销售平台全年交易额达到203.6亿元。平台覆盖832个脱贫县,"
       "各级预算单位通过平台采购脱贫地区农副产品。平台还与东西部协作、定点帮扶、消费帮扶专馆等渠道对接,"
       "推动消费帮扶常态化。",
       false},
      // A court's case between paired places is the court's news.
      {"讨薪有门!宝安法院为36名贵州籍农民工追回欠薪86万元",
       "近日,在宝安区法律援助处的帮扶下,宝安区人民法院审结一批涉农民工欠薪案件,为36名来自贵州毕节的农民工追回欠薪86万元。"
       "法院开通绿色通道,快立快审快执,帮助农民工及时拿到血汗钱。",
       false},
      // Eastern universities' enrolment quotas for the west are the
      // education ministry's scheme.
      {"2025年支援中西部地区招生协作计划下达 东部高校面向中西部安排招生名额",
       "教育部近日下达2025年支援中西部地区招生协作计划,安排招生名额18万名。\n"
       "北京、天津、上海、江苏、浙江、广东等14个省市的高校承担招生任务,"
       "面向贵州、四川、云南、甘肃等中西部省份招生。江苏、浙江两省高校安排名额2.4万名。",
       false},
      // A trade and investment fair: the programme's stand is one of many.
      {"第二十三届中国东西部合作与投资贸易洽谈会在西安开幕 签约项目总投资逾千亿元",
       "第二十三届中国东西部合作与投资贸易洽谈会在西安开幕,东部省市2000多家企业参展。\n"
       "展会设苏陕扶贫协作展区,江苏企业与陕西签约项目128个。",
       false},
      // Trains and weather between paired places.
      {"天津至敦煌“银发旅游专列”首发 八百余名老人游河西走廊",
       "“津甘之旅”银发旅游专列首发,天津和平区800余名老人乘车游览河西走廊。列车员对口服务,结对帮扶老人出行。",
       false},
      {"台风“韦帕”登陆湛江后西行入桂 粤桂联防协作严防强降雨",
       "台风韦帕在湛江登陆后西行进入广西,粤桂两省区气象部门联防协作,帮扶沿线群众转移避险。",
       false},
      // No programme term: a pair must be named as the programme is. 京蒙 in
      // a fire drill, with 协作 apart from it, is not ...
      {"京蒙跨区域森林草原灭火联合演练举行",
       "京蒙跨区域森林草原灭火联合演练在内蒙古锡林郭勒盟举行,共800余人参加演练。\n"
       "北京市森林消防总队与内蒙古森林消防总队对口衔接、协作配合,完成了火场侦察等科目。\n"
       "京蒙两地已签署森林草原防灭火联防协作协议。",
       false},
      // ... 闽宁 with its 协作 is, and so is a paired district with 帮扶.
      {"闽宁协作再结硕果 晋江企业在闽宁镇投产",
       "晋江一家服装企业在永宁县闽宁镇投产,吸纳当地群众200人就业。", true},
      {"粤桂协作|龙华区帮扶都安县 带动3.4万脱贫群众增收",
       "深圳市龙华区帮扶都安县发展产业,带动3.4万脱贫群众增收。", true},
      // A title that states a domestic pairing makes no review of the
      // programme, though its body gives the programme sections.
      {"广州对口帮扶梅州清远:从“输血”到“造血” 粤东西北乡村变了模样",
       "广州市对口帮扶梅州、清远两市,推动粤东西北乡村振兴。\n广州在梅州清远投入省内对口帮扶资金28亿元。\n"
       "此外,广州还承担东西部扶贫协作任务,对口帮扶贵州黔南、毕节。\n东西部扶贫协作方面,广州投入财政帮扶资金12亿元。\n"
       "广州与黔南开展劳务协作,帮助贫困劳动力就业。\n广州采购黔南农产品,开展消费扶贫。",
       false},
      // ... while the programme's items name it in passing.
      {"北京对口帮扶张家口 今年已落地帮扶项目87个",
       "在京津冀协同发展大背景下,北京市深入开展京张扶贫协作,今年已落地帮扶项目87个,"
       "投入财政帮扶资金3.2亿元,帮助张家口贫困县1.2万人脱贫。",
       true},
  });
  EXPECT_TRUE(run("浙江大学对口支援贵州大学", "浙江大学与贵州大学在贵阳签署对口支援协议。").pairs.empty());
  // 京冀扶贫协作 names the programme's pairing, where 京冀 alone would be
  // the region's: a 北京 review that names 河北 only beside 内蒙古.
  const auto review = run("本市扶贫协作工作领导小组召开全体会议",
                          "2019年,本市向内蒙古和河北投入财政帮扶资金49.6亿元。京蒙、京冀扶贫协作全面深化。");
  EXPECT_TRUE(std::any_of(review.pairs.begin(), review.pairs.end(),
                          [](const auto& p) { return p.east == "北京" && p.west == "河北"; }));
  // 其中 before 昭觉 makes no 中昭 (中山 -> 昭通).
  const auto liangshan = run("宁波凉山东西部协作首批项目集中开工",
                             "宁波对口帮扶凉山州,此次集中开工项目73个,使用协作资金4.6亿元,其中昭觉县高山蔬菜基地预计带动脱贫群众1.8万人。");
  for (const auto& p : liangshan.pairs) EXPECT_NE(p.east, "广东") << p.west;
  // 长兴堡镇 is a town of 松桃, no 长兴 (浙江); 罗永康 a reporter, no 永康
  // (浙江); 中山医院 a hospital of 上海, no 中山 (广东).
  // not_east: an eastern province, or "east -> west", the item must not pair.
  struct misread {
    std::string title, body, not_east;
  };
  for (const auto& [title, body, not_east] : std::vector<misread>{
           {"苏铜协作扶贫车间开到家门口",
            "在松桃苗族自治县长兴堡镇一家由苏州企业投资建设的扶贫车间里,搬迁群众在家门口就业。苏州对口帮扶铜仁,东西部扶贫协作成效明显。",
            "浙江"},
           {"“点对点”专列开进广州 黔南1260名务工人员踏上返岗路",
            "本报讯(记者 罗永康)2月8日,满载黔南州1260名务工人员的广州—黔南劳务协作专列从都匀东站驶出。东西部扶贫协作助力稳岗就业。",
            "浙江"},
           {"沪滇协作医疗人才组团式帮扶文山",
            "按照沪滇扶贫协作工作部署,上海从仁济医院、中山医院等三级医院选派27名医疗专家进驻文山州人民医院。",
            "广东"},
           // 吴江, a reporter's whole name; 高阳, an official before what he said.
           {"北仑帮扶资金助普安茶产业提质",
            "本报讯(记者 吴江 通讯员 陈思)初夏时节,普安县江西坡镇的连片茶园里,茶农在宁波北仑区帮扶下采摘新茶。"
            "宁波北仑区对口帮扶普安县,东西部扶贫协作资金支持茶产业。",
            "江苏"},
           {"房山今年采购察右前旗农畜产品1.08亿元",
            "北京市房山区对口帮扶内蒙古察右前旗,京蒙东西部协作成效明显。察右前旗副旗长高阳介绍,房山区今年投入东西部协作资金4200万元,支持察右前旗发展马铃薯产业。",
            "北京 -> 河北"},
           // 县级 after 建成 makes no 成县 (甘肃); 龙井村 is a village, no 龙井 (吉林).
           {"鲁渝协作助城口建数字乡村",
            "东营市对口帮扶城口县,投入鲁渝协作资金2860万元,专项用于城口县数字乡村建设,建成县级电商直播基地1个。",
            "山东 -> 甘肃"},
           {"杭州西湖区帮扶恩施茶产业",
            "杭州市西湖区对口帮扶恩施州,东西部扶贫协作助力茶产业。恩施茶农到西湖区龙井村学习炒茶技艺。",
            "浙江 -> 吉林"},
           // 长洲岛, an island of 广州.
           {"黄埔“点对点”接回织金务工人员",
            "广州黄埔区与毕节织金县开展东西部协作劳务协作,312名织金籍务工人员乘大巴途经长洲岛,直达区内企业。",
            "广东 -> 广西"}}) {
    const auto c = run(title, body);
    EXPECT_TRUE(c.relevant) << title;
    EXPECT_FALSE(c.pairs.empty()) << title;
    for (const auto& p : c.pairs) {
      EXPECT_NE(p.east, not_east) << title;
      EXPECT_NE(p.east + " -> " + p.west, not_east) << title;
    }
  }
  // 西湖龙井 is a tea, no 龙井 of 吉林's 延边 beside 杭州.
  const auto tea = run("杭恩茶缘:一片硒茶连起钱塘江与清江",
                       "杭州对口帮扶恩施,东西部扶贫协作助力宣恩贡茶。杭州茶企带来西湖龙井的制茶工艺,宣恩茶农学会了新手艺。");
  for (const auto& p : tea.pairs) EXPECT_NE(p.west, "吉林") << p.east;
}

// A national roundup that lists the programme's members names no pair of
// them; a statement of who helps whom still does, lists and all.
TEST(Classify, RollOfMembersNamesNoPair) {
  auto roll = run("东西部协作考核结果公布",
                  "此次考核分别对北京、天津、上海、江苏、浙江、福建、山东、广东8个东部省市和内蒙古、广西、"
                  "重庆、四川、贵州、云南、陕西、甘肃、青海、宁夏10个西部省区市进行综合评价。");
  EXPECT_TRUE(roll.relevant);
  EXPECT_TRUE(roll.pairs.empty());
  // Across sentences too: the two lists in two clauses.
  auto rated = run("东西部协作考核结果公布",
                   "东部8省(市)中,北京、上海、江苏、浙江、山东、广东6省(市)评价为好;"
                   "西部10省(区、市)中,内蒙古、四川、云南、陕西、宁夏等5省(区)评价为好。");
  EXPECT_TRUE(rated.pairs.empty());
  auto stated = run("新一轮东西部协作结对关系确定",
                    "北京市协作内蒙古自治区,上海市协作云南省,江苏省协作陕西省、青海省,"
                    "广东省协作广西壮族自治区和贵州省。");
  std::set<std::string> pairs;
  for (const auto& p : stated.pairs) pairs.insert(p.east + "-" + p.west);
  EXPECT_EQ(pairs, (std::set<std::string>{"北京-内蒙古", "上海-云南", "江苏-陕西", "江苏-青海", "广东-广西",
                                          "广东-贵州"}));
  // Two or three on each side are who helps whom.
  auto few = run("津京两市帮扶河北三市", "北京、天津两市对口帮扶张家口、承德、保定三市,开展东西部扶贫协作。");
  EXPECT_FALSE(few.pairs.empty());
}

// An administrative suffix is not the next place name's first character
// (闽宁镇原隆村 is no 镇原, 天津市北辰区 no 市北), nor is a character of a
// blocking name; a name written whole keeps it (庆阳市镇原县).
TEST(Classify, SuffixOfOneNameStartsNoOther) {
  auto west_units = [](const classification& c) {
    std::set<std::string> units;
    for (const auto& p : c.pairs) units.insert(p.west + "/" + p.west_unit);
    return units;
  };
  auto town = run("闽宁协作25年", "福建对口帮扶宁夏。永宁县闽宁镇原隆村引进福建企业8家,东西部协作成效显著。");
  EXPECT_EQ(west_units(town), (std::set<std::string>{"宁夏/永宁"}));  // no 甘肃/镇原
  auto district = run("", "天津市北辰区对口帮扶甘肃,开展东西部扶贫协作。");
  for (const auto& p : district.pairs) EXPECT_NE(p.east_unit, "市北");
  auto whole = run("", "天津市对口帮扶庆阳市镇原县,开展东西部扶贫协作。");
  EXPECT_TRUE(west_units(whole).count("甘肃/镇原")) << testing::PrintToString(west_units(whole));
}

// A university's short name (上海交大), a direction (湖北西南部: 南部 is
// also 南充's 南部县) and a town's name name no place.
TEST(Classify, ShortUniversityNamesAndDirectionsNameNoPlace) {
  const auto uni = run("上海交大定点帮扶洱源", "上海交大定点帮扶洱源县,东西部协作之外,学校选派教师到洱源支教。");
  for (const auto& p : uni.pairs) EXPECT_NE(p.east, "上海");
  const auto direction = run("", "杭州对口帮扶恩施州,开展东西部扶贫协作。恩施州位于湖北西南部,杭州投入帮扶资金3亿元。");
  for (const auto& p : direction.pairs) EXPECT_NE(p.west, "四川");
  EXPECT_FALSE(direction.pairs.empty());
  // A town named after a place (高乐山镇) is no 乐山.
  const auto town = run("", "杭州市拱墅区与咸丰县共建的杭恩协作共富工坊在高乐山镇投产,拱墅区安排东西部协作资金180万元。");
  for (const auto& p : town.pairs) EXPECT_NE(p.west, "四川");
  EXPECT_FALSE(town.pairs.empty());
}

TEST(Classify, OverlappingPlacesLongerThenLeftmostWin) {
  // 陇南安排 holds 陇南 and 南安 (a Fujian county) overlapping: the leftmost
  // of equal length wins; 在黔江区 holds 黔江区, the longer. Several overlap
  // runs and clean places in one text.
  auto out = run("", "青岛市对口帮扶陇南安排资金,活动在黔江区举行,山东省在陇南安排项目。");
  std::set<std::string> units;
  for (const auto& p : out.pairs) units.insert(p.west_unit);
  EXPECT_TRUE(units.count("陇南"));
  for (const auto& c : out.cues) EXPECT_EQ(c.cue.find("福建"), std::string::npos) << c.cue;
}

TEST(Classify, NonProgrammePartnerIsNegative) {
  auto out = run("北京对口支援玉树十年", "北京市累计向玉树藏族自治州投入对口支援资金26.6亿元,援建项目319个。");
  EXPECT_FALSE(out.relevant);
  EXPECT_TRUE(out.pairs.empty());
  EXPECT_TRUE(std::any_of(out.cues.begin(), out.cues.end(),
                          [](const cue_hit& c) { return c.cue == "non_programme_pair"; }));
}

// Two cities of one province paired inside it (广东's 对口帮扶 of its own
// north and east, 四川's of its west), or two districts of a municipality
// (重庆's 区县对口帮扶), are flagged, prefectures as well as counties.
TEST(Classify, IntraProvincePairingIsNegative) {
  for (const char* body : {"深圳市对口帮扶汕尾市,全年投入帮扶资金28.4亿元。", "广州市番禺区对口帮扶清远市,投入帮扶资金1亿元。",
                           "成都市对口帮扶甘孜州,全年投入帮扶资金2.1亿元。",
                           "重庆市渝中区对口帮扶城口县,全年安排对口帮扶资金3000万元。"}) {
    auto out = run("省内帮扶工作会议召开", body);
    EXPECT_FALSE(out.relevant) << body;
    EXPECT_TRUE(std::any_of(out.cues.begin(), out.cues.end(),
                            [](const cue_hit& c) { return c.cue == "intra_province_pair"; }))
        << body;
  }
}

// In a passing mention the pair it names adds nothing, unless the helping
// side is named in another sentence as well.
TEST(Classify, PairOnlyInThePassingMentionAddsNothing) {
  auto has = [](const classification& out, const char* cue) {
    return std::any_of(out.cues.begin(), out.cues.end(), [&](const cue_hit& c) { return c.cue == cue; });
  };
  auto alone = run("全省经济运行稳中向好", "全省地区生产总值14797亿元。下一步将持续深化粤黔东西部协作。");
  EXPECT_TRUE(has(alone, "passing_mention"));
  EXPECT_TRUE(has(alone, "pair_in_passing_mention"));
  EXPECT_FALSE(alone.relevant);
  // Another eastern province named elsewhere is no side of this pair.
  auto other_east = run("全省经济运行稳中向好", "游客主要来自北京。全省地区生产总值14797亿元。下一步将持续深化粤黔东西部协作。");
  EXPECT_TRUE(has(other_east, "pair_in_passing_mention"));
  auto apart = run("凌云茶产业富了一方百姓",
                   "百色市凌云县抢抓东西部协作机遇发展茶产业。深圳市宝安区建成茶叶加工厂。宝安区还选派技术人员常驻凌云。");
  EXPECT_TRUE(has(apart, "passing_mention"));
  EXPECT_FALSE(has(apart, "pair_in_passing_mention"));
}

TEST(Classify, ThreeGorgesAidIsNegative) {
  auto out = run("沪万夷对口支援第十一次联席会议召开",
                 "上海与重庆万州、湖北夷陵三方的对口支援联席会议举行。党中央号召全国对口支援三峡库区。");
  EXPECT_FALSE(out.relevant);
}

TEST(Classify, Topics) {
  auto out = run("沪滇劳务协作", "上海帮助云南农村劳动力转移就业,采购农特产品,选派挂职干部和专业技术人才,召开联席会议。");
  std::set<std::string> t(out.topics.begin(), out.topics.end());
  EXPECT_TRUE(t.count("labour"));
  EXPECT_TRUE(t.count("consumption"));
  EXPECT_TRUE(t.count("talent"));
  EXPECT_TRUE(t.count("meeting"));
}

TEST(Classify, EmptyAndOddInput) {
  auto out = run("", "");
  EXPECT_FALSE(out.relevant);
  std::string junk = "\xff\xfe\xe3\x80";
  out = run(junk, junk + "沪滇");
  EXPECT_FALSE(out.relevant);
}

TEST(Classify, ReusedClassifierClearsOutput) {
  classifier c(data());
  classification out;
  c.classify(text("沪滇扶贫协作"), text("上海对口帮扶云南。"), out);
  EXPECT_TRUE(out.relevant);
  c.classify(text("暴雨"), text("车险报案激增。"), out);
  EXPECT_FALSE(out.relevant);
  EXPECT_TRUE(out.pairs.empty());
  EXPECT_TRUE(out.cues.empty());
}

data_files with(std::string name, std::string contents) {
  data_files f = files();
  f[name] = std::move(contents);
  return f;
}

void expect_load_error(const data_files& f, const std::string& where) {
  try {
    (void)load_classifier_data(f);
    FAIL() << "no error, expected " << where;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
  }
}

TEST(ClassifyData, BadDataNamesFileAndLine) {
  expect_load_error(with("classify/weights.tsv", "# c\nthreshold\tabc\n"), "classify/weights.tsv:2:");
  expect_load_error(with("classify/weights.tsv", "nonsense\t1\n"), "classify/weights.tsv:1: unknown weight");
  expect_load_error(with("classify/cues.tsv", "扶贫协作\tprogramme\t-1\n"), "classify/cues.tsv:1:");
  expect_load_error(with("classify/cues.tsv", "扶贫协作\tmaybe\t1\n"), "classify/cues.tsv:1: unknown kind");
  expect_load_error(with("classify/cues.tsv", "扶贫协作\tprogramme\n"), "classify/cues.tsv:1: expected 3");
  data_files missing = files();
  missing.erase("classify/topics.tsv");
  expect_load_error(missing, "classify/topics.tsv");
}

// Every occurrence of every literal, by brute force, in the order scan() promises.
std::vector<detail::lexicon_match> naive_scan(const std::vector<std::string>& lits, std::string_view text) {
  std::vector<detail::lexicon_match> out;
  for (std::size_t i = 0; i < text.size(); ++i)
    for (std::size_t id = 0; id < lits.size(); ++id)
      if (text.substr(i).starts_with(lits[id]))
        out.push_back({static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(i),
                       static_cast<std::uint32_t>(i + lits[id].size())});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  return out;
}

void expect_same_as_naive(const std::vector<std::string>& lits, std::uint32_t seed) {
  detail::lexicon_matcher m(lits);
  auto s = m.make_scratch();
  std::mt19937 rng(seed);
  const std::vector<std::string> noise = {"的", "，", "、", "。", "a", "7", " ", "\xE4", "\xB8", "\xFF", "\n", "！", "区"};
  for (int round = 0; round < 400; ++round) {
    // Literals, their prefixes and noise, any length around the 64-byte blocks.
    std::string text;
    const std::size_t target = rng() % 300;
    while (text.size() < target) {
      const auto& l = rng() % 2 ? lits[rng() % lits.size()] : noise[rng() % noise.size()];
      text += rng() % 4 ? l : l.substr(0, rng() % (l.size() + 1));
    }
    std::vector<detail::lexicon_match> got;
    m.scan(text, s, got);
    const auto want = naive_scan(lits, text);
    ASSERT_EQ(got.size(), want.size()) << "seed " << seed << " round " << round;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].id, want[i].id);
      EXPECT_EQ(got[i].begin, want[i].begin);
      EXPECT_EQ(got[i].end, want[i].end);
    }
  }
}

TEST(LexiconMatcher, SameAsNaiveSearch) {
  // Two-character names sharing prefixes, longer words, sentence ends (one
  // and three bytes), a word with ASCII inside.
  const std::vector<std::string> lits = {"沪滇", "东西", "东西部", "东西部扶贫协作", "扶贫协作", "协作资金", "云南",
                                         "云南省", "南安", "陇南", "山区26县", "。", "！", "!", "\n", "区",
                                         "a7", "的，的，的，"};
  expect_same_as_naive(lits, 1);
  expect_same_as_naive(lits, 2);
  // Without 区 the short literals of three bytes start with two distinct
  // bytes (。 and ！), which scan() then checks apart.
  auto two_starts = lits;
  std::erase(two_starts, "区");
  expect_same_as_naive(two_starts, 5);
  // A literal starting with a UTF-8 continuation byte turns off the skipping of those.
  auto odd = lits;
  odd.push_back("\xB8\xAD");
  odd.push_back("\xFF");
  expect_same_as_naive(odd, 3);
  // No literal starting with an ASCII byte: ASCII bytes are passed over.
  auto no_ascii = lits;
  std::erase_if(no_ascii, [](const std::string& l) { return static_cast<unsigned char>(l[0]) < 0x80; });
  expect_same_as_naive(no_ascii, 6);
  // Only literals of two characters or more, none led by ASCII: the scan
  // looks at the lead bytes of multi-byte characters alone.
  auto long_only = no_ascii;
  std::erase_if(long_only, [](const std::string& l) { return l.size() < 6; });
  expect_same_as_naive(long_only, 7);
  // Literals of three bytes or more starting with ASCII turn off the
  // first-byte-only check of ASCII bytes.
  auto ascii = lits;
  ascii.push_back("a7中");
  ascii.push_back("7的");
  expect_same_as_naive(ascii, 4);
}

// A call stamp is never 0 (an untouched mark), and on wrap-around every
// mark is reset so that no earlier call's mark reads as the new call's.
TEST(CallStamp, WrapsToOneAndResetsTheMarks) {
  std::vector<std::uint32_t> marks = {0, 7, 0xFFFFFFFFu};
  std::uint32_t stamp = 6;
  EXPECT_EQ(detail::next_call_stamp(stamp, marks), 7u);
  EXPECT_EQ(marks[1], 7u);  // nothing reset on the way
  stamp = 0xFFFFFFFEu;
  EXPECT_EQ(detail::next_call_stamp(stamp, marks), 0xFFFFFFFFu);
  EXPECT_EQ(detail::next_call_stamp(stamp, marks), 1u);
  EXPECT_EQ(stamp, 1u);
  EXPECT_EQ(marks, (std::vector<std::uint32_t>{0, 0, 0}));
}

// Each match carries its literal's tag (0 when none were given); the
// classifier's first pass reads a match's roles from it.
TEST(LexiconMatcher, MatchesCarryTheirLiteralsTags) {
  const std::string t = "沪滇东西部扶贫协作";
  detail::lexicon_matcher tagged({"沪滇", "扶贫协作"}, {7, 9});
  auto s = tagged.make_scratch();
  std::vector<detail::lexicon_match> out;
  tagged.scan(t, s, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].tag, 7u);
  EXPECT_EQ(out[1].tag, 9u);
  detail::lexicon_matcher plain({"沪滇"});
  auto ps = plain.make_scratch();
  out.clear();
  plain.scan(t, ps, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tag, 0u);
  EXPECT_THROW(detail::lexicon_matcher({"沪滇", "闽宁"}, {1}), std::runtime_error);
}

TEST(ClassifyData, FirstPassTagNamesProvincesWithoutALookUpWhereOne) {
  detail::entry_roles place;
  place.alias = 3;
  int look_ups = 0;
  auto look_up = [&] {
    ++look_ups;
    return std::uint64_t{0b110};
  };
  const auto one = detail::first_pass_tag(place, std::uint64_t{1} << 5);
  EXPECT_EQ(detail::tagged_provinces(one, look_up), std::uint64_t{1} << 5);
  EXPECT_EQ(look_ups, 0);
  const auto several = detail::first_pass_tag(place, 0b110);
  EXPECT_EQ(detail::tagged_provinces(several, look_up), std::uint64_t{0b110});
  EXPECT_EQ(look_ups, 1);
  detail::entry_roles word;
  word.assistance = true;
  word.kind = detail::cue_kind::programme;
  const auto plain = detail::first_pass_tag(word, 0);
  EXPECT_EQ(detail::tagged_provinces(plain, look_up), 0u);
  EXPECT_TRUE(plain & detail::tag_assistance);
  EXPECT_TRUE(plain & detail::tag_scored);
  EXPECT_FALSE(plain & detail::tag_pair_word);
}

TEST(LexiconMatcher, FindsAllAndKeepsOutermost) {
  detail::lexicon_matcher m({"扶贫协作", "东西部扶贫协作", "协作资金", "沪滇"});
  auto s = m.make_scratch();
  std::vector<detail::lexicon_match> out;
  const std::string t = "沪滇东西部扶贫协作资金";
  m.scan(t, s, out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].id, 3u);
  detail::lexicon_matcher::keep_outermost(out);
  ASSERT_EQ(out.size(), 3u);  // 扶贫协作 lies inside 东西部扶贫协作; 协作资金 only overlaps it
  EXPECT_EQ(t.substr(out[1].begin, out[1].end - out[1].begin), "东西部扶贫协作");
  EXPECT_EQ(t.substr(out[2].begin, out[2].end - out[2].begin), "协作资金");
}

}  // namespace
}  // namespace coopwatch::core
