// Tests of the text normaliser: each noise class on its own, the five seed
// pages, origins, and hostile input.
#include "coopwatch/core/normalize.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "io/data_dir.h"
#include "t2s.h"

namespace coopwatch::core {
namespace {

const std::shared_ptr<const normalizer_data>& data() {
  static const auto d = load_normalizer_data(io::read_data_dir(COOPWATCH_DATA_DIR));
  return d;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string seed(std::string_view prefix) {
  for (const auto& e : std::filesystem::directory_iterator(COOPWATCH_SHARED_DIR "/corpus/seeds"))
    if (e.path().filename().string().rfind(prefix, 0) == 0) return read_file(e.path().string());
  ADD_FAILURE() << "no seed " << prefix;
  return {};
}

// Checks the invariants every output must keep.
void check_invariants(std::string_view in, const normalized_text& out) {
  ASSERT_EQ(out.origin.size(), out.text.size() + 1);
  EXPECT_EQ(out.origin.back(), in.size());
  for (std::size_t i = 0; i < out.text.size(); ++i) {
    ASSERT_LE(out.origin[i], in.size()) << i;
    if (i > 0) ASSERT_LE(out.origin[i - 1], out.origin[i]) << "origins go back at " << i;
  }
  for (const auto& r : out.unreliable) {
    EXPECT_LT(r.begin, r.end);
    EXPECT_LE(r.end, out.text.size());
  }
  EXPECT_EQ(out.text.find("\n\n"), std::string::npos);
}

normalized_text norm(std::string_view in, text_field f = text_field::body) {
  normalizer n(data());
  normalized_text out;
  n.normalize(in, f, out);
  check_invariants(in, out);
  return out;
}

bool has_line(const std::string& text, std::string_view part) {
  std::istringstream ss(text);
  std::string line;
  while (std::getline(ss, line))
    if (line.find(part) != std::string::npos) return true;
  return false;
}

// ---- noise classes ----

TEST(Normalize, HtmlTagsEntitiesAndScripts) {
  const auto out = norm(
      "<p>东西部&ldquo;协作&rdquo;&amp;帮扶</p><br/><script>var x = '<p>no</p>';</script>"
      "<style>p{}</style><!-- c --><td id=\"x\"></td>投入&#52;&#x30;亿元");
  EXPECT_EQ(out.text, "东西部“协作”&帮扶\n投入40亿元");
  EXPECT_GE(out.stats.html_tags, 6u);
  EXPECT_EQ(out.stats.html_entities, 5u);
}

TEST(Normalize, LoneAngleAndAmpersandStayText) {
  EXPECT_EQ(norm("a < b & c > d").text, "a < b & c > d");
  EXPECT_EQ(norm("x <p unterminated").text, "x <p unterminated");
}

TEST(Normalize, FullWidthFoldedByNfkc) {
  const auto out = norm("２０２０年，投入５６２０万元（约）；　共计：１８个");
  EXPECT_EQ(out.text, "2020年,投入5620万元(约); 共计:18个");  // U+3000 -> ' ' 
}

TEST(Normalize, NfkcKeepsCjkPunctuation) {
  EXPECT_EQ(norm("“沪滇”、协作。").text, "“沪滇”、协作。");
}

TEST(Normalize, TraditionalToSimplified) {
  const auto out = norm("滬滇扶貧協作資金達2807.7萬元");
  EXPECT_EQ(out.text, "沪滇扶贫协作资金达2807.7万元");
  EXPECT_GT(out.stats.traditional_chars, 5u);
}

TEST(Normalize, TraditionalPhrasesFollowOpenCC) {
  // "乾隆" keeps 乾 (a phrase in OpenCC's list); 乾 alone becomes 干.
  EXPECT_EQ(norm("乾隆").text, "乾隆");
  EXPECT_EQ(norm("乾淨").text, "干净");
  // Phrases opened by a character that is the same in both scripts, inside
  // Simplified text (the bulk copy passes over 上 and 不 only when no phrase
  // can start there): 上鍊 is 上链 as a phrase, 上炼 character by character.
  EXPECT_EQ(norm("他们说上鍊了,上海很好").text, "他们说上链了,上海很好");
  EXPECT_EQ(norm("我们不瞭解不少情况").text, "我们不了解不少情况");
  // The same inside Traditional text (the converting loop).
  EXPECT_EQ(norm("他們說上鍊了,上海與大理").text, "他们说上链了,上海与大理");
}

TEST(Normalize, SimplifiedThenTraditionalInOneField) {
  // Bulk copying for the Simplified start, the converting loop after the
  // first Traditional character; phrase openers (上, 一) and punctuation on
  // the way, with origins kept.
  const std::string in = "上海市对口帮扶,一起。上海與雲南攜手,一個項目上馬。";
  const auto out = norm(in);
  EXPECT_EQ(out.text, "上海市对口帮扶,一起。上海与云南携手,一个项目上马。");
  EXPECT_EQ(out.origin[out.text.find("与")], in.find("與"));
  EXPECT_EQ(out.origin[out.text.find("马")], in.find("馬"));
  EXPECT_EQ(out.stats.traditional_chars, 6u);  // 與 雲 攜 個 項 馬
}

// The script pass's fast paths (one-to-one runs, the phrase pair filter)
// against the table converter on its own, over every title and body of the
// dev corpus: converting first and then normalising with no step must give
// what the Traditional -> Simplified step gives.
TEST(Normalize, ScriptPassAgreesWithTableConverterOnCorpus) {
  const data_files files = io::read_data_dir(COOPWATCH_DATA_DIR);
  detail::t2s_table table;
  table.load(require_file(files, "normalize/t2s_chars.tsv"), require_file(files, "normalize/t2s_phrases.tsv"));
  normalizer n(data());
  normalized_text a, b;
  std::string converted;
  std::ifstream f(COOPWATCH_SHARED_DIR "/corpus/dev.jsonl");
  std::string line;
  std::size_t fields = 0;
  while (std::getline(f, line)) {
    // Whole JSON lines as text: escapes and all, they exercise every path.
    n.normalize_steps(line, text_field::body, a, normalizer::step::t2s);
    table.convert(line, converted);
    n.normalize_steps(converted, text_field::body, b, 0);
    ASSERT_EQ(a.text, b.text) << line.substr(0, 80);
    ++fields;
  }
  EXPECT_GT(fields, 100u);
}

TEST(Normalize, PinyinGlossesRemoved) {
  const auto out = norm("攜手戰(zhàn)貧，率領（lǐng）代表團，GDP(gdp)增長");
  EXPECT_EQ(out.text, "携手战贫,率领代表团,GDP(gdp)增长");
  EXPECT_EQ(out.stats.pinyin_glosses, 2u);
}

TEST(Normalize, ParenthesesThatAreNotGlossesStay) {
  EXPECT_EQ(norm("（记者 韦晓宁）县(市)").text, "(记者 韦晓宁)县(市)");
}

TEST(Normalize, DoubledPunctuationReduced) {
  EXPECT_EQ(norm("迎来采摘季，。曲尺乡脆李，，柑橘、、中药材").text,
            "迎来采摘季。曲尺乡脆李,柑橘、中药材");
}

TEST(Normalize, Utf8ReadAsGbkIsRepaired) {
  // "文化两地" as UTF-8 bytes decoded as GBK.
  const auto out = norm("多彩民族鏂囧寲涓ゅ湴优势");
  EXPECT_EQ(out.text, "多彩民族文化两地优势");
  EXPECT_EQ(out.stats.mojibake_repaired, 1u);
  EXPECT_TRUE(out.unreliable.empty());
}

TEST(Normalize, LossyMojibakeIsMarkedUnreliable) {
  // "互补。" decoded as GBK lost its last byte, shown as '?'.
  const auto out = norm("两地优势浜掕ˉ銆?杭州发挥优势");
  EXPECT_EQ(out.stats.mojibake_marked, 1u);
  ASSERT_EQ(out.unreliable.size(), 1u);
  const auto& r = out.unreliable[0];
  EXPECT_EQ(out.text.substr(0, r.begin), "两地优势");
  EXPECT_TRUE(out.text.substr(r.begin, r.end - r.begin).starts_with("互补"));
  EXPECT_TRUE(out.text.ends_with("杭州发挥优势"));
  EXPECT_TRUE(out.is_unreliable(r.begin, r.begin + 1));
  EXPECT_FALSE(out.is_unreliable(0, r.begin));
}

TEST(Normalize, Utf8ReadAsLatin1IsRepaired) {
  EXPECT_EQ(norm("扶贫 \xC3\xA6\xC2\x89\xC2\xB6\xC3\xA8\xC2\xB4\xC2\xAB").text, "扶贫 扶贫");
}

TEST(Normalize, IrreparableDamageIsMarked) {
  const auto out = norm("上海帮助當?shù)馗刹亢驮岣刹拷榻B,这里的蔬菜基地占地2000多亩");
  EXPECT_GE(out.stats.mojibake_marked, 1u);
  ASSERT_FALSE(out.unreliable.empty());
  const std::size_t at = out.text.find("2000");
  EXPECT_FALSE(out.is_unreliable(std::uint32_t(at), std::uint32_t(at + 4)));
}

TEST(Normalize, QuestionMarkInOrdinaryTextIsNotMojibake) {
  const auto out = norm("美要限制中共党员旅美?外交部再回应");
  EXPECT_TRUE(out.unreliable.empty());
  EXPECT_EQ(out.stats.mojibake_marked, 0u);
}

TEST(Normalize, ChromeLinesDropped) {
  const auto out = norm(
      "首页 | 时政 | 财经 | 社会 | 图片 | 视频\n当前位置：首页 > 扶贫动态\n"
      "字号：大 中 小  打印本页  关闭窗口\n"
      "两地协作投入资金2.4亿元。\n【纠错】 责任编辑：陈静\n（编辑：李娜）\n"
      "W020190510410036268274.jpg\n"
      "版权所有 未经授权禁止转载 新闻热线：0871-67557319 备案号：滇ICP备89710190号-1");
  EXPECT_EQ(out.text, "两地协作投入资金2.4亿元。");
  EXPECT_EQ(out.stats.boilerplate_lines, 7u);
}

// A sentence of prose (a full stop, over 60 characters) is chrome only when
// a chrome phrase opens it: 扫码 in the middle of a report is the report's.
TEST(Normalize, ProseThatMentionsAChromeWordStays) {
  const std::string prose =
      "展销周期间还开设了直播间,邀请两地主播轮流带货,累计直播18场,线上成交2360万元。"
      "不少市民在现场扫码加入了企业的社群,约定明年再来。";
  EXPECT_EQ(norm(prose).text, prose);
  const auto footer = norm("两地协作投入资金2.4亿元。\n扫码关注我们,获取更多扶贫协作资讯,本文由县融媒体中心出品,"
                           "转载请联系授权,未经许可不得转载,违者必究,欢迎各界人士提供新闻线索。");
  EXPECT_EQ(footer.text, "两地协作投入资金2.4亿元。");
}

TEST(Normalize, RelatedNewsListDropped) {
  const auto out = norm(
      "杭州新增结对帮扶学校17所。\n相关新闻：\n"
      "暴雨致多地交通中断 应急部门已启动响应  2020-02-28 14:21  评论 175\n"
      "某上市公司发布年报 营收突破120亿元  2020-06-11 18:12  评论 372\n");
  EXPECT_EQ(out.text, "杭州新增结对帮扶学校17所。");
  // The header may be framed or led by a mark, and the headlines carry no
  // time stamp.
  for (const char* header : {"【相关新闻】", "[相关阅读]", "■ 延伸阅读", ">> 往期推荐"}) {
    const auto framed = norm(std::string("深圳地铁新开通4条线路,运营里程突破560公里。\n") + header +
                             "\n· 深圳百色东西部协作:今年采购帮销百色农产品超15亿元\n· 深圳今年新增学位15万个\n");
    EXPECT_EQ(framed.text, "深圳地铁新开通4条线路,运营里程突破560公里。") << header;
  }
}

TEST(Normalize, SeoLineAndInjectedGamblingPhraseRemoved) {
  const auto out = norm(
      "<p>彩票开奖结果查询_足球比分直播_体育资讯网</p>\n"
      "<p>搬迁群众下楼就能进厂, 百家乐投注技巧 目前车间里有300多人上班。</p>");
  EXPECT_EQ(out.text, "搬迁群众下楼就能进厂,目前车间里有300多人上班。");
  EXPECT_EQ(out.stats.spam_removed, 2u);
}

TEST(Normalize, ShortArticleLinesKept) {
  const std::string in = "跨越千山,情意绵长\n如今\n上海、广东携手云南\n3年累计投入133.08亿元";
  EXPECT_EQ(norm(in).text, in);
}

TEST(Normalize, TitleGetsNoLineFiltering) {
  const auto out = norm("相关新闻：沪滇\n协作", text_field::title);
  EXPECT_EQ(out.text, "相关新闻:沪滇 协作");
}

TEST(Normalize, WhitespaceTrimmedAndCollapsed) {
  EXPECT_EQ(norm("  \t第一段  内容 \r\n\r\n\n　第二段\n").text, "第一段 内容\n第二段");
}

// ---- origins ----

TEST(Normalize, OriginsPointIntoTheInput) {
  const std::string in = "<b>滬</b>滇&amp;５";
  const auto out = norm(in);
  ASSERT_EQ(out.text, "沪滇&5");
  EXPECT_EQ(out.origin[0], in.find("滬"));
  EXPECT_EQ(out.origin[3], in.find("滇"));
  EXPECT_EQ(out.origin[6], in.find("&amp;"));
  EXPECT_EQ(out.origin[7], in.find("５"));
  EXPECT_EQ(out.origin[8], in.size());
}

// ---- hostile input ----

TEST(Normalize, EmptyGivesEmpty) {
  const auto out = norm("");
  EXPECT_EQ(out.text, "");
  EXPECT_EQ(out.origin.size(), 1u);
}

TEST(Normalize, InvalidUtf8ReplacedAndCounted) {
  const auto out = norm("ab\xFF\xC0\x80" "c\xE6\x89");
  EXPECT_EQ(out.text, "ab\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(out.stats.invalid_utf8, 5u);
}

TEST(Normalize, RandomBytesNeverBreakInvariants) {
  std::mt19937 rng(42);
  normalizer n(data());
  normalized_text out;
  const std::string alphabet[] = {"<", ">", "&", ";", "#", "(", ")", "?", "\n", " ", "p", "x",
                                  "戰", "鏂", "囧", "銆", "。", "，", "\xC3", "\xA6", "\xE6",
                                  "\x89", "\xFF", "̀", "zhàn", "&#x", "<script>", "相关新闻"};
  for (int round = 0; round < 2000; ++round) {
    std::string in;
    const int len = int(rng() % 60);
    for (int k = 0; k < len; ++k) in += alphabet[rng() % std::size(alphabet)];
    n.normalize(in, round % 2 ? text_field::title : text_field::body, out);
    check_invariants(in, out);
  }
}

// ---- seeds ----

TEST(NormalizeSeeds, Seed000TraditionalWithGlossesAndRelatedList) {
  const auto out = norm(seed("000_"));
  EXPECT_TRUE(out.text.starts_with("沪滇共饮一江水,携手战贫情更深")) << out.text.substr(0, 120);
  EXPECT_EQ(out.text.find("(zh"), std::string::npos);
  EXPECT_EQ(out.text.find("(lǐng)"), std::string::npos);
  EXPECT_GT(out.stats.pinyin_glosses, 100u);
  for (const char* line : {"特朗普怒了", "普京强忍泪水", "全球股市普涨", "相关推荐", "2020-07-17 16:48",
                           "杀害女儿同学", "视频时长"})
    EXPECT_FALSE(has_line(out.text, line)) << line;
  EXPECT_TRUE(out.text.ends_with("于17日晚回到上海。"));
  EXPECT_TRUE(out.text.find("1000余户近5400人") != std::string::npos);
  EXPECT_FALSE(out.unreliable.empty());  // the damaged "當?shù)" spans
}

TEST(NormalizeSeeds, Seed001DropsEditorLine) {
  const auto out = norm(seed("001_"));
  EXPECT_FALSE(has_line(out.text, "责任编辑"));
  EXPECT_TRUE(out.text.find("3849.8万元") != std::string::npos);
  EXPECT_TRUE(out.text.ends_with("等7个项目。"));
}

TEST(NormalizeSeeds, Seed002KeepsShortArticleLines) {
  const auto out = norm(seed("002_"));
  for (const char* line : {"3年累计投入133.08亿元", "88个贫困县与东部“携手奔小康”", "谢谢你,广东!"})
    EXPECT_TRUE(has_line(out.text, line)) << line;
}

TEST(NormalizeSeeds, Seed003KeepsArticleDropsForumFrame) {
  const auto out = norm(seed("003_"));
  EXPECT_TRUE(out.text.starts_with("沪遵扶贫协作第九次联席会议在遵义举行"));
  EXPECT_TRUE(has_line(out.text, "谌贻琴主持联席会议"));
  EXPECT_TRUE(has_line(out.text, "5月8日至9日,中共中央政治局委员"));
  for (const char* line : {"发帖", "楼主", "只看大图", "跳转到指定楼层", "W020190510410036268274.jpg",
                           "回复", "使用道具", "成为第一个回答人", "Smilies", "Powered by", "返回顶部"})
    EXPECT_FALSE(has_line(out.text, line)) << line;
}

TEST(NormalizeSeeds, Seed004DropsFooterAndPhoneNumbers) {
  const auto out = norm(seed("004_"));
  EXPECT_TRUE(out.text.starts_with("济南市党政代表团赴湖南湘西开展扶贫协作工作"));
  EXPECT_TRUE(has_line(out.text, "带动750人脱贫致富"));
  for (const char* s : {"0531-83122110", "010-65367254", "ICP备", "版权", "延伸阅读", "热点新闻",
                        "清明祭", "来源:中国产业经济信息网"})
    EXPECT_EQ(out.text.find(s), std::string::npos) << s;
  EXPECT_TRUE(out.text.ends_with("有关区县主要负责同志参加活动。"));
}

// ---- data errors ----

TEST(NormalizeData, MissingFileNamed) {
  data_files files = io::read_data_dir(COOPWATCH_DATA_DIR);
  files.erase("normalize/spam.txt");
  try {
    (void)load_normalizer_data(files);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("normalize/spam.txt"), std::string::npos);
  }
}

TEST(NormalizeData, BadLineNamesFileAndLine) {
  data_files files = io::read_data_dir(COOPWATCH_DATA_DIR);
  files["normalize/t2s_chars.tsv"] = "# c\n戰\t战\nbad line\n";
  try {
    (void)load_normalizer_data(files);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("normalize/t2s_chars.tsv:3"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace coopwatch::core
