// FIRST VERSION (foundation): no figures. Replaced by the figures issue.
#include "coopwatch/core/extract.h"

namespace coopwatch::core {

struct extractor_data {};

std::shared_ptr<const extractor_data> load_extractor_data(const data_files&) {
  return std::make_shared<extractor_data>();
}

struct extractor::impl {
  std::shared_ptr<const extractor_data> data;
};

extractor::extractor(std::shared_ptr<const extractor_data> data)
    : impl_(std::make_unique<impl>(impl{std::move(data)})) {}
extractor::~extractor() = default;
extractor::extractor(extractor&&) noexcept = default;
extractor& extractor::operator=(extractor&&) noexcept = default;

void extractor::extract(const normalized_text&, const normalized_text&, const classification&,
                        std::vector<figure>& out) {
  out.clear();
}

}  // namespace coopwatch::core
