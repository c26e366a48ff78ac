#pragma once
// The whole core for one record: decode -> normalise -> classify -> extract
// -> encode. Returns an outcome that tells the shell what to do: publish the
// payload, count the item as irrelevant, or dead-letter the record.
//
// One pipeline per worker thread: it owns every stage object and all scratch
// buffers, reused across records. The outcome's views stay valid until the
// next call to process().

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/classify.h"
#include "coopwatch/core/decode.h"
#include "coopwatch/core/encode.h"
#include "coopwatch/core/error.h"
#include "coopwatch/core/extract.h"
#include "coopwatch/core/normalize.h"
#include "coopwatch/core/resources.h"

namespace coopwatch::core {

enum class stage : std::uint8_t { decode, normalize, classify, extract, encode };
inline constexpr int stage_count = 5;
[[nodiscard]] std::string_view stage_name(stage s) noexcept;

// Lets the shell time stages without the core reading a clock: called right
// after each stage finishes.
class stage_observer {
 public:
  virtual ~stage_observer() = default;
  virtual void stage_done(stage s) = 0;
};

struct pipeline_options {
  decode_limits limits;
  bool passthrough = false;     // decode only; the payload is the record itself
  bool emit_irrelevant = false; // encode an event with "relevant": false for irrelevant items
  // Classify only as far as the verdict needs (classify_detail::verdict):
  // the daemon's setting. The pipe tools keep every cue for explain.
  bool verdict_only = false;
  // In verdict mode without emit_irrelevant: items whose text, after the
  // normaliser's first pass, holds no programme term or word of assistance
  // for certain skip the rest of the normaliser and the classifier
  // (src/relevance_gate.h). Off only to compare.
  bool gate = true;
  std::string pipeline_version = "0.1.0";
};

enum class verdict : std::uint8_t { publish, irrelevant, dead_letter };

struct outcome {
  verdict kind = verdict::dead_letter;
  error_code error = error_code::ok;  // set when kind == dead_letter
  std::string_view detail;            // extra words on the error, may be empty
  std::string_view key;               // item id (publish / irrelevant)
  std::string_view payload;           // event JSON (publish, or irrelevant with emit_irrelevant)
};

class pipeline {
 public:
  pipeline(const resources& res, pipeline_options options);
  ~pipeline();
  pipeline(pipeline&&) noexcept;
  pipeline& operator=(pipeline&&) noexcept;

  [[nodiscard]] outcome process(std::string_view record, std::string_view processed_at,
                                stage_observer* observer = nullptr);

  // The flat record of figure `index` of the last published item (for the
  // per-figure topic); valid until the next call of either method.
  [[nodiscard]] std::string_view figure_record(std::size_t index, std::string_view processed_at);

  // Results of the last process() call, for `coopwatch explain` and `normalize`.
  [[nodiscard]] const item& last_item() const noexcept { return item_; }
  [[nodiscard]] const normalized_text& title() const noexcept { return title_; }
  [[nodiscard]] const normalized_text& body() const noexcept { return body_; }
  [[nodiscard]] const classification& last_classification() const noexcept { return cls_; }
  [[nodiscard]] const std::vector<figure>& figures() const noexcept { return figures_; }
  [[nodiscard]] const pipeline_options& options() const noexcept { return options_; }
  // Whether the relevance gate ruled the last item out (pipeline_options::gate):
  // its texts are then not normalised and it is not classified.
  [[nodiscard]] bool gated() const noexcept { return gated_; }

 private:
  // Normalises title and body, unless the gate rules the item out: then
  // returns false and the texts are not complete.
  bool normalize_fields();

  pipeline_options options_;
  decoder decoder_;
  normalizer normalizer_;
  classifier classifier_;
  extractor extractor_;
  std::shared_ptr<const relevance_gate> gate_;  // null when not used
  std::unique_ptr<relevance_gate_tally> tally_;
  bool gated_ = false;
  item item_;
  normalized_text title_;
  normalized_text body_;
  classification cls_;
  std::vector<figure> figures_;
  std::string event_;
  std::string figure_;
};

}  // namespace coopwatch::core
