#include "html_strip.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace coopwatch::core::detail {
namespace {

struct named_entity {
  std::string_view name;
  char32_t cp;
};

// Entities seen in scraped Chinese news; anything else stays as text.
constexpr std::array<named_entity, 34> named_entities{{
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},         {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},      {"ldquo", 0x201C},   {"rdquo", 0x201D},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},   {"mdash", 0x2014},   {"ndash", 0x2013},
    {"hellip", 0x2026}, {"middot", 0xB7},    {"bull", 0x2022},    {"times", 0xD7},
    {"divide", 0xF7},   {"copy", 0xA9},      {"reg", 0xAE},       {"trade", 0x2122},
    {"yen", 0xA5},      {"deg", 0xB0},       {"plusmn", 0xB1},    {"emsp", 0x2003},
    {"ensp", 0x2002},   {"thinsp", 0x2009},  {"laquo", 0xAB},     {"raquo", 0xBB},
    {"sect", 0xA7},     {"para", 0xB6},      {"permil", 0x2030},  {"rarr", 0x2192},
    {"larr", 0x2190},   {"zwnj", 0x200C},
}};

constexpr bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
constexpr bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr unsigned char lower(unsigned char c) { return is_alpha(c) ? (c | 0x20) : c; }

bool iequals_prefix(std::string_view s, std::string_view lower_word) {
  if (s.size() < lower_word.size()) return false;
  for (std::size_t i = 0; i < lower_word.size(); ++i)
    if (lower(static_cast<unsigned char>(s[i])) != static_cast<unsigned char>(lower_word[i]))
      return false;
  return true;
}

// Tags after which text starts on a new line.
bool is_block_tag(std::string_view name) {
  static constexpr std::array<std::string_view, 28> block{
      "p",  "br",      "div",     "li",     "tr",     "h1",     "h2",         "h3",   "h4",  "h5",
      "h6", "ul",      "ol",      "table",  "tbody",  "section", "article",   "header", "footer",
      "blockquote",    "title",   "dd",     "dt",     "hr",     "pre",        "nav",  "dl",  "form"};
  return std::find(block.begin(), block.end(), name) != block.end();
}

// Finds the case-insensitive closing tag "</name" from pos; returns npos if absent.
std::size_t find_close(std::string_view in, std::size_t pos, std::string_view name) {
  while (pos < in.size()) {
    const void* lt = std::memchr(in.data() + pos, '<', in.size() - pos);
    if (!lt) return std::string_view::npos;
    pos = std::size_t(static_cast<const char*>(lt) - in.data());
    if (pos + 1 < in.size() && in[pos + 1] == '/' && iequals_prefix(in.substr(pos + 2), name))
      return pos;
    ++pos;
  }
  return std::string_view::npos;
}

// The first byte in [i, size) that `special` flags, or size. When the field
// is valid UTF-8 only CR, NUL, '<' and '&' can be special: 16 bytes at a time.
std::size_t find_special(const unsigned char* base, std::size_t i, std::size_t size,
                         const std::array<bool, 256>& special, bool ascii_only) noexcept {
#if defined(__SSE2__)
  if (ascii_only) {
    const bool markup = special['<'];
    while (i + 16 <= size) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
      const auto eq = [&](char b) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(b)); };
      __m128i hit = _mm_or_si128(eq('\r'), eq('\0'));
      if (markup) hit = _mm_or_si128(hit, _mm_or_si128(eq('<'), eq('&')));
      const auto mask = unsigned(_mm_movemask_epi8(hit));
      if (mask != 0) return i + unsigned(__builtin_ctz(mask));
      i += 16;
    }
  }
#else
  (void)ascii_only;
#endif
  while (i < size && !special[base[i]]) ++i;
  return i;
}

}  // namespace

std::size_t decode_entity(std::string_view s, char32_t& cp) noexcept {
  // s[0] == '&'; the longest entity we accept is "&#x10FFFF;" or a 6-letter name.
  const std::size_t max = std::min<std::size_t>(s.size(), 12);
  std::size_t i = 1;
  if (i < max && s[i] == '#') {
    ++i;
    const bool hex = i < max && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    const std::size_t digits_begin = i;
    std::uint32_t v = 0;
    while (i < max) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      unsigned d;
      if (is_digit(c)) d = c - '0';
      else if (hex && lower(c) >= 'a' && lower(c) <= 'f') d = lower(c) - 'a' + 10;
      else break;
      v = v * (hex ? 16 : 10) + d;
      if (v > 0x10FFFF) v = 0x110000;  // saturate; rejected below
      ++i;
    }
    if (i == digits_begin || i >= s.size() || s[i] != ';') return 0;
    const bool ok = v != 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF);
    cp = ok ? char32_t(v) : replacement_char;
    return i + 1;
  }
  while (i < max && is_alpha(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 1 || i >= s.size() || s[i] != ';') return 0;
  const std::string_view name = s.substr(1, i - 1);
  for (const auto& e : named_entities)
    if (e.name == name) {
      cp = e.cp;
      return i + 1;
    }
  return 0;
}

void strip_markup(std::string_view in, text_buffer& out, normalize_stats& stats, bool markup) {
  out.clear();
  out.reserve_more(in.size() + 16);
  const auto* const base = reinterpret_cast<const unsigned char*>(in.data());
  const auto* const end = base + in.size();
  bool no_more_gt = false;  // no '>' left in the input: every later '<' is text
  // Bytes that need a look: markup, CR, NUL and (unless the whole field is
  // valid UTF-8, the usual case) every non-ASCII byte.
  const bool valid = simdjson::validate_utf8(in.data(), in.size());
  std::array<bool, 256> special{};
  special['\r'] = special[0] = true;
  if (markup) special['<'] = special['&'] = true;
  if (!valid)
    for (int b = 0x80; b < 0x100; ++b) special[std::size_t(b)] = true;
  std::size_t i = 0;
  while (i < in.size()) {
    // Fast path: a run of plain text.
    const std::size_t j = find_special(base, i, in.size(), special, valid);
    if (j > i) {
      out.put_run(in.data() + i, j - i, std::uint32_t(i));
      i = j;
      if (i >= in.size()) break;
    }
    const unsigned char c = base[i];
    const auto org = std::uint32_t(i);
    if (c >= 0x80) {
      const decoded_char d = decode_utf8(base + i, end);
      if (!d.valid) ++stats.invalid_utf8;
      if (d.valid) out.put_run(in.data() + i, d.length, org);
      else out.put(replacement_char, org);
      i += d.length;
    } else if (c == '\r') {
      out.put_byte('\n', org);
      i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
    } else if (c == 0) {
      ++i;  // NUL carries nothing
    } else if (c == '&') {
      char32_t cp = 0;
      const std::size_t n = decode_entity(in.substr(i), cp);
      if (n == 0) {
        out.put_byte('&', org);
        ++i;
      } else {
        ++stats.html_entities;
        out.put(cp, org);
        i += n;
      }
    } else {  // '<'
      const unsigned char n1 = i + 1 < in.size() ? base[i + 1] : 0;
      const bool tag_like = is_alpha(n1) || n1 == '!' || n1 == '?' ||
                            (n1 == '/' && i + 2 < in.size() && is_alpha(base[i + 2]));
      if (!tag_like || no_more_gt) {
        out.put_byte('<', org);
        ++i;
        continue;
      }
      if (in.compare(i, 4, "<!--") == 0) {
        const std::size_t close = in.find("-->", i + 4);
        i = close == std::string_view::npos ? in.size() : close + 3;
        ++stats.html_tags;
        continue;
      }
      const void* gt = std::memchr(in.data() + i, '>', in.size() - i);
      if (!gt) {
        no_more_gt = true;
        out.put_byte('<', org);
        ++i;
        continue;
      }
      const std::size_t tag_end = std::size_t(static_cast<const char*>(gt) - in.data()) + 1;
      // Tag name, lower-cased, at most 16 letters.
      std::size_t k = i + 1 + (n1 == '/' ? 1 : 0);
      char name_buf[16];
      std::size_t name_len = 0;
      while (k < tag_end && (is_alpha(base[k]) || is_digit(base[k])) && name_len < sizeof name_buf)
        name_buf[name_len++] = char(lower(base[k++]));
      const std::string_view name(name_buf, name_len);
      ++stats.html_tags;
      i = tag_end;
      if (n1 != '/' && (name == "script" || name == "style") && in[tag_end - 2] != '/') {
        const std::size_t close = find_close(in, i, name);
        if (close == std::string_view::npos) {
          i = in.size();
        } else {
          const void* gt2 = std::memchr(in.data() + close, '>', in.size() - close);
          i = gt2 ? std::size_t(static_cast<const char*>(gt2) - in.data()) + 1 : in.size();
        }
      }
      if (is_block_tag(name)) out.put_byte('\n', org);
      else if (name == "td" || name == "th") out.put_byte(' ', org);
    }
  }
}

}  // namespace coopwatch::core::detail
