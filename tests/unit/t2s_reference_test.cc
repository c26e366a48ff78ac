// The fast Traditional -> Simplified converter against OpenCC's own t2s.json
// (the reference): every character and phrase in the generated tables, and
// every title and body of the corpus (seeds and dev.jsonl). OpenCC is opened
// with dlopen so no build change is needed; without libopencc the test skips.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../../daemon/core/src/t2s.h"
#include "../common/opencc_reference.h"
#include "coopwatch/core/decode.h"
#include "io/data_dir.h"

namespace coopwatch::core {
namespace {

using opencc = coopwatch::test_support::opencc_t2s;

const detail::t2s_table& table() {
  static const detail::t2s_table t = [] {
    const data_files files = io::read_data_dir(COOPWATCH_DATA_DIR);
    detail::t2s_table k;
    k.load(require_file(files, "normalize/t2s_chars.tsv"),
           require_file(files, "normalize/t2s_phrases.tsv"));
    return k;
  }();
  return t;
}

std::string ours(std::string_view s) {
  std::string out;
  table().convert(s, out);
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

#define REQUIRE_OPENCC(cc) \
  if (!(cc).ok()) GTEST_SKIP() << "libopencc or t2s.json not available"

TEST(T2sReference, EveryTableEntryAgrees) {
  opencc cc;
  REQUIRE_OPENCC(cc);
  for (const char* file : {"normalize/t2s_chars.tsv", "normalize/t2s_phrases.tsv"}) {
    std::istringstream ss(read_file(std::filesystem::path(COOPWATCH_DATA_DIR) / file));
    std::string line;
    while (std::getline(ss, line)) {
      if (line.empty() || line[0] == '#') continue;
      const std::string from = line.substr(0, line.find('\t'));
      // Put the entry between neutral text, as it would appear in a sentence.
      const std::string s = "他说" + from + "。";
      EXPECT_EQ(ours(s), cc.convert(s)) << from;
    }
  }
}

TEST(T2sReference, WholeCorpusAgrees) {
  opencc cc;
  REQUIRE_OPENCC(cc);
  std::size_t texts = 0, bytes = 0;
  auto check = [&](std::string_view label, std::string_view s) {
    ++texts;
    bytes += s.size();
    EXPECT_EQ(ours(s), cc.convert(s)) << label;
  };
  const std::filesystem::path shared = COOPWATCH_SHARED_DIR "/corpus";
  for (const auto& e : std::filesystem::directory_iterator(shared / "seeds"))
    check(e.path().filename().string(), read_file(e.path()));
  decoder dec;
  item it;
  std::ifstream f(shared / "dev.jsonl");
  std::string line;
  while (std::getline(f, line)) {
    ASSERT_EQ(dec.decode(line, it), error_code::ok);
    check(it.id, it.title);
    check(it.id, it.body);
  }
  EXPECT_GT(texts, 200u);
  EXPECT_GT(bytes, 150000u);
}

}  // namespace
}  // namespace coopwatch::core
