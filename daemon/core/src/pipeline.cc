#include "coopwatch/core/pipeline.h"

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
      extractor_(res.extract) {}

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

  normalizer_.normalize(item_.title, text_field::title, title_);
  normalizer_.normalize(item_.body, text_field::body, body_);
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
