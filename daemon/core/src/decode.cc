#include "coopwatch/core/decode.h"

#include <simdjson.h>

#include <array>
#include <cstring>

namespace coopwatch::core {

struct decoder::impl {
  simdjson::dom::parser parser;
  simdjson::ondemand::parser lazy;  // fallback for numbers the DOM parser cannot hold
  // Records are copied into this buffer, which keeps SIMDJSON_PADDING spare
  // bytes, so the parser never reallocates the input per record.
  std::unique_ptr<char[]> buffer;
  std::size_t capacity = 0;

  std::string_view pad(std::string_view record) {
    if (record.size() + simdjson::SIMDJSON_PADDING > capacity) {
      capacity = (record.size() + simdjson::SIMDJSON_PADDING) * 2;
      buffer = std::make_unique<char[]>(capacity);
    }
    std::memcpy(buffer.get(), record.data(), record.size());
    std::memset(buffer.get() + record.size(), 0, simdjson::SIMDJSON_PADDING);
    return {buffer.get(), record.size()};
  }
};

decoder::decoder(decode_limits limits) : impl_(std::make_unique<impl>()), limits_(limits) {}
decoder::~decoder() = default;
decoder::decoder(decoder&&) noexcept = default;
decoder& decoder::operator=(decoder&&) noexcept = default;

namespace {

bool all_space(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}

// More than `max` characters (code points of valid UTF-8)?
bool too_long(std::string_view s, std::size_t max) {
  if (s.size() <= max) return false;
  std::size_t chars = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80 && ++chars > max) return true;
  return false;
}

// The optional string fields of an item, and where each goes.
constexpr std::string_view kOptional[] = {"title", "body", "source", "url", "published_at"};

std::array<std::string_view*, std::size(kOptional)> optional_targets(item& out) {
  return {&out.title, &out.body, &out.source, &out.url, &out.published_at};
}

std::string not_a_string(std::string_view field) {
  return "field \"" + std::string(field) + "\" is not a string";
}

error_code from_simdjson(simdjson::error_code e) {
  switch (e) {
    case simdjson::UTF8_ERROR: return error_code::invalid_utf8;
    case simdjson::DEPTH_ERROR: return error_code::too_deep;
    case simdjson::CAPACITY: return error_code::oversized;
    case simdjson::EMPTY: return error_code::empty_record;
    default: return error_code::malformed_json;
  }
}

// Reads an optional string field: absent and null are empty; anything else
// that is not a string is a type error.
bool optional_string(simdjson::dom::object obj, std::string_view key, std::string_view& out) {
  auto field = obj[key];
  if (field.error() == simdjson::NO_SUCH_FIELD) return true;
  if (field.is_null()) return true;
  auto s = field.get_string();
  if (s.error()) return false;
  out = s.value_unsafe();
  return true;
}

}  // namespace

// The DOM parser refuses a whole document over one number it cannot hold
// (an integer beyond 64 bits in a field we never read). Such a record is
// valid JSON: the lazy parser reads just our fields and skips the rest.
// Structure and UTF-8 were already validated by the first pass.
error_code decoder::decode_lazily(std::string_view padded, item& out) {
  using namespace simdjson;
  ondemand::document doc;
  if (impl_->lazy.iterate(padded.data(), padded.size(), padded.size() + SIMDJSON_PADDING).get(doc))
    return error_code::malformed_json;
  ondemand::object obj;
  if (doc.get_object().get(obj)) return error_code::not_an_object;
  bool have_id = false;
  const auto targets = optional_targets(out);
  bool seen[std::size(kOptional)] = {};
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return error_code::malformed_json;
    ondemand::value v;
    if (field.value().get(v)) return error_code::malformed_json;
    if (key == "id" && !have_id) {
      have_id = true;
      if (v.get_string().get(out.id) || out.id.empty() || too_long(out.id, limits_.max_id_chars))
        return error_code::bad_id;
      continue;
    }
    for (std::size_t i = 0; i < std::size(kOptional); ++i) {
      if (key != kOptional[i] || seen[i]) continue;
      seen[i] = true;
      if (v.is_null()) break;
      if (v.get_string().get(*targets[i])) {
        detail_ = not_a_string(kOptional[i]);
        return error_code::wrong_type;
      }
    }
  }
  if (!have_id) return error_code::missing_id;
  if (out.title.empty() && out.body.empty()) return error_code::missing_text;
  return error_code::ok;
}

error_code decoder::decode(std::string_view record, item& out) {
  out = {};
  detail_.clear();
  if (record.size() > limits_.max_record_bytes) {
    detail_ = std::to_string(record.size()) + " bytes > " + std::to_string(limits_.max_record_bytes);
    return error_code::oversized;
  }
  if (all_space(record)) return error_code::empty_record;

  simdjson::dom::element root;
  std::string_view padded = impl_->pad(record);
  if (auto e = impl_->parser.parse(padded.data(), padded.size(), false).get(root); e) {
    if (e == simdjson::NUMBER_ERROR ||
        e == simdjson::NUMBER_OUT_OF_RANGE) {
      out = {};
      return decode_lazily(padded, out);
    }
    detail_ = simdjson::error_message(e);
    return from_simdjson(e);
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) return error_code::not_an_object;

  auto id = obj["id"];
  if (id.error() == simdjson::NO_SUCH_FIELD) return error_code::missing_id;
  std::string_view id_text;
  if (id.get_string().get(id_text) || id_text.empty() || too_long(id_text, limits_.max_id_chars)) {
    return error_code::bad_id;
  }
  out.id = id_text;

  const auto targets = optional_targets(out);
  for (std::size_t i = 0; i < std::size(kOptional); ++i) {
    if (!optional_string(obj, kOptional[i], *targets[i])) {
      detail_ = not_a_string(kOptional[i]);
      return error_code::wrong_type;
    }
  }
  if (out.title.empty() && out.body.empty()) return error_code::missing_text;
  return error_code::ok;
}

}  // namespace coopwatch::core
