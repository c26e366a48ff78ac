#pragma once
// The labelled corpora the tests read whole: the dev set, then every extra
// quality set in tests/data/quality (extra*.jsonl, in name order), so that a
// set added there is read by every such test without a list to update.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace coopwatch::test_data {

inline std::vector<std::string> labelled_corpora() {
  std::vector<std::string> sets;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(COOPWATCH_TEST_DATA) + "/quality")) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("extra") && name.ends_with(".jsonl")) sets.push_back(entry.path().string());
  }
  std::sort(sets.begin(), sets.end());
  sets.insert(sets.begin(), std::string(COOPWATCH_SHARED_DIR) + "/corpus/dev.jsonl");
  return sets;
}

}  // namespace coopwatch::test_data
