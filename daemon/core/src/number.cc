// Number parser: Arabic, Chinese and mixed numerals. See number.h.
//
// Values are accumulated as exact integers scaled by a power of ten where
// possible (133.08亿 = 13308 * 1e8 / 100), so that the usual figures come out
// exact rather than as 13308000000.000002.
#include "coopwatch/core/number.h"

#include "number_chars.h"

namespace coopwatch::core {
namespace {

using detail::extraction::arabic_digit;
using detail::extraction::chinese_digit;
using detail::extraction::chinese_power;
using detail::extraction::decode_at;

constexpr int max_mantissa_digits = 17;

// An Arabic literal: mantissa / 10^decimals.
struct arabic_literal {
  double mantissa = 0;
  double denominator = 1;
  std::size_t end = 0;
  bool grouped = false;
};

// Counts consecutive Arabic digits from `pos`; `end` receives the position after them.
std::size_t count_digits(std::string_view s, std::size_t pos, std::size_t& end) noexcept {
  std::size_t n = 0;
  while (true) {
    const auto c = decode_at(s, pos);
    if (c.len == 0 || arabic_digit(c.cp) < 0) break;
    pos += c.len;
    ++n;
  }
  end = pos;
  return n;
}

void push_digit(arabic_literal& a, int d, bool fraction) noexcept {
  if (a.mantissa < 1e16) {
    a.mantissa = a.mantissa * 10 + d;
    if (fraction) a.denominator *= 10;
  } else if (!fraction) {
    a.mantissa *= 10;  // beyond exact range: keep the magnitude
  }
}

// Parses digits, thousands groups (exactly three digits after each
// separator, at most three before the first) and one decimal part.
arabic_literal parse_arabic(std::string_view s, std::size_t pos) noexcept {
  arabic_literal a;
  std::size_t lead_digits = 0;
  while (true) {
    const auto c = decode_at(s, pos);
    const int d = c.len ? arabic_digit(c.cp) : -1;
    if (d < 0) break;
    push_digit(a, d, false);
    ++lead_digits;
    pos += c.len;
  }
  // Thousands groups.
  if (lead_digits <= 3) {
    while (true) {
      // A group of three followed by more digits is not a group.
      if (!groups_digits_at(s, pos)) break;
      const auto sep = decode_at(s, pos);
      std::size_t p = pos + sep.len;
      for (int i = 0; i < 3; ++i) {
        const auto c = decode_at(s, p);
        push_digit(a, arabic_digit(c.cp), false);
        p += c.len;
      }
      a.grouped = true;
      pos = p;
    }
  }
  // Decimal part.
  const auto dot = decode_at(s, pos);
  if (dot.len && detail::extraction::is_decimal_point(dot.cp)) {
    const auto next = decode_at(s, pos + dot.len);
    if (next.len && arabic_digit(next.cp) >= 0) {
      pos += dot.len;
      int taken = 0;
      while (true) {
        const auto c = decode_at(s, pos);
        const int d = c.len ? arabic_digit(c.cp) : -1;
        if (d < 0) break;
        if (taken < max_mantissa_digits) push_digit(a, d, true);
        ++taken;
        pos += c.len;
      }
    }
  }
  a.end = pos;
  return a;
}

// Accumulator for a number of sections: [total]亿 [wan]万 [section] [pending digit].
struct accumulator {
  double total = 0;       // everything up to and including the last 亿
  double wan = 0;         // the 万 part since the last 亿
  double section = 0;     // the part below 万
  double digit_num = 0;   // pending digit (or Arabic literal) as num / den
  double digit_den = 1;
  bool have_digit = false;
  double last_power = 0;  // power of the unit just before the pending digit (for 两万五)
  bool zero_seen = false; // a 零 since the last unit: no elision

  [[nodiscard]] double pending() const noexcept { return have_digit ? digit_num / digit_den : 0; }
  // digit * power, exact when digit is a scaled integer.
  [[nodiscard]] double pending_times(double power) const noexcept {
    return have_digit ? digit_num * power / digit_den : power;
  }
  [[nodiscard]] double value() const noexcept { return total + wan + section + pending(); }
};

std::optional<parsed_number> parse_at(std::string_view s, std::size_t start, bool allow_leading_power) noexcept {
  parsed_number out;
  accumulator acc;
  std::size_t pos = start;
  enum class last_kind { none, arabic, chinese_digit, power, approx } last = last_kind::none;
  bool chinese_sequence = true;  // so far only Chinese digits (二〇二〇 style)
  bool any = false;
  double smallest_power = 1e9;   // smallest 十/百/千 used in the current section

  while (pos < s.size()) {
    const auto c = decode_at(s, pos);
    if (c.len == 0) break;
    const int ad = arabic_digit(c.cp);
    if (ad >= 0) {
      if (last != last_kind::none && last != last_kind::power) break;  // 三3: stop
      if (last == last_kind::power && !out.has_arabic) break;         // 十3: stop
      const auto lit = parse_arabic(s, pos);
      acc.digit_num = lit.mantissa;
      acc.digit_den = lit.denominator;
      acc.have_digit = true;
      acc.last_power = 0;
      out.has_arabic = true;
      out.grouped = out.grouped || lit.grouped;
      pos = lit.end;
      last = last_kind::arabic;
      any = true;
      chinese_sequence = false;
      continue;
    }
    const int cd = chinese_digit(c.cp);
    if (cd >= 0) {
      if (last == last_kind::arabic || last == last_kind::approx || out.has_arabic) break;  // 47.8万四川
      if (last == last_kind::chinese_digit) {
        // Digit after digit: only in plain digit strings (二〇二〇, 一二三).
        if (!chinese_sequence) break;
        acc.digit_num = acc.digit_num * 10 + cd;
      } else if (cd == 0) {
        acc.zero_seen = true;
        if (last == last_kind::none) {
          acc.digit_num = 0;
          acc.have_digit = true;
        } else {
          pos += c.len;
          last = last_kind::power;  // 一百零五: 零 only marks the gap
          continue;
        }
      } else {
        acc.digit_num = cd;
        acc.digit_den = 1;
        acc.have_digit = true;
      }
      out.has_chinese_digit = true;
      pos += c.len;
      last = last_kind::chinese_digit;
      any = true;
      continue;
    }
    if (detail::extraction::is_approx_digit(c.cp)) {
      if (last == last_kind::arabic || last == last_kind::chinese_digit || last == last_kind::approx) break;
      // 几十 / 几百: a leading 几 counts one; 十几: a trailing 几 adds nothing.
      const auto next = decode_at(s, pos + c.len);
      const double p = next.len ? chinese_power(next.cp) : 0;
      acc.digit_num = (p > 0 && last == last_kind::none) ? 1 : 0;
      acc.digit_den = 1;
      acc.have_digit = true;
      acc.zero_seen = true;  // no elision after 几
      out.approximate = true;
      out.has_chinese_digit = true;
      pos += c.len;
      last = last_kind::approx;
      any = true;
      chinese_sequence = false;
      continue;
    }
    const double power = chinese_power(c.cp);
    if (power > 0) {
      if (last == last_kind::none && !allow_leading_power && power > 10) return std::nullopt;
      if (last == last_kind::chinese_digit && chinese_sequence && acc.digit_num >= 10) break;  // 二〇二〇万?
      chinese_sequence = false;
      if (power < 1e4) {
        // 十 百 千 within a section: must be decreasing (三千八百四十九).
        if (power >= smallest_power) break;
        if (last == last_kind::arabic && power == 10) break;  // 3十: not a numeral
        acc.section += acc.pending_times(power);
        smallest_power = power;
        if (out.has_arabic) out.has_multiplier = true;
      } else if (power == 1e4) {
        if (acc.wan != 0) break;  // 万万, 三万二万
        double w;
        if (acc.have_digit) {
          w = acc.section * 1e4 + acc.digit_num * 1e4 / acc.digit_den;  // exact for 3.2万
        } else if (acc.section > 0) {
          w = acc.section * 1e4;
        } else if (last == last_kind::none) {
          w = 1e4;  // only reachable with allow_leading_power
        } else {
          break;  // 亿万
        }
        acc.wan = w;
        acc.section = 0;
        smallest_power = 1e9;
        out.has_multiplier = true;
      } else {  // 亿
        const double below = acc.total + acc.wan + acc.section;
        double t;
        if (acc.have_digit) {
          t = below * 1e8 + acc.digit_num * 1e8 / acc.digit_den;
        } else if (below > 0) {
          t = below * 1e8;  // 1.2万亿
        } else if (last == last_kind::none) {
          t = 1e8;
        } else {
          break;
        }
        acc.total = t;
        acc.wan = 0;
        acc.section = 0;
        smallest_power = 1e9;
        out.has_multiplier = true;
      }
      acc.have_digit = false;
      acc.digit_num = 0;
      acc.digit_den = 1;
      acc.last_power = power;
      acc.zero_seen = false;
      pos += c.len;
      last = last_kind::power;
      any = true;
      continue;
    }
    if (c.cp == U'点' || c.cp == U'點') {
      // Chinese decimal: 七十四点六. Needs a Chinese digit right after.
      if (last != last_kind::chinese_digit && last != last_kind::power) break;
      std::size_t p = pos + c.len;
      double frac = 0;
      double scale = 1;
      int n = 0;
      while (p < s.size()) {
        const auto d = decode_at(s, p);
        const int v = d.len ? chinese_digit(d.cp) : -1;
        if (v < 0) break;
        if (n < max_mantissa_digits) {
          scale *= 10;
          frac = frac * 10 + v;
        }
        ++n;
        p += d.len;
      }
      if (n == 0) break;
      const double whole = acc.pending();
      acc.digit_num = whole * scale + frac;
      acc.digit_den = scale;
      acc.have_digit = true;
      acc.zero_seen = true;
      pos = p;
      last = last_kind::arabic;  // a complete literal now: only powers may follow
      chinese_sequence = false;
      continue;
    }
    break;
  }
  if (!any) return std::nullopt;
  // 两万五 -> 25000, 三千五 -> 3500: a bare trailing Chinese digit right after
  // a power of at least a hundred stands for the next lower power.
  if (last == last_kind::chinese_digit && acc.have_digit && !acc.zero_seen && acc.last_power >= 100 &&
      acc.digit_num < 10 && !chinese_sequence) {
    acc.digit_num *= acc.last_power / 10;
  }
  out.digit_string = chinese_sequence && !out.has_arabic && last == last_kind::chinese_digit &&
                     acc.digit_num >= 10;
  out.value = acc.value();
  out.length = static_cast<std::uint32_t>(pos - start);
  return out;
}

}  // namespace

bool starts_number(std::string_view text, std::size_t pos) noexcept {
  const auto c = decode_at(text, pos);
  if (c.len == 0) return false;
  return arabic_digit(c.cp) >= 0 || chinese_digit(c.cp) >= 0 || chinese_power(c.cp) > 0 ||
         detail::extraction::is_approx_digit(c.cp);
}

std::optional<parsed_number> parse_number(std::string_view text, std::size_t pos) noexcept {
  if (pos >= text.size()) return std::nullopt;
  // 百分之…
  static constexpr std::string_view percent_prefix = "百分之";
  if (text.compare(pos, percent_prefix.size(), percent_prefix) == 0) {
    auto inner = parse_at(text, pos + percent_prefix.size(), true);
    if (!inner) return std::nullopt;
    inner->percent = true;
    inner->length += static_cast<std::uint32_t>(percent_prefix.size());
    return inner;
  }
  // Two neighbouring digits before a power (四五千, 七八千, 一两万, 三四百)
  // give a range: its lower bound, approximate.
  if (const auto d1 = decode_at(text, pos); d1.len != 0 && chinese_digit(d1.cp) >= 1) {
    const auto d2 = decode_at(text, pos + d1.len);
    const int a = chinese_digit(d1.cp), b = d2.len != 0 ? chinese_digit(d2.cp) : -1;
    if (b == a + 1 && chinese_power(decode_at(text, pos + d1.len + d2.len).cp) >= 10) {
      auto upper = parse_at(text, pos + d1.len, false);
      if (upper && upper->length > d2.len) {
        upper->value = upper->value * a / b;
        upper->approximate = true;
        upper->length += d1.len;
        return upper;
      }
    }
  }
  // A bare 百, 千 or 万 with 余 or 多 right after it counts one of them
  // (百余所, 千余人, 萬餘名), and so it does after a word of approximation
  // (逾千人, 上千名, 近百家, 超过万人); anywhere else it opens no number
  // (百姓, 千家万户).
  const auto first = decode_at(text, pos);
  if (first.len != 0 && chinese_power(first.cp) >= 100) {
    const auto next = decode_at(text, pos + first.len);
    if (next.cp == U'余' || next.cp == U'餘' || next.cp == U'多') return parse_at(text, pos, true);
    if (detail::extraction::approximates_bare_power(detail::extraction::decode_before(text, pos).cp))
      return parse_at(text, pos, true);
  }
  return parse_at(text, pos, false);
}

bool groups_digits_at(std::string_view text, std::size_t pos) noexcept {
  const auto sep = decode_at(text, pos);
  if (sep.len == 0 || !detail::extraction::is_group_separator(sep.cp)) return false;
  std::size_t after = 0;
  return count_digits(text, pos + sep.len, after) == 3;
}

}  // namespace coopwatch::core
