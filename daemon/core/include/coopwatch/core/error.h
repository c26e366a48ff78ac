#pragma once
// Every way a single record can fail on its way through the core, as a closed
// enum. The per-record path never throws: stages return an error_code and the
// shell decides what to do with it (dead-letter, count, retry). The names are
// stable: they are written into dead-letter headers and metric labels.

#include <cstdint>
#include <string_view>

namespace coopwatch::core {

enum class error_code : std::uint8_t {
  ok = 0,
  empty_record,    // the record has zero bytes (or only whitespace)
  oversized,       // the record is larger than the configured limit
  invalid_utf8,    // the record contains bytes that are not valid UTF-8
  malformed_json,  // the record is not parseable JSON (truncated, bad tokens, trailing data)
  too_deep,        // the JSON nests deeper than the parser accepts
  not_an_object,   // the top-level JSON value is an array, a number, a string ...
  missing_id,      // no "id" field
  bad_id,          // "id" is present but not a non-empty string of sane length
  missing_text,    // neither "title" nor "body" is a non-empty string
  wrong_type,      // a known optional field (title, body, source, url, published_at) is not a string
};

// Machine name, e.g. "malformed_json": used in headers and metric labels.
[[nodiscard]] std::string_view error_name(error_code code) noexcept;
// One human sentence describing the failure.
[[nodiscard]] std::string_view error_message(error_code code) noexcept;

}  // namespace coopwatch::core
