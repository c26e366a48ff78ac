#include "normalize_nfkc.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <stdexcept>

namespace coopwatch::core::detail {
namespace {

const icu::Normalizer2* nfkc(const void* p) { return static_cast<const icu::Normalizer2*>(p); }

}  // namespace

void nfkc_table::build() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status) || n == nullptr)
    throw std::runtime_error(std::string("ICU NFKC unavailable: ") + u_errorName(status));
  icu_nfkc_ = n;
  // Beyond plane 2 NFKC changes nothing we could meet in news text.
  for (char32_t cp = 0x80; cp < 0x30000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    if (n->isInert(UChar32(cp))) continue;
    const bool back = !n->hasBoundaryBefore(UChar32(cp));
    const icu::UnicodeString src{UChar32(cp)};
    icu::UnicodeString dst = n->normalize(src, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC failed");
    std::u32string mapped;
    for (int32_t i = 0; i < dst.length(); i = dst.moveIndex32(i, 1))
      mapped.push_back(char32_t(dst.char32At(i)));
    const bool same = mapped.size() == 1 && mapped[0] == cp;
    if (same && !back) continue;
    std::uint32_t v = back ? back_flag : 0;
    if (!same && !mapped.empty() && mapped.size() <= len_mask) {
      v |= (std::uint32_t(pool_.size()) << len_bits) | std::uint32_t(mapped.size());
      pool_ += mapped;
    } else if (!same && mapped.empty()) {
      continue;  // NFKC never deletes a lone character; nothing to do
    }
    if (v != 0) table_.set(cp, v);
  }
}

std::size_t nfkc_table::normalize_slow(const char32_t* in, std::size_t n, char32_t* out,
                                       std::size_t cap) const noexcept {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString src;
  for (std::size_t i = 0; i < n; ++i) src.append(UChar32(in[i]));
  const icu::UnicodeString dst = nfkc(icu_nfkc_)->normalize(src, status);
  std::size_t k = 0;
  if (U_FAILURE(status)) {
    for (; k < n && k < cap; ++k) out[k] = in[k];
    return k;
  }
  for (int32_t i = 0; i < dst.length() && k < cap; i = dst.moveIndex32(i, 1))
    out[k++] = char32_t(dst.char32At(i));
  return k;
}

}  // namespace coopwatch::core::detail
