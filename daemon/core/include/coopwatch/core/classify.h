#pragma once
// Relevance and pairing: is a normalised item about the east-west poverty
// cooperation programme, and which eastern and western regions does it pair?
// The decision is a weighted sum of explainable cues (programme terms, pair
// words, negative look-alikes); every cue that fired is reported with its
// weight and position so an analyst can see why.
//
// classifier_data is immutable and shared; a classifier is per thread.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "coopwatch/core/item.h"
#include "coopwatch/core/normalize.h"
#include "coopwatch/core/resources.h"

namespace coopwatch::core {

struct cue_hit {
  std::string cue;        // the lexicon entry or rule name that fired
  std::string kind;       // e.g. "programme_term", "pair_word", "negative"
  double weight = 0;      // contribution to the score
  text_field field = text_field::body;
  std::uint32_t begin = 0;  // byte offsets in the normalised field
  std::uint32_t end = 0;
};

struct region_pair {
  std::string east;       // canonical province short name, e.g. "上海"
  std::string west;       // e.g. "云南"
  std::string east_unit;  // finest eastern unit named, e.g. "济南" (may equal east)
  std::string west_unit;  // finest western unit named, e.g. "湘西州"
  std::uint32_t mentions = 0;
  text_field field = text_field::body;  // where it was first seen
  std::uint32_t begin = 0;              // byte span of the first mention
  std::uint32_t end = 0;
  // The prefectures of county-level finest units (花垣 lies in 湘西州), for
  // reading which side a place written in the text belongs to; not published.
  std::string east_prefecture;
  std::string west_prefecture;
};

struct classification {
  bool relevant = false;
  // Decided without scoring (classify_detail::verdict): then no cues, pairs
  // or topics are listed and score is 0.
  bool decided_early = false;
  double score = 0;
  double threshold = 0;
  std::vector<region_pair> pairs;
  std::vector<std::string> topics;  // e.g. "funds", "labour", "consumption"
  std::vector<cue_hit> cues;

  void clear() {
    relevant = decided_early = false;
    score = threshold = 0;
    pairs.clear();
    topics.clear();
    cues.clear();
  }
};

// How much a classification must say. full: everything, for every item
// (explain, classify --all). verdict: what an event carries (relevant,
// score, pairs, topics; no cues are listed), and an item whose cues leave it
// short of the threshold whatever pairs it could name (no programme term or
// word of assistance, negative cues outweighing them, or places that cannot
// form a pair: no pair word, and no eastern and western place the programme
// pairs) is decided right after the lexicon scan, without pairing (the
// daemon's case: most of a feed is irrelevant).
enum class classify_detail { full, verdict };

[[nodiscard]] std::shared_ptr<const classifier_data> load_classifier_data(const data_files& files);

class classifier {
 public:
  explicit classifier(std::shared_ptr<const classifier_data> data);
  ~classifier();
  classifier(classifier&&) noexcept;
  classifier& operator=(classifier&&) noexcept;

  void classify(const normalized_text& title, const normalized_text& body, classification& out,
                classify_detail detail = classify_detail::full);
  // The relevance threshold of the loaded weights.
  [[nodiscard]] double threshold() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace coopwatch::core
