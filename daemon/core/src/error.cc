#include "coopwatch/core/error.h"

namespace coopwatch::core {

std::string_view error_name(error_code code) noexcept {
  switch (code) {
    case error_code::ok: return "ok";
    case error_code::empty_record: return "empty_record";
    case error_code::oversized: return "oversized";
    case error_code::invalid_utf8: return "invalid_utf8";
    case error_code::malformed_json: return "malformed_json";
    case error_code::too_deep: return "too_deep";
    case error_code::not_an_object: return "not_an_object";
    case error_code::missing_id: return "missing_id";
    case error_code::bad_id: return "bad_id";
    case error_code::missing_text: return "missing_text";
    case error_code::wrong_type: return "wrong_type";
  }
  return "unknown";
}

std::string_view error_message(error_code code) noexcept {
  switch (code) {
    case error_code::ok: return "no error";
    case error_code::empty_record: return "the record is empty";
    case error_code::oversized: return "the record is larger than max_record_bytes";
    case error_code::invalid_utf8: return "the record is not valid UTF-8";
    case error_code::malformed_json: return "the record is not valid JSON";
    case error_code::too_deep: return "the JSON nests too deeply";
    case error_code::not_an_object: return "the record is not a JSON object";
    case error_code::missing_id: return "the required field \"id\" is missing";
    case error_code::bad_id: return "\"id\" must be a non-empty string of at most 256 characters";
    case error_code::missing_text: return "neither \"title\" nor \"body\" is a non-empty string";
    case error_code::wrong_type: return "a known field has the wrong type (strings expected)";
  }
  return "unknown error";
}

}  // namespace coopwatch::core
