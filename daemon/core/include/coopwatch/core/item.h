#pragma once
// A decoded raw news item: views into the decoder's buffers. An item is valid
// until the next call to decode() on the decoder that produced it.

#include <string_view>

namespace coopwatch::core {

struct item {
  std::string_view id;
  std::string_view title;
  std::string_view body;
  std::string_view source;
  std::string_view url;
  std::string_view published_at;
};

// Which text field of the item a position refers to.
enum class text_field : unsigned char { title = 0, body = 1 };

[[nodiscard]] constexpr std::string_view field_name(text_field f) noexcept {
  return f == text_field::title ? "title" : "body";
}

}  // namespace coopwatch::core
