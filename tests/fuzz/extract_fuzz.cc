// libFuzzer target: the number parser at every position of the input, then
// the extractor over the input as title and body (with an unreliable span and
// a fake pair so every path runs). Checks the invariants callers rely on:
// lengths and spans stay inside the text, values are finite.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "coopwatch/core/extract.h"
#include "coopwatch/core/number.h"
#include "io/data_dir.h"

namespace {

using namespace coopwatch;

core::extractor& shared_extractor() {
  static core::extractor ex(core::load_extractor_data(io::read_data_dir(COOPWATCH_DATA_DIR)));
  return ex;
}

core::normalized_text as_text(std::string_view s) {
  core::normalized_text t;
  t.text.assign(s);
  t.origin.resize(s.size() + 1);
  for (std::uint32_t i = 0; i <= s.size(); ++i) t.origin[i] = i;
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  for (std::size_t pos = 0; pos <= in.size(); ++pos) {
    const auto n = core::parse_number(in, pos);
    if (!n) continue;
    if (n->length == 0 || pos + n->length > in.size()) std::abort();
    if (!std::isfinite(n->value) || n->value < 0) std::abort();
  }
  const auto split = in.find('\n');
  const auto title = as_text(split == std::string_view::npos ? std::string_view{} : in.substr(0, split));
  auto body = as_text(split == std::string_view::npos ? in : in.substr(split + 1));
  if (body.text.size() > 8) body.unreliable.push_back({2, 6});
  core::classification cls;
  cls.pairs.push_back({"上海", "云南", "闵行", "隆阳", 1, core::text_field::body, 0, 0});
  std::vector<core::figure> out;
  shared_extractor().extract(title, body, cls, out);
  for (const auto& f : out) {
    if (!std::isfinite(f.value) || f.mentions.empty()) std::abort();
    for (const auto& m : f.mentions) {
      const auto& t = m.field == core::text_field::title ? title : body;
      if (m.begin >= m.end || m.end > t.text.size()) std::abort();
      if (m.orig_end > t.text.size()) std::abort();
    }
  }
  return 0;
}
