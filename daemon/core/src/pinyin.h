#pragma once
// Recognises pinyin glosses that some sites put after characters, such as
// "戰(zhàn)" or "領（lǐng）": a parenthesised lower-case syllable with a tone
// mark. The caller checks that a CJK character precedes the gloss.

#include <cstddef>
#include <string_view>

namespace coopwatch::core::detail {

// If s starts with a gloss ("(" or "（", 1-7 pinyin letters with at least one
// tone mark, ")" or "）"), returns its length in bytes; otherwise 0.
std::size_t pinyin_gloss_length(std::string_view s) noexcept;

}  // namespace coopwatch::core::detail
