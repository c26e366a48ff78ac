#include "coopwatch/core/json_writer.h"

#include <charconv>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace coopwatch::core {

void json_writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.back()) out_.push_back(',');
  first_.back() = false;
}

json_writer& json_writer::begin_object() {
  separate();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}

json_writer& json_writer::end_object() {
  first_.pop_back();
  out_.push_back('}');
  return *this;
}

json_writer& json_writer::begin_array() {
  separate();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}

json_writer& json_writer::end_array() {
  first_.pop_back();
  out_.push_back(']');
  return *this;
}

json_writer& json_writer::key(std::string_view k) {
  separate();
  write_string(k);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

json_writer& json_writer::value(std::string_view s) {
  separate();
  write_string(s);
  return *this;
}

json_writer& json_writer::value(double d) {
  separate();
  if (!std::isfinite(d)) {
    out_ += "null";  // JSON has no NaN or infinity
    return *this;
  }
  char buf[32];
  // Whole numbers (yuan, persons) print as integers, not 1.3308e+10, so that
  // warehouse loaders can read them into integer columns.
  if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(d));
    out_.append(buf, r.ptr);
  } else {
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    out_.append(buf, r.ptr);
  }
  return *this;
}

json_writer& json_writer::value(std::int64_t i) {
  separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  out_.append(buf, r.ptr);
  return *this;
}

json_writer& json_writer::value(std::uint64_t u) {
  separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, u);
  out_.append(buf, r.ptr);
  return *this;
}

json_writer& json_writer::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

json_writer& json_writer::null() {
  separate();
  out_ += "null";
  return *this;
}

namespace {

// The first byte at or after i that may need escaping: '"', '\\', a control
// character, or 0xE2 (which opens U+2028 and U+2029). Text is mostly plain,
// so 16 bytes are checked at a time.
std::size_t skip_plain(std::string_view s, std::size_t i) noexcept {
#if defined(__SSE2__)
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
    const __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xE2))), control));
    if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special)); mask != 0)
      return i + static_cast<unsigned>(__builtin_ctz(mask));
  }
#endif
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\' || c < 0x20 || c == 0xE2) return i;
    ++i;
  }
  return i;
}

}  // namespace

void json_writer::write_string(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_.push_back('"');
  std::size_t run = 0;  // start of the pending run of bytes that need no escaping
  auto flush = [&](std::size_t i) { out_.append(s.data() + run, i - run); };
  for (std::size_t i = 0; i < s.size(); ++i) {
    i = skip_plain(s, i);
    if (i == s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    char small[7];
    if (c == '"') esc = "\\\"";
    else if (c == '\\') esc = "\\\\";
    else if (c == '\n') esc = "\\n";
    else if (c == '\r') esc = "\\r";
    else if (c == '\t') esc = "\\t";
    else if (c < 0x20) {
      small[0] = '\\'; small[1] = 'u'; small[2] = '0'; small[3] = '0';
      small[4] = kHex[c >> 4]; small[5] = kHex[c & 15]; small[6] = 0;
      esc = small;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      // U+2028 / U+2029 are valid JSON but break JavaScript embedding.
      flush(i);
      out_ += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
      run = i + 1;
      continue;
    }
    if (esc) {
      flush(i);
      out_ += esc;
      run = i + 1;
    }
  }
  flush(s.size());
  out_.push_back('"');
}

}  // namespace coopwatch::core
