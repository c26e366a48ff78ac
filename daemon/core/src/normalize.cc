// FIRST VERSION (foundation): identity normalisation. Replaced by the
// normalisation issue (ICU NFKC, Traditional -> Simplified, glosses, HTML,
// mojibake, boilerplate).
#include "coopwatch/core/normalize.h"

namespace coopwatch::core {

struct normalizer_data {};

bool normalized_text::is_unreliable(std::uint32_t begin, std::uint32_t end) const noexcept {
  for (const auto& r : unreliable)
    if (begin < r.end && r.begin < end) return true;
  return false;
}

std::shared_ptr<const normalizer_data> load_normalizer_data(const data_files&) {
  return std::make_shared<normalizer_data>();
}

struct normalizer::impl {
  std::shared_ptr<const normalizer_data> data;
};

normalizer::normalizer(std::shared_ptr<const normalizer_data> data)
    : impl_(std::make_unique<impl>(impl{std::move(data)})) {}
normalizer::~normalizer() = default;
normalizer::normalizer(normalizer&&) noexcept = default;
normalizer& normalizer::operator=(normalizer&&) noexcept = default;

void normalizer::normalize(std::string_view in, text_field, normalized_text& out) {
  out.clear();
  out.text.assign(in);
  out.origin.resize(in.size() + 1);
  for (std::uint32_t i = 0; i <= in.size(); ++i) out.origin[i] = i;
}

}  // namespace coopwatch::core
