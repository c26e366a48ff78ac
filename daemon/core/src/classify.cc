// FIRST VERSION (foundation): the five-term keyword rule. Replaced by the
// classifier issue (gazetteer, weighted cues, pairs).
#include "coopwatch/core/classify.h"

namespace coopwatch::core {

struct classifier_data {};

std::shared_ptr<const classifier_data> load_classifier_data(const data_files&) {
  return std::make_shared<classifier_data>();
}

struct classifier::impl {
  std::shared_ptr<const classifier_data> data;
};

classifier::classifier(std::shared_ptr<const classifier_data> data)
    : impl_(std::make_unique<impl>(impl{std::move(data)})) {}
classifier::~classifier() = default;
classifier::classifier(classifier&&) noexcept = default;
classifier& classifier::operator=(classifier&&) noexcept = default;

void classifier::classify(const normalized_text& title, const normalized_text& body,
                          classification& out) {
  out.clear();
  out.threshold = 1;
  static constexpr std::string_view kTerms[] = {"东西部扶贫协作", "东西部协作", "扶贫协作",
                                                "携手奔小康", "对口帮扶"};
  for (const auto* t : {&title, &body}) {
    for (auto term : kTerms) {
      auto pos = t->text.find(term);
      if (pos == std::string::npos) continue;
      out.score += 1;
      out.cues.push_back({std::string(term), "programme_term", 1,
                          t == &title ? text_field::title : text_field::body,
                          static_cast<std::uint32_t>(pos),
                          static_cast<std::uint32_t>(pos + term.size())});
    }
  }
  out.relevant = out.score >= out.threshold;
}

}  // namespace coopwatch::core
