// The line pass's phrase search on its own: the two-character prefix test in
// front of the comparisons must never hide a phrase, wherever it stands.
#include "boilerplate.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace coopwatch::core::detail {
namespace {

phrase_set chrome_like() {
  phrase_set p;
  for (const char* s : {"来源:", "责任编辑", "不良信息举报", "Copyright", "©"}) p.add(s);
  return p;
}

TEST(PhraseSet, FindsPhrasesAtStartMiddleAndEnd) {
  const phrase_set p = chrome_like();
  const std::string s = "来源:新华社";
  EXPECT_EQ(p.find(s), 0u);
  EXPECT_EQ(p.find("本文责任编辑王某某同志"), std::string("本文").size());
  // At the very end: fewer than eight bytes follow the phrase's start.
  EXPECT_EQ(p.find("本文的责任编辑"), std::string("本文的").size());
  EXPECT_EQ(p.find("不良信息举报"), 0u);
  EXPECT_EQ(p.find("abc Copyright 2020"), 4u);
  EXPECT_EQ(p.find("版权 © 2020"), std::string("版权 ").size());
}

TEST(PhraseSet, CommonFirstCharactersAloneDoNotMatch) {
  const phrase_set p = chrome_like();
  EXPECT_EQ(p.find("来自上海的不少干部来到云南"), std::string_view::npos);
  EXPECT_EQ(p.find("责任"), std::string_view::npos);  // a phrase's start, cut short
  EXPECT_EQ(p.find(""), std::string_view::npos);
}

TEST(PhraseSet, ShortThreeByteCharacterPhrases) {
  // One-character phrases cannot use the two-character test.
  phrase_set p;
  p.add("踩");
  p.add("返回顶部");
  EXPECT_EQ(p.find("你好踩一下"), std::string("你好").size());
  EXPECT_EQ(p.find("点击返回顶部"), std::string("点击").size());
  EXPECT_TRUE(p.contains_exactly("踩"));
  EXPECT_TRUE(p.starts("返回顶部吧"));
}

// The first phrase by brute force: at each character, every phrase.
std::size_t naive_find(std::string_view s, const std::vector<std::string>& phrases) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    for (const auto& p : phrases)
      if (s.substr(i).starts_with(p)) return i;
  }
  return std::string_view::npos;
}

// Random lines of phrases, their pieces, common characters and characters of
// every UTF-8 length, so that phrases and near misses fall on every offset
// of the 16-byte blocks and near the end, where no block fits.
TEST(PhraseSet, FindAgreesWithBruteForce) {
  const std::vector<std::string> pieces = {"来源:", "来源", "责任编辑", "责任", "不良信息举报", "举报", "Copyright",
                                           "Copy", "©", "©版权", "😀点赞", "😀", "上", "的", "海", "a", "C", " ",
                                           "，", "。", "1", "é"};
  const std::vector<std::string> sets[] = {
      {"来源:", "责任编辑", "不良信息举报", "Copyright", "©版权", "😀点赞"},
      {"来源:", "责任编辑", "©", "海"},  // a one-character phrase: no two-character test
  };
  std::mt19937 rng(7);
  for (const auto& phrases : sets) {
    phrase_set set;
    for (const auto& p : phrases) set.add(p);
    for (int round = 0; round < 3000; ++round) {
      std::string line;
      const auto parts = std::uniform_int_distribution<std::size_t>(0, 40)(rng);
      for (std::size_t k = 0; k < parts; ++k) {
        // Mostly plain text: a phrase or a piece of one now and then.
        const auto r = std::uniform_int_distribution<std::size_t>(0, 3 * pieces.size())(rng);
        line += r < pieces.size() ? pieces[r] : pieces[12 + r % (pieces.size() - 12)];
      }
      EXPECT_EQ(set.find(line), naive_find(line, phrases)) << line;
    }
  }
}

void expect_same_features(std::string_view line) {
  const line_features a = features(line), b = features_by_char(line);
  EXPECT_EQ(a.chars, b.chars) << line;
  EXPECT_EQ(a.separators, b.separators) << line;
  EXPECT_EQ(a.underscores, b.underscores) << line;
  EXPECT_EQ(a.digits, b.digits) << line;
  EXPECT_EQ(a.longest_segment, b.longest_segment) << line;
  EXPECT_EQ(a.full_stop, b.full_stop) << line;
  EXPECT_EQ(a.commas, b.commas) << line;
  EXPECT_EQ(a.timestamp, b.timestamp) << line;
  EXPECT_EQ(a.comment_count, b.comment_count) << line;
}

// The block-wise features against the character-wise reference, on lines
// that put every mark on both sides of a 16-byte block edge.
TEST(LineFeatures, BlockwiseAgreesWithCharacterwise) {
  const std::string marks[] = {"。", "›", "»", "|", ">", "/", "_", ",", " ", "7", "评论 12",
                               "2020-07-17 16:48", "东西部协作", "a", "é"};
  for (const auto& m : marks)
    for (std::size_t pad = 0; pad < 40; ++pad) {
      std::string line(pad, 'x');
      line += m;
      line += "上海市对口帮扶云南省的干部";
      expect_same_features(line);
      std::string cjk;
      for (std::size_t k = 0; k < pad; ++k) cjk += "协";
      expect_same_features(cjk + m + cjk);
      expect_same_features(cjk + "x" + m);
    }
  expect_same_features("");
  expect_same_features(std::string(5000, 'a') + "。");  // beyond the block counters' range
}

// Text with origins equal to its offsets, as a normalised field.
normalized_text field(const std::string& s) {
  normalized_text t;
  t.text = s;
  t.origin.resize(s.size() + 1);
  for (std::size_t i = 0; i <= s.size(); ++i) t.origin[i] = static_cast<std::uint32_t>(i);
  return t;
}

TEST(DropLinesBeforeTitle, CutsThePageAboveTheArticlesOwnTitle) {
  const std::string title = "闽宁协作再结硕果";
  const std::string chrome = "首页 > 新闻中心 > 正文\n· 另一条新闻标题\n";
  auto body = field(chrome + title + "\n正文第一段。");
  body.unreliable.push_back({2, 5});                          // in the cut lines: dropped
  body.unreliable.push_back({static_cast<std::uint32_t>(chrome.size() + 3),
                             static_cast<std::uint32_t>(chrome.size() + 9)});  // shifted
  detail::drop_lines_before_title(field(title), body);
  EXPECT_EQ(body.text, title + "\n正文第一段。");
  ASSERT_EQ(body.origin.size(), body.text.size() + 1);
  EXPECT_EQ(body.origin[0], chrome.size());  // origins still point into the original field
  ASSERT_EQ(body.unreliable.size(), 1u);
  EXPECT_EQ(body.unreliable[0].begin, 3u);
  EXPECT_EQ(body.unreliable[0].end, 9u);
  EXPECT_EQ(body.stats.boilerplate_lines, 2u);
}

TEST(DropLinesBeforeTitle, LeavesTheBodyWhereTheTitleDoesNotOpenIt) {
  const std::string title = "闽宁协作再结硕果";
  for (const std::string& text : {title + "\n正文。",                       // already first
                                  "正文提到" + title + "。\n第二段。",      // inside a line
                                  "导语。\n正文。\n" + title + "的意义"}) {  // never a line of its own
    auto body = field(text);
    detail::drop_lines_before_title(field(title), body);
    EXPECT_EQ(body.text, text);
  }
  // Far down the page, it is a restatement, not the article's opening.
  std::string far;
  for (int i = 0; i < 13; ++i) far += "第" + std::to_string(i) + "段。\n";
  auto body = field(far + title);
  detail::drop_lines_before_title(field(title), body);
  EXPECT_EQ(body.text, far + title);
  // A title of a few characters could be any heading.
  auto short_body = field("首页\n新闻\n正文。");
  detail::drop_lines_before_title(field("新闻"), short_body);
  EXPECT_EQ(short_body.text, "首页\n新闻\n正文。");
}

}  // namespace
}  // namespace coopwatch::core::detail
