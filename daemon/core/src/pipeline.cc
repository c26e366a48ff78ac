#include "coopwatch/core/pipeline.h"

#include "boilerplate.h"
#include "relevance_gate.h"

namespace coopwatch::core {

std::string_view stage_name(stage s) noexcept {
  switch (s) {
    case stage::decode: return "decode";
    case stage::normalize: return "normalize";
    case stage::classify: return "classify";
    case stage::extract: return "extract";
    case stage::encode: return "encode";
  }
  return "unknown";
}

pipeline::pipeline(const resources& res, pipeline_options options)
    : options_(std::move(options)),
      decoder_(options_.limits),
      normalizer_(res.normalize),
      classifier_(res.classify),
      extractor_(res.extract) {
  const bool verdict = options_.verdict_only && !options_.emit_irrelevant;
  if (verdict && options_.gate && res.gate && res.gate->enabled()) {
    gate_ = res.gate;
    tally_ = gate_->make_tally();
  }
}

pipeline::~pipeline() = default;
pipeline::pipeline(pipeline&&) noexcept = default;
pipeline& pipeline::operator=(pipeline&&) noexcept = default;

bool pipeline::normalize_fields() {
  if (!gate_) {
    normalizer_.normalize(item_.title, text_field::title, title_);
    normalizer_.normalize(item_.body, text_field::body, body_);
    return true;
  }
  // The gate reads the title's first pass, then the body's; the field it
  // stops at is finished from its first pass, the other normalised whole.
  gate_->reset(*tally_);
  if (!gate_->read(normalizer_, normalizer_.markup_pass(item_.title, title_), text_field::title, *tally_)) {
    normalizer_.finish_passes(item_.title, text_field::title, title_);
    normalizer_.normalize(item_.body, text_field::body, body_);
    return true;
  }
  const bool body_read = gate_->read(normalizer_, normalizer_.markup_pass(item_.body, body_), text_field::body, *tally_);
  if (body_read && !gate_->may_be_relevant(*tally_)) return false;
  normalizer_.finish_passes(item_.body, text_field::body, body_);
  normalizer_.normalize(item_.title, text_field::title, title_);
  return true;
}

outcome pipeline::process(std::string_view record, std::string_view processed_at,
                          stage_observer* observer) {
  auto done = [observer](stage s) {
    if (observer) observer->stage_done(s);
  };
  outcome out;
  error_code err = decoder_.decode(record, item_);
  done(stage::decode);
  if (err != error_code::ok) {
    out.kind = verdict::dead_letter;
    out.error = err;
    out.detail = decoder_.detail();
    return out;
  }
  out.key = item_.id;
  if (options_.passthrough) {
    out.kind = verdict::publish;
    out.payload = record;
    return out;
  }

  gated_ = !normalize_fields();
  // Cutting lines removes lexicon matches only: the gate's bound still holds.
  if (!gated_) detail::drop_lines_before_title(title_, body_);
  if (gated_) {
    // The classifier's early verdict would rule it out (relevance_gate.h).
    done(stage::normalize);
    cls_.clear();
    cls_.threshold = classifier_.threshold();
    cls_.decided_early = true;
    done(stage::classify);
    figures_.clear();
    done(stage::extract);
    done(stage::encode);
    out.kind = verdict::irrelevant;
    return out;
  }
  done(stage::normalize);

  // Events of irrelevant items, when asked for, carry the full classification.
  const bool verdict = options_.verdict_only && !options_.emit_irrelevant;
  classifier_.classify(title_, body_, cls_, verdict ? classify_detail::verdict : classify_detail::full);
  done(stage::classify);

  if (cls_.relevant) extractor_.extract(title_, body_, cls_, figures_);
  else figures_.clear();
  done(stage::extract);

  out.kind = cls_.relevant ? verdict::publish : verdict::irrelevant;
  if (cls_.relevant || options_.emit_irrelevant) {
    event_.clear();
    encode_event(item_, title_, body_, cls_, figures_,
                 {processed_at, options_.pipeline_version}, event_);
    out.payload = event_;
  }
  done(stage::encode);
  return out;
}

std::string_view pipeline::figure_record(std::size_t index, std::string_view processed_at) {
  figure_.clear();
  encode_figure(item_, cls_, figures_.at(index), index,
                {processed_at, options_.pipeline_version}, figure_);
  return figure_;
}

}  // namespace coopwatch::core
