#include "mojibake.h"

#include <unicode/ucnv.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "normalize_lines.h"
#include "utf8.h"

namespace coopwatch::core::detail {
namespace {

struct converter_closer {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using converter_ptr = std::unique_ptr<UConverter, converter_closer>;

converter_ptr open_converter(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  converter_ptr c(ucnv_open(name, &status));
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU converter ") + name + ": " + u_errorName(status));
  ucnv_setFromUCallBack(c.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  return c;
}

// The two-byte code of cp in the converter's charset, or 0.
std::uint32_t double_byte_code(UConverter* c, char32_t cp) {
  UChar u[2];
  int32_t n = 0;
  if (cp < 0x10000) u[n++] = UChar(cp);
  else return 0;
  char buf[8];
  UErrorCode status = U_ZERO_ERROR;
  ucnv_resetFromUnicode(c);
  const int32_t len = ucnv_fromUChars(c, buf, sizeof buf, u, n, &status);
  if (U_FAILURE(status) || len != 2) return 0;
  return (std::uint32_t(static_cast<unsigned char>(buf[0])) << 8) | static_cast<unsigned char>(buf[1]);
}

constexpr bool is_cont(unsigned b) { return b >= 0x80 && b <= 0xBF; }
constexpr bool is_lead3(unsigned b) { return b >= 0xE0 && b <= 0xEF; }

// Windows-1252 bytes 0x80-0x9F, as Unicode (0 = undefined).
constexpr char16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

int cp1252_byte(char32_t cp) {
  if (cp >= 0xA0 && cp <= 0xFF) return int(cp);
  if (cp >= 0x80 && cp <= 0x9F) return int(cp);  // C1 controls pass through Latin-1
  for (int i = 0; i < 32; ++i)
    if (cp1252_high[i] != 0 && cp1252_high[i] == cp) return 0x80 + i;
  return -1;
}

bool is_punct_or_symbol(char32_t cp) {
  return (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x2100 && cp <= 0x21FF) || cp == 0xB7 ||
         cp == 0xB0;
}

enum class charset { gbk, big5, latin };

// Streams wrong-charset bytes back into UTF-8 code points.
class utf8_reassembler {
 public:
  // Feeds one byte (wild: a byte the wrong decoder lost). Returns false if the
  // byte cannot continue valid UTF-8.
  bool feed(unsigned b, bool wild, std::uint32_t org) {
    if (need_ == 0) {
      if (wild) return false;
      start_org_ = org;
      lost_ = false;
      if (b < 0x80) return emit(char32_t(b));
      if (b >= 0xC2 && b <= 0xDF) { cp_ = b & 0x1F; need_ = 1; len_ = 2; }
      else if (is_lead3(b)) { cp_ = b & 0x0F; need_ = 2; len_ = 3; }
      else if (b >= 0xF0 && b <= 0xF4) { cp_ = b & 0x07; need_ = 3; len_ = 4; }
      else return false;
      return true;
    }
    if (wild) {
      lost_ = true;
    } else {
      if (!is_cont(b)) return false;
      cp_ = (cp_ << 6) | (b & 0x3F);
    }
    if (--need_ == 0) {
      if (lost_) return emit(replacement_char, true);
      const bool ok = (len_ == 2) || (len_ == 3 && cp_ >= 0x800 && (cp_ < 0xD800 || cp_ > 0xDFFF)) ||
                      (len_ == 4 && cp_ >= 0x10000 && cp_ <= 0x10FFFF);
      if (!ok) return false;
      return emit(cp_);
    }
    return true;
  }
  [[nodiscard]] bool at_boundary() const noexcept { return need_ == 0; }
  // Starts afresh. Unlike assigning utf8_reassembler{}, leaves chars[] as it
  // is (only the first `count` are ever read): no 3 KiB zero-fill per try.
  void reset() noexcept {
    count = 0;
    cp_ = 0;
    need_ = 0;
    len_ = 0;
    lost_ = false;
    start_org_ = 0;
  }

  struct out_char {
    char32_t cp;
    std::uint32_t org;
    bool lost;
  };
  out_char chars[256];  // left uninitialised: reset() and feed() keep count right
  std::size_t count = 0;

 private:
  bool emit(char32_t cp, bool lost = false) {
    if (count == std::size(chars)) return false;
    chars[count++] = {cp, start_org_, lost};
    return true;
  }
  char32_t cp_ = 0;
  int need_ = 0;
  int len_ = 0;
  bool lost_ = false;
  std::uint32_t start_org_ = 0;
};

struct run_result {
  std::size_t end = 0;     // byte offset in `in` just past the run
  std::size_t chars = 0;   // reassembled characters kept
  bool lossy = false;
};

// Tries to reassemble a run of `cs` mojibake starting at byte i of `in`.
run_result try_run(const text_buffer& in, std::size_t i, charset cs, const mojibake_tables& t,
                   utf8_reassembler& r) {
  r.reset();
  const std::string_view text = in.view();
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = base + text.size();
  run_result best;
  std::size_t pos = i;
  while (pos < text.size()) {
    const decoded_char d = decode_utf8(base + pos, end);
    const std::uint32_t org = in.origin(pos);
    bool ok = true;
    if (d.cp == '?') {
      ok = r.feed(0, true, org);
    } else if (d.cp < 0x80) {
      // ASCII is part of the run only between whole characters.
      if (!r.at_boundary() || d.cp == '\n') break;
      ok = r.feed(d.cp, false, org);
    } else if (cs == charset::latin) {
      const int b = cp1252_byte(d.cp);
      ok = b >= 0 && r.feed(unsigned(b), false, org);
    } else {
      const std::uint32_t code = cs == charset::gbk ? t.gbk(d.cp) : t.big5(d.cp);
      ok = code != 0 && r.feed(code >> 8, false, org) && r.feed(code & 0xFF, false, org);
    }
    if (!ok) break;
    pos += d.length;
    if (r.at_boundary()) {
      best.end = pos;
      best.chars = r.count;
    }
  }
  // Trailing ASCII is not part of the repair.
  while (best.chars > 0 && r.chars[best.chars - 1].cp < 0x80) {
    --best.chars;
    // Move the end back over the ASCII byte.
    --best.end;
  }
  std::size_t wide = 0, good = 0;
  for (std::size_t k = 0; k < best.chars; ++k) {
    const auto& c = r.chars[k];
    if (c.cp < 0x80) continue;
    ++wide;
    if (c.lost) {
      best.lossy = true;
      ++good;
    } else if ((t.cls(c.cp) & mojibake_tables::common) || is_punct_or_symbol(c.cp) ||
               (cs == charset::latin && is_cjk_ideograph(c.cp))) {
      ++good;
    } else if (c.cp >= 0xC0 && c.cp <= 0x24F) {
      ++good;  // pinyin letters glossed before the damage: "(y猫)" -> "(yè)"
    }
  }
  const std::size_t min_wide = cs == charset::latin ? 1 : 2;
  if (wide < min_wide || good * 5 < wide * 4) return {};
  return best;
}

bool is_rare_hanzi(const mojibake_tables& t, char32_t cp) {
  return is_cjk_ideograph(cp) && !(t.cls(cp) & mojibake_tables::common);
}
bool is_ascii_letter(char32_t cp) { return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'; }

// Damage that cannot be undone: returns the end (byte offset) of the span
// starting at `b` if it should be marked, else 0. `q` is the '?' position.
std::size_t damaged_span_end(std::string_view text, std::size_t q, const mojibake_tables& t) {
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = base + text.size();
  std::size_t pos = q + 1, span_end = 0;
  int commons = 0;
  bool evidence = false;
  while (pos < text.size()) {
    const decoded_char d = decode_utf8(base + pos, end);
    const char32_t cp = d.cp;
    if (cp == '?' || is_ascii_letter(cp) || cp == ')' || (cp >= 0xC0 && cp <= 0x24F) || is_rare_hanzi(t, cp)) {
      evidence = true;
      commons = 0;
      span_end = pos + d.length;
    } else if (is_cjk_ideograph(cp)) {
      if (++commons >= 4) break;
    } else {
      break;
    }
    pos += d.length;
  }
  return evidence ? span_end : 0;
}

}  // namespace

void mojibake_tables::build(const t2s_table& t2s, std::string_view common_chars) {
  const data_error fail("normalize/common_chars.txt", 0);
  std::vector<char32_t> commons;
  for_each_data_line(common_chars, "normalize/common_chars.txt",
                     [&](std::string_view line, const data_error& f) {
                       for_each_code_point(line, f, [&](char32_t cp) { commons.push_back(cp); });
                     });
  for (char32_t cp : commons) class_.set(cp, class_.get(cp) | common);
  // A Traditional character whose Simplified form is frequent is frequent too.
  for (char32_t cp = 0x3400; cp < 0xFFFF; ++cp)
    if (t2s.maps(cp) && (class_.get(t2s.map(cp)) & common)) class_.set(cp, class_.get(cp) | common);
  converter_ptr gbk = open_converter("GBK");
  converter_ptr big5 = open_converter("Big5");
  for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::uint32_t g = double_byte_code(gbk.get(), cp);
    const std::uint32_t b = double_byte_code(big5.get(), cp);
    if (g == 0 && b == 0) continue;
    codes_.set(cp, (g << 16) | b);
    std::uint32_t c = class_.get(cp);
    if (g && is_lead3(g >> 8) && is_cont(g & 0xFF)) c |= gbk_start;
    if (b && is_lead3(b >> 8) && is_cont(b & 0xFF)) c |= big5_start;
    class_.set(cp, c);
  }
  for (char32_t cp = 0xC2; cp <= 0xF4; ++cp) class_.set(cp, class_.get(cp) | latin_start);
  for (char32_t cp = 0; cp < 0x10000; ++cp)
    if (class_.get(cp) & suspicious) starts_.set(cp);
}

bool mojibake_run_at(const text_buffer& in, std::size_t i, const mojibake_tables& t) {
  const auto* const base = reinterpret_cast<const unsigned char*>(in.data());
  std::uint32_t len;
  const std::uint32_t cls = t.cls(decode_valid_utf8(base + i, len));
  utf8_reassembler r;
  if ((cls & mojibake_tables::gbk_start) && try_run(in, i, charset::gbk, t, r).end != 0) return true;
  if ((cls & mojibake_tables::big5_start) && try_run(in, i, charset::big5, t, r).end != 0) return true;
  if ((cls & mojibake_tables::latin_start) && try_run(in, i, charset::latin, t, r).end != 0) return true;
  return false;
}

bool fix_mojibake(const text_buffer& in, const mojibake_tables& t, text_buffer& out,
                  std::vector<origin_range>& unreliable, normalize_stats& stats,
                  std::size_t& first_change, std::size_t start) {
  const std::string_view text = in.view();
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t marks_before = unreliable.size();
  bool changed = false;
  std::size_t copied = 0;  // bytes of `in` already handled
  std::size_t i = start < text.size() ? start : text.size();
  char32_t prev = 0;  // the character before i, as the walk from 0 would have it
  if (i > 0) {
    std::size_t p = i - 1;
    while (p > 0 && (base[p] & 0xC0) == 0x80) --p;
    std::uint32_t len;
    prev = decode_valid_utf8(base + p, len);
  }
  utf8_reassembler r;
  auto mark = [&](std::size_t b, std::size_t e) {
    const std::uint32_t ob = in.origin(b);
    const std::uint32_t oe = e < in.size() ? in.origin(e) : in.origin(e - 1) + 1;
    if (!unreliable.empty() && unreliable.size() > marks_before && unreliable.back().end >= ob)
      unreliable.back().end = std::max(unreliable.back().end, oe);
    else
      unreliable.push_back({ob, std::max(oe, ob + 1)});
  };
  const std::uint64_t* const start_words = t.starts().words();
  while (i < text.size()) {
    if (base[i] < 0x80 && base[i] != '?') {
      prev = base[i++];
      continue;
    }
    if ((base[i] & 0xF0) == 0xE0) {
      // A run of three-byte characters (most text): each tested straight
      // from its bytes (`in` is valid UTF-8), decoded only if it may open a run.
      const std::size_t run_begin = i;
      while (i < text.size() && (base[i] & 0xF0) == 0xE0 &&
             ((start_words[((base[i] & 0x0Fu) << 6) | (base[i + 1] & 0x3Fu)] >> (base[i + 2] & 0x3F)) & 1) == 0)
        i += 3;
      if (i != run_begin) {
        std::uint32_t len;
        prev = decode_valid_utf8(base + i - 3, len);
        continue;
      }
    }
    std::uint32_t len;
    const decoded_char d{decode_valid_utf8(base + i, len), len, true};
    if (d.cp != '?' && !t.may_start(d.cp)) {
      prev = d.cp;
      i += len;
      continue;
    }
    const std::uint32_t cls = t.cls(d.cp);
    bool repaired = false;
    if (cls & mojibake_tables::suspicious) {
      for (charset cs : {charset::gbk, charset::big5, charset::latin}) {
        const std::uint32_t need = cs == charset::gbk    ? mojibake_tables::gbk_start
                                   : cs == charset::big5 ? mojibake_tables::big5_start
                                                         : mojibake_tables::latin_start;
        if (!(cls & need)) continue;
        const run_result run = try_run(in, i, cs, t, r);
        if (run.end == 0) continue;
        if (!changed) {
          out.clear();
          out.reserve_more(in.size() + 16);
          changed = true;
          first_change = i;
        }
        out.append_from(in, copied, i);
        for (std::size_t k = 0; k < run.chars; ++k) out.put(r.chars[k].cp, r.chars[k].org);
        if (run.lossy) {
          ++stats.mojibake_marked;
          mark(i, run.end);
        } else {
          ++stats.mojibake_repaired;
        }
        copied = i = run.end;
        prev = 0;
        repaired = true;
        break;
      }
    }
    if (repaired) continue;
    if (d.cp == '?' && is_cjk_ideograph(prev)) {
      // Irreparable damage: mark the character before the '?' and what follows.
      if (const std::size_t e = damaged_span_end(text, i, t)) {
        std::size_t b = i;
        while (b > 0 && (base[b - 1] & 0xC0) == 0x80) --b;
        if (b > 0) --b;
        while (b > 0 && (base[b] & 0xC0) == 0x80) --b;
        ++stats.mojibake_marked;
        mark(b, e);
        prev = '?';
        i = e;
        continue;
      }
    }
    prev = d.cp;
    i += d.length;
  }
  if (!changed) return false;
  out.append_from(in, copied, text.size());
  return true;
}

}  // namespace coopwatch::core::detail
