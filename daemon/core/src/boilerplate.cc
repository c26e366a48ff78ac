#include "boilerplate.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "normalize_lines.h"
#include "utf8.h"

namespace coopwatch::core::detail {
namespace {

// Lines longer than this are prose: only a chrome phrase in their first
// chrome_prefix_bytes can mark them.
constexpr std::size_t long_line_bytes = 360;
constexpr std::size_t chrome_prefix_bytes = 36;

// The first space (as is_line_space() means it) in [i, end), or end.
std::size_t find_space(const unsigned char* base, std::size_t i, std::size_t end) noexcept {
#if defined(__SSE2__)
  while (i + 16 <= end) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
    const auto eq = [&](char b) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(b)); };
    const auto mask = unsigned(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(eq(' '), eq('\t')), _mm_or_si128(eq('\f'), eq('\v')))));
    if (mask != 0) return i + unsigned(__builtin_ctz(mask));
    i += 16;
  }
#endif
  while (i < end && !is_line_space(base[i])) ++i;
  return i;
}

// Byte length of the UTF-8 character whose lead byte is c (text is valid UTF-8).
constexpr std::size_t char_length(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}


bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "2020-07-17 16:48", "2019-5-11", "2020/07/17".
bool has_date(std::string_view s) {
  for (std::size_t i = 0; i + 8 <= s.size(); ++i) {
    if (!(is_digit(s[i]) && is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3])))
      continue;
    if (i > 0 && is_digit(s[i - 1])) continue;
    const char sep = s[i + 4];
    if (sep != '-' && sep != '/' && sep != '.') continue;
    std::size_t j = i + 5, d = 0;
    while (j < s.size() && is_digit(s[j]) && d < 2) ++j, ++d;
    if (d == 0 || j >= s.size() || s[j] != sep) continue;
    ++j;
    if (j < s.size() && is_digit(s[j])) return true;
  }
  return false;
}

// Code points in valid UTF-8: the bytes that are not continuation bytes
// (10xxxxxx), eight at a time.
std::size_t count_chars(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t size = s.size();
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  std::size_t n = 0, i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    // Per byte: bit 7 clear or bit 6 set.
    const std::uint64_t lead = ((~w >> 7) | (w >> 6)) & ones;
    n += std::size_t((lead * ones) >> 56);
  }
  for (; i < size; ++i) n += (p[i] & 0xC0) != 0x80;
  return n;
}

// The time stamp and comment count of a line whose digits are counted.
void find_stamps(std::string_view s, line_features& f) {
  if (f.digits == 0) return;
  if (f.digits >= 6) f.timestamp = has_date(s);
  const std::size_t c = s.find("评论 ");
  f.comment_count = c != std::string_view::npos && c + 7 < s.size() && is_digit(s[c + 7]);
}

}  // namespace

// Byte-level: steps from lead byte to lead byte (lines are valid UTF-8), no decoding.
line_features features_by_char(std::string_view s) {
  line_features f;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t segment = 0;
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    ++f.chars;
    if (c >= 0x80) {
      const std::size_t len = char_length(c);
      bool sep = false;
      if (c == 0xE3 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x82) f.full_stop = true;  // 。
      if (c == 0xE2 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0xBA) sep = true;  // ›
      if (c == 0xC2 && i + 1 < n && p[i + 1] == 0xBB) sep = true;                      // »
      i += len;
      if (sep) {
        ++f.separators;
        f.longest_segment = std::max(f.longest_segment, segment);
        segment = 0;
      } else {
        ++segment;
      }
      continue;
    }
    ++i;
    if (c == '|' || c == '>' || c == '/' || c == '_') {
      ++f.separators;
      if (c == '_') ++f.underscores;
      f.longest_segment = std::max(f.longest_segment, segment);
      segment = 0;
    } else if (c != ' ') {
      ++segment;
    }
    if (c >= '0' && c <= '9') ++f.digits;
    if (c == ',') ++f.commas;
  }
  f.longest_segment = std::max(f.longest_segment, segment);
  find_stamps(s, f);
  return f;
}

// The same, 16 bytes at a time, for the usual line without separators (its
// longest segment is then every character but the ASCII spaces); a line with
// a separator, or its last few bytes, go through features_by_char().
line_features features(std::string_view s) {
#if defined(__SSE2__)
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  line_features f;
  std::size_t spaces = 0, i = 0;
  // Per-byte-lane counters (a compare gives -1 per hit, subtracted), summed
  // at the end: no population count per block. Lines here are short (under
  // long_line_bytes), far from the 255 blocks a lane can count.
  const auto splat = [](unsigned char b) { return _mm_set1_epi8(static_cast<char>(b)); };
  const auto bits = [](__m128i m) { return unsigned(_mm_movemask_epi8(m)); };
  // Two bytes of lookahead for the three-byte marks (。 › ), so blocks stop
  // two bytes short of the end.
  __m128i leads = _mm_setzero_si128(), digit_count = _mm_setzero_si128();
  __m128i comma_count = _mm_setzero_si128(), space_count = _mm_setzero_si128();
  unsigned full_stops = 0;
  for (; i + 18 <= n && i < 255 * 16; i += 16) {
    const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
    const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 2));
    const auto eq = [&](const __m128i& v, unsigned char b) { return _mm_cmpeq_epi8(v, splat(b)); };
    const unsigned seps = bits(_mm_or_si128(_mm_or_si128(eq(v0, '|'), eq(v0, '>')),
                                            _mm_or_si128(eq(v0, '/'), eq(v0, '_')))) |
                          bits(_mm_and_si128(_mm_and_si128(eq(v0, 0xE2), eq(v1, 0x80)), eq(v2, 0xBA))) |
                          bits(_mm_and_si128(eq(v0, 0xC2), eq(v1, 0xBB)));
    if (seps != 0) return features_by_char(s);
    // A character per byte that is not a continuation byte (10xxxxxx).
    leads = _mm_sub_epi8(leads, _mm_xor_si128(_mm_cmpeq_epi8(_mm_and_si128(v0, splat(0xC0)), splat(0x80)),
                                              splat(0xFF)));
    // Digits: '0' <= b <= '9' as unsigned bytes, via saturating subtraction.
    const __m128i off = _mm_sub_epi8(v0, splat('0'));
    digit_count = _mm_sub_epi8(digit_count, _mm_cmpeq_epi8(_mm_subs_epu8(off, splat(9)), _mm_setzero_si128()));
    comma_count = _mm_sub_epi8(comma_count, eq(v0, ','));
    space_count = _mm_sub_epi8(space_count, eq(v0, ' '));
    full_stops |= bits(_mm_and_si128(_mm_and_si128(eq(v0, 0xE3), eq(v1, 0x80)), eq(v2, 0x82)));
  }
  const auto lane_sum = [](__m128i c) {
    const __m128i s = _mm_sad_epu8(c, _mm_setzero_si128());
    return std::size_t(_mm_cvtsi128_si32(s)) + std::size_t(_mm_cvtsi128_si32(_mm_unpackhi_epi64(s, s)));
  };
  f.chars = lane_sum(leads);
  f.digits = lane_sum(digit_count);
  f.commas = lane_sum(comma_count);
  spaces = lane_sum(space_count);
  f.full_stop = full_stops != 0;
  // The rest from the start of the character the blocks ended in (its lead
  // byte, counted there, is counted again below).
  if (i < n && (p[i] & 0xC0) == 0x80) {
    while ((p[i] & 0xC0) == 0x80) --i;
    --f.chars;
  }
  const line_features t = features_by_char(s.substr(i));
  if (t.separators != 0) return features_by_char(s);
  f.chars += t.chars;
  f.digits += t.digits;
  f.commas += t.commas;
  f.full_stop = f.full_stop || t.full_stop;
  // No separators: one segment of every character but the ASCII spaces.
  f.longest_segment = f.chars - spaces - (t.chars - t.longest_segment);
  f.timestamp = f.comment_count = false;
  find_stamps(s, f);
  return f;
#else
  return features_by_char(s);
#endif
}

namespace {

// Every space-separated token is one of `words`.
bool only_words(std::string_view s, const phrase_set& words) {
  bool any = false;
  while (!s.empty()) {
    const std::size_t sp = s.find(' ');
    const std::string_view tok = s.substr(0, sp);
    if (!tok.empty()) {
      if (!words.contains_exactly(tok)) return false;
      any = true;
    }
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
  return any;
}

bool is_image_name(std::string_view s) {
  static constexpr std::string_view exts[] = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"};
  if (s.size() > 120) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80 || c == ' ') return false;
  for (auto e : exts) {
    if (s.size() <= e.size()) continue;
    std::string_view tail = s.substr(s.size() - e.size());
    bool eq = true;
    for (std::size_t i = 0; i < e.size(); ++i)
      if ((tail[i] | 0x20) != e[i]) eq = false;
    if (eq) return true;
  }
  return false;
}

bool only_punct(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  while (p < end) {
    const decoded_char d = decode_utf8(p, end);
    const char32_t c = d.cp;
    const bool letter = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                        is_cjk_ideograph(c) || (c >= 0xC0 && c < 0x2000);
    if (letter) return false;
    p += d.length;
  }
  return true;
}

// A headline in a list of links: short, not a finished sentence.
bool headline_like(const line_features& f) { return f.chars <= 50 && !f.full_stop; }

// A line without the marks that may frame or lead a header (【相关新闻】,
// [相关阅读], ■ 延伸阅读, >> 往期推荐).
std::string_view unframed(std::string_view s) {
  static constexpr std::string_view kMarks[] = {"【", "[", "〔", "〖", "(", "■", "□", "●", "○", "◆", "◇", "▶", "►",
                                                "▲", "★", "☆", "·", "•", ">", "》", "「", "『", " "};
  // Every mark starts with one of these bytes; most lines start otherwise.
  auto may_start_mark = [](std::string_view t) {
    if (t.empty()) return false;
    const auto b = static_cast<unsigned char>(t[0]);
    return b == '[' || b == '(' || b == '>' || b == ' ' || b == 0xE2 || b == 0xE3 || b == 0xC2;
  };
  for (bool more = may_start_mark(s); more;) {
    more = false;
    for (const auto mark : kMarks)
      if (s.starts_with(mark)) {
        s.remove_prefix(mark.size());
        more = true;
      }
  }
  return s;
}

// The result's text and origins as the last pass writes them: appends only,
// so nothing is zero-filled and nothing is copied afterwards.
class result_writer {
 public:
  result_writer(std::string& text, std::vector<std::uint32_t>& origin)
      : text_(text), origin_(origin) {}
  [[nodiscard]] std::size_t size() const noexcept { return text_.size(); }
  [[nodiscard]] char back() const noexcept { return text_.back(); }
  void put_byte(char c, std::uint32_t org) {
    text_.push_back(c);
    origin_.push_back(org);
  }
  void append_from(const text_buffer& src, std::size_t b, std::size_t e) {
    text_.append(src.data() + b, e - b);
    origin_.insert(origin_.end(), src.origins() + b, src.origins() + e);
  }
  void truncate(std::size_t n) {
    text_.resize(n);
    origin_.resize(n);
  }

 private:
  std::string& text_;
  std::vector<std::uint32_t>& origin_;
};

}  // namespace

void phrase_set::add(std::string_view phrase) {
  if (phrase.empty()) return;
  const auto* p = reinterpret_cast<const unsigned char*>(phrase.data());
  const char32_t first = decode_utf8(p, p + phrase.size()).cp;
  std::uint32_t g = first_.get(first);
  if (g == 0) {
    groups_.emplace_back();
    g = std::uint32_t(groups_.size());
    first_.set(first, g);
    first_bits_.set(first);
  }
  groups_[g - 1].emplace_back(phrase);
  if (!prefixes_.add(phrase)) {
    short_first_.set(first);
    if (first >= 0x800 && first < 0x10000) short_three_byte_ = true;
  }
}

bool phrase_set::match_at(std::string_view s, std::size_t i, char32_t first) const noexcept {
  if (!first_bits_.test(first)) return false;
  if (!short_first_.test(first) && !prefixes_.may_start(s.substr(i))) return false;
  const std::uint32_t g = first_.get(first);
  if (g == 0) return false;
  for (const auto& p : groups_[g - 1])
    if (s.compare(i, p.size(), p) == 0) return true;
  return false;
}

std::size_t phrase_set::find(std::string_view s) const noexcept {
  const auto* const b = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const e = b + s.size();
  const std::uint64_t* const words = first_bits_.words();
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = b[i];
    if (c < 0x80) {
      if (((words[c >> 6] >> (c & 63)) & 1) == 0) {
        ++i;
        continue;
      }
    } else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
      // A three-byte character (most of Chinese text). Common characters
      // open some phrase (来源, 不良信息), so the first test is on the first
      // two characters together where the text allows; else its bit straight
      // from its bytes (s is valid UTF-8, as the normaliser's buffers are).
      // It is decoded only when some phrase may start here.
      if (i + 8 <= n && !short_three_byte_) {
        if (!prefixes_.may_start_wide(s.data() + i)) {
          i += 3;
          continue;
        }
      } else if (((words[((c & 0x0Fu) << 6) | (b[i + 1] & 0x3Fu)] >> (b[i + 2] & 0x3F)) & 1) == 0) {
        i += 3;
        continue;
      }
    }
    const decoded_char d = decode_utf8(b + i, e);
    if (first_bits_.test(d.cp) && match_at(s, i, d.cp)) return i;
    i += d.length;
  }
  return std::string_view::npos;
}

bool phrase_set::starts(std::string_view s) const noexcept {
  if (s.empty()) return false;
  const auto* const b = reinterpret_cast<const unsigned char*>(s.data());
  return match_at(s, 0, decode_utf8(b, b + s.size()).cp);
}

bool phrase_set::contains_exactly(std::string_view s) const noexcept {
  if (s.empty()) return false;
  const auto* const b = reinterpret_cast<const unsigned char*>(s.data());
  const std::uint32_t g = first_.get(decode_utf8(b, b + s.size()).cp);
  if (g == 0) return false;
  for (const auto& p : groups_[g - 1])
    if (p == s) return true;
  return false;
}

void boilerplate_lexicon::load(std::string_view boilerplate_txt, std::string_view spam_txt) {
  phrase_set* section = nullptr;
  for_each_data_line(boilerplate_txt, "normalize/boilerplate.txt",
                     [&](std::string_view line, const data_error& fail) {
                       if (line == "[line]") section = &line_words;
                       else if (line == "[chrome]") section = &chrome;
                       else if (line == "[related]") section = &related;
                       else if (line.front() == '[') fail("unknown section");
                       else if (!section) fail("entry before the first [section]");
                       else section->add(line);
                     });
  for_each_data_line(spam_txt, "normalize/spam.txt",
                     [&](std::string_view line, const data_error&) { spam.add(line); });
}

void filter_lines(const text_buffer& in, const boilerplate_lexicon& lex, bool is_title,
                  bool remove_chrome, std::vector<line_info>& lines, std::string& out_text,
                  std::vector<std::uint32_t>& out_origin, normalize_stats& stats) {
  out_text.reserve(out_text.size() + in.size());
  out_origin.reserve(out_origin.size() + in.size() + 1);  // + the caller's end entry
  result_writer out(out_text, out_origin);
  lines.clear();
  const std::string_view text = in.view();
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  // Split into trimmed lines.
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::size_t b = pos, e = nl;
    while (b < e && is_line_space(base[b])) ++b;
    while (e > b && is_line_space(base[e - 1])) --e;
    if (b < e) lines.push_back({b, e, true});
    pos = nl + 1;
  }
  if (remove_chrome && !is_title) {
    bool in_list = false;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      line_info& l = lines[k];
      const std::string_view s = text.substr(l.begin, l.end - l.begin);
      if (s.size() > long_line_bytes) {
        // Prose. Only a chrome phrase opening it (a long copyright notice) marks it.
        in_list = false;
        if (lex.chrome.find(s.substr(0, chrome_prefix_bytes + 24)) <= chrome_prefix_bytes) {
          l.keep = false;
          ++stats.boilerplate_lines;
        }
        continue;
      }
      // Most lines are prose: a sentence with a full stop, longer than a
      // headline. Only a chrome phrase opening one marks it (a footer: 扫码关注…);
      // the same words inside a sentence are the report's (市民扫码加入社群);
      // skip the rest of the tests.
      if (s.find("。") != std::string_view::npos) {
        const std::size_t chars = count_chars(s);
        if (chars > 60) {
          in_list = false;
          const std::size_t at = lex.chrome.find(s.substr(0, chrome_prefix_bytes + 24));
          if (at <= chrome_prefix_bytes) {
            l.keep = false;
            ++stats.boilerplate_lines;
          }
          continue;
        }
      }
      const line_features f = features(s);
      bool drop = false, spam = false;
      if (only_punct(s) || is_image_name(s) || only_words(s, lex.line_words)) {
        drop = true;
      } else if (f.chars <= 30 && lex.related.starts(unframed(s))) {
        drop = true;
        in_list = true;
      } else if (in_list && (headline_like(f) || f.comment_count || f.timestamp)) {
        drop = true;
      } else if (f.separators >= 2 && f.longest_segment <= 12 && !f.full_stop && f.digits <= 2 &&
                 (f.separators >= 3 || lex.line_words.starts(s))) {
        // Navigation ("首页 | 时政 | 财经", "首页 > 新闻 > 正文") or keyword stuffing ("a_b_c").
        drop = true;
        spam = f.underscores >= 2;
      } else if (f.underscores >= 2 && !f.full_stop && f.chars <= 80) {
        drop = spam = true;
      } else if (f.chars <= 40 && !f.full_stop && f.commas == 0 &&
                 lex.spam.find(s) != std::string_view::npos) {
        // A short line of ad words, not a sentence with an injected ad (cut out below).
        drop = spam = true;
      } else if (const std::size_t at = lex.chrome.find(s);
                 at != std::string_view::npos && (f.chars <= 100 || at <= chrome_prefix_bytes)) {
        drop = true;
      } else if ((f.timestamp || f.comment_count) && f.chars <= 60) {
        // A headline list item with its time stamp; its headline may be the line before.
        drop = true;
        if (k > 1 && lines[k - 1].keep) {
          const line_info& p = lines[k - 1];
          if (p.end - p.begin <= long_line_bytes &&
              headline_like(features(text.substr(p.begin, p.end - p.begin)))) {
            lines[k - 1].keep = false;
            ++stats.boilerplate_lines;
          }
        }
      }
      if (!drop && in_list && !headline_like(f)) in_list = false;
      if (drop) {
        l.keep = false;
        if (spam) ++stats.spam_removed;
        else ++stats.boilerplate_lines;
      }
    }
  }
  // Emit kept lines: spaces collapsed, injected spam tokens cut out.
  bool first = true;
  for (const line_info& l : lines) {
    if (!l.keep) continue;
    if (!first) out.put_byte(is_title ? ' ' : '\n', in.origin(l.begin));
    const std::size_t line_start = out.size();
    first = false;
    std::size_t i = l.begin;
    while (i < l.end) {
      if (!is_line_space(base[i])) {
        // One token: up to the next space.
        const std::size_t j = find_space(base, i, l.end);
        const std::string_view tok = text.substr(i, j - i);
        const bool own_token = i > l.begin || j < l.end;  // not the whole line
        if (own_token && !lex.spam.empty() && tok.size() <= 48 && lex.spam.find(tok) != std::string_view::npos) {
          ++stats.spam_removed;
          // Drop the space before it, if any was written.
          if (out.size() > line_start && out.back() == ' ') out.truncate(out.size() - 1);
          i = j;
          while (i < l.end && is_line_space(base[i])) ++i;
          // Keep one space only if both neighbours are not CJK (e.g. Latin words).
          continue;
        }
        out.append_from(in, i, j);
        i = j;
      } else {
        std::size_t j = i;
        while (j < l.end && is_line_space(base[j])) ++j;
        out.put_byte(' ', in.origin(i));
        i = j;
      }
    }
  }
}

void drop_lines_before_title(const normalized_text& title, normalized_text& body) {
  // The title must say something (a line of a few characters could be any
  // heading), and the article must open within the page's first lines.
  constexpr std::size_t min_title_bytes = 12;  // four CJK characters
  constexpr int max_lines_above = 12;
  const std::string_view t = title.text;
  const std::string_view b = body.text;
  if (t.size() < min_title_bytes) return;
  std::size_t line = 0;
  for (int above = 0; above <= max_lines_above && line < b.size(); ++above) {
    const std::size_t nl = b.find('\n', line);
    const std::size_t end = nl == std::string_view::npos ? b.size() : nl;
    if (above > 0 && b.substr(line, end - line) == t) {
      const auto cut = static_cast<std::uint32_t>(line);
      body.text.erase(0, cut);
      body.origin.erase(body.origin.begin(), body.origin.begin() + cut);
      std::erase_if(body.unreliable, [&](const text_range& r) { return r.end <= cut; });
      for (auto& r : body.unreliable) {
        r.begin = r.begin > cut ? r.begin - cut : 0;
        r.end -= cut;
      }
      body.stats.boilerplate_lines += static_cast<std::uint32_t>(above);
      return;
    }
    if (nl == std::string_view::npos) return;
    line = nl + 1;
  }
}

}  // namespace coopwatch::core::detail
