// libFuzzer target for the text normaliser: any bytes, as title or body, must
// normalise without crashing, with origins inside the input and increasing,
// and unreliable spans inside the output.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "coopwatch/core/normalize.h"
#include "io/data_dir.h"

namespace {

coopwatch::core::normalizer& the_normalizer() {
  static coopwatch::core::normalizer n(coopwatch::core::load_normalizer_data(
      coopwatch::io::read_data_dir(COOPWATCH_DATA_DIR)));
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace coopwatch::core;
  if (size == 0) return 0;
  // The first byte picks the field; the rest is the text.
  const text_field field = (data[0] & 1) ? text_field::title : text_field::body;
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  static normalized_text out;
  the_normalizer().normalize(in, field, out);
  if (out.origin.size() != out.text.size() + 1 || out.origin.back() != in.size()) std::abort();
  for (std::size_t i = 0; i < out.text.size(); ++i) {
    if (out.origin[i] > in.size()) std::abort();
    if (i > 0 && out.origin[i - 1] > out.origin[i]) std::abort();
  }
  for (const auto& r : out.unreliable)
    if (r.begin >= r.end || r.end > out.text.size()) std::abort();
  return 0;
}
