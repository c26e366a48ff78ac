#pragma once
// Raw record bytes -> item. One decoder per thread: it owns a simdjson parser
// and a padded buffer that are reused for every record, so decoding allocates
// only when a record is larger than any seen before. Not thread-safe.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "coopwatch/core/error.h"
#include "coopwatch/core/item.h"

namespace coopwatch::core {

struct decode_limits {
  std::size_t max_record_bytes = 1 << 20;  // larger records are dead-lettered as oversized
  std::size_t max_id_chars = 256;          // an id is a key, not a document (characters, as JSON Schema counts)
};

class decoder {
 public:
  explicit decoder(decode_limits limits = {});
  ~decoder();
  decoder(decoder&&) noexcept;
  decoder& operator=(decoder&&) noexcept;

  // Parses `record`; on ok, `out` views into this decoder until the next call.
  [[nodiscard]] error_code decode(std::string_view record, item& out);

  // Extra words about the last failure (e.g. the field name), may be empty.
  [[nodiscard]] std::string_view detail() const noexcept { return detail_; }

 private:
  error_code decode_lazily(std::string_view padded, item& out);

  struct impl;
  std::unique_ptr<impl> impl_;
  decode_limits limits_;
  std::string detail_;
};

}  // namespace coopwatch::core
