#pragma once
// Pass 1 of the normaliser: raw field bytes -> UTF-8 text without markup.
// Validates UTF-8 (ill-formed bytes become U+FFFD, counted), removes tags,
// comments and <script>/<style> content (block-level tags become line
// breaks), decodes character entities and turns CR/CRLF into LF.

#include <string_view>

#include "coopwatch/core/normalize.h"
#include "normalize_buffer.h"

namespace coopwatch::core::detail {

// With markup == false only the UTF-8 check and line ends are done.
void strip_markup(std::string_view in, text_buffer& out, normalize_stats& stats,
                  bool markup = true);

// Decodes the entity starting at `s` (s[0] == '&'). Returns the number of
// bytes it spans and sets cp, or 0 if `s` does not start an entity.
std::size_t decode_entity(std::string_view s, char32_t& cp) noexcept;

}  // namespace coopwatch::core::detail
