#pragma once
// Where sentences end in a text: 。！？； and their ASCII forms !?; and line
// breaks. The classifier numbers sentences with these (pairs named in one
// sentence are stronger evidence); finding them apart from its lexicon scan
// keeps a fifth of all matches out of it. Stateless.

#include <cstdint>
#include <string_view>
#include <vector>

namespace coopwatch::core::detail {

// Replaces `out` with the byte offsets of every sentence end in `text`, in order.
void find_sentence_ends(std::string_view text, std::vector<std::uint32_t>& out);

// True if `s` holds a sentence end (a lexicon entry must not: it would hide one).
bool has_sentence_end(std::string_view s);

}  // namespace coopwatch::core::detail
