// Figure extraction: numbers with units, typed by the words that govern them.
//
// One pass per field: the lexicon scan (Hyperscan) finds every cue word, then
// a byte scan finds number starts. Each number is read with its range,
// qualifiers and unit; non-figures (dates, durations, ordinals, codes, names,
// chrome, other programmes, unreliable text) are dropped; the metric is the
// best-scoring cue by position (noun right after > same clause > same
// sentence > heading line). Restated facts are merged at the end.
#include "coopwatch/core/extract.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include "coopwatch/core/number.h"
#include "metric_lexicon.h"
#include "number_chars.h"
#include "table_cells.h"
#include "units.h"
#include "utf8.h"

namespace coopwatch::core {

using detail::extraction::cue_kind;
using detail::extraction::decode_at;
using detail::extraction::decode_before;
using detail::extraction::lexicon;
using detail::extraction::lexicon_hit;
using detail::extraction::lexicon_scanner;
using detail::extraction::unit_entry;
using detail::extraction::unit_table;

struct extractor_data {
  unit_table units;
  std::shared_ptr<const lexicon> lex;
};

std::shared_ptr<const extractor_data> load_extractor_data(const data_files& files) {
  auto d = std::make_shared<extractor_data>();
  d->units = unit_table::parse(require_file(files, "extract/units.tsv"), "extract/units.tsv");
  d->lex = lexicon::parse(require_file(files, "extract/metrics.tsv"), require_file(files, "extract/cues.tsv"));
  return d;
}

namespace {

// "06", "０１": a zero followed by a digit (not "0.5").
bool leading_zero(std::string_view number) {
  const auto first = detail::extraction::decode_at(number, 0);
  return first.len != 0 && detail::extraction::arabic_digit(first.cp) == 0 &&
         detail::extraction::arabic_digit(detail::extraction::decode_at(number, first.len).cp) >= 0;
}

// A figure found in one field, before merging.
struct candidate {
  text_field field = text_field::body;
  std::uint32_t begin = 0;       // the figure as written: number (and range) and unit
  std::uint32_t end = 0;
  double value = 0;
  double upper = -1;
  const unit_entry* unit = nullptr;
  std::string_view unit_name;
  std::uint16_t metric = 0;
  std::string_view qualifier;
  std::string_view period;
  std::string_view side;
};

// decode_before() and decode_at() with the common case, a well-formed
// three-byte character, read inline; same results on any bytes.
inline detail::extraction::code_point char_before(std::string_view t, std::uint32_t p) noexcept {
  if (p >= 3 && p <= t.size()) {
    const auto b1 = static_cast<unsigned char>(t[p - 1]);
    const auto b2 = static_cast<unsigned char>(t[p - 2]);
    const auto b3 = static_cast<unsigned char>(t[p - 3]);
    if ((b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80 && (b3 & 0xF0) == 0xE0)
      return {(static_cast<char32_t>(b3 & 0x0F) << 12) | (static_cast<char32_t>(b2 & 0x3F) << 6) | (b1 & 0x3F), 3};
  }
  return decode_before(t, p);
}

inline detail::extraction::code_point char_at(std::string_view t, std::uint32_t p) noexcept {
  if (std::size_t{p} + 2 < t.size()) {
    const auto b0 = static_cast<unsigned char>(t[p]);
    const auto b1 = static_cast<unsigned char>(t[p + 1]);
    const auto b2 = static_cast<unsigned char>(t[p + 2]);
    if ((b0 & 0xF0) == 0xE0 && (b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80)
      return {(static_cast<char32_t>(b0 & 0x0F) << 12) | (static_cast<char32_t>(b1 & 0x3F) << 6) | (b2 & 0x3F), 3};
  }
  return decode_at(t, p);
}

bool is_clause_break(char32_t c) noexcept {
  switch (c) {
    case U'，': case U',': case U'；': case U';': case U'：': case U':': case U'。': case U'！':
    case U'？': case U'!': case U'?': case U'\n':
      return true;
    default:
      return false;
  }
}

bool is_sentence_break(char32_t c) noexcept {
  switch (c) {
    case U'。': case U'！': case U'？': case U'!': case U'?': case U'\n': case U'；': case U';':
      return true;
    default:
      return false;
  }
}

// A well-formed three-byte character that cannot be a segment, clause or
// sentence break: outside ASCII those all have lead byte E3 or EF, and E0
// may spell ASCII overlong.
inline bool no_break_char(char lead, char b1, char b2) noexcept {
  const auto l = static_cast<unsigned char>(lead);
  return (l & 0xF0) == 0xE0 && l != 0xE0 && l != 0xE3 && l != 0xEF && (static_cast<unsigned char>(b1) & 0xC0) == 0x80 &&
         (static_cast<unsigned char>(b2) & 0xC0) == 0x80;
}

// Whether the comma at `pos` groups the digits of a number (12,800人,
// １２，８００人) as the number parser reads them: then it breaks no clause.
bool comma_in_number(std::string_view t, std::uint32_t pos) noexcept {
  const auto before = char_before(t, pos);
  return before.len != 0 && detail::extraction::arabic_digit(before.cp) >= 0 && groups_digits_at(t, pos);
}

// Whether the character `cp` of `len` bytes at `pos` is a break of the set
// `is_break`: a comma grouping digits is none.
template <class Pred>
bool breaks_at(std::string_view t, std::uint32_t pos, char32_t cp, Pred is_break) noexcept {
  if (!is_break(cp)) return false;
  return !((cp == U',' || cp == U'，') && comma_in_number(t, pos));
}

// Backward and forward scans are bounded so that a text without punctuation
// stays linear.
constexpr std::uint32_t max_scan = 360;  // ~120 Chinese characters

// Start of the clause (or sentence) containing `pos`.
template <class Pred>
std::uint32_t scan_back(std::string_view t, std::uint32_t pos, Pred is_break) noexcept {
  const std::uint32_t floor = pos > max_scan ? pos - max_scan : 0;
  while (pos > floor) {
    const auto b = static_cast<unsigned char>(t[pos - 1]);
    if (b < 0x80) {
      if (breaks_at(t, pos - 1, b, is_break)) break;
      --pos;
      continue;
    }
    if (pos >= 3 && no_break_char(t[pos - 3], t[pos - 2], t[pos - 1])) {  // is_break: one of the break sets
      pos -= 3;
      continue;
    }
    const auto c = char_before(t, pos);
    if (breaks_at(t, pos - c.len, c.cp, is_break)) break;
    pos -= c.len;
  }
  return pos;
}

template <class Pred>
std::uint32_t scan_forward(std::string_view t, std::uint32_t pos, Pred is_break) noexcept {
  const std::uint32_t ceiling = static_cast<std::uint32_t>(std::min<std::size_t>(t.size(), std::size_t{pos} + max_scan));
  while (pos < ceiling) {
    const auto b = static_cast<unsigned char>(t[pos]);
    if (b < 0x80) {
      if (breaks_at(t, pos, b, is_break)) break;
      ++pos;
      continue;
    }
    if (std::size_t{pos} + 2 < t.size() && no_break_char(t[pos], t[pos + 1], t[pos + 2])) {
      pos += 3;
      continue;
    }
    const auto c = char_at(t, pos);
    if (c.len == 0 || breaks_at(t, pos, c.cp, is_break)) break;
    pos += c.len;
  }
  return pos;
}

std::uint32_t line_start(std::string_view t, std::uint32_t pos) noexcept {
  // string_view::rfind walks byte by byte; memrchr does not.
  const auto n = std::min<std::size_t>(pos, t.size());
  const void* nl = n == 0 ? nullptr : memrchr(t.data(), '\n', n);
  return nl == nullptr ? 0 : static_cast<std::uint32_t>(static_cast<const char*>(nl) - t.data() + 1);
}

// The last occurrence of needle in hay (npos if none). string_view::rfind
// compares at every byte position; this jumps between occurrences of the
// needle's last byte (a continuation byte for CJK names: selective).
std::size_t last_occurrence(std::string_view hay, std::string_view needle) noexcept {
  if (needle.empty()) return hay.size();
  if (needle.size() > hay.size()) return std::string_view::npos;
  const std::size_t k = needle.size() - 1;
  std::size_t end = hay.size();  // search hay[k, end) for the last byte
  while (end > k) {
    const void* q = memrchr(hay.data() + k, static_cast<unsigned char>(needle[k]), end - k);
    if (q == nullptr) break;
    const std::size_t last = static_cast<std::size_t>(static_cast<const char*>(q) - hay.data());
    if (std::memcmp(hay.data() + last - k, needle.data(), k) == 0) return last - k;
    end = last;
  }
  return std::string_view::npos;
}

std::uint32_t line_end(std::string_view t, std::uint32_t pos) noexcept {
  const auto nl = t.find('\n', pos);
  return nl == std::string_view::npos ? static_cast<std::uint32_t>(t.size()) : static_cast<std::uint32_t>(nl);
}

bool is_range_connector(char32_t c) noexcept {
  return c == U'至' || c == U'到' || c == U'-' || c == U'—' || c == U'–' || c == U'~' || c == U'～' ||
         c == U'－';
}

bool is_space(char32_t c) noexcept { return c == U' ' || c == U'\t' || c == 0x3000 || c == 0xA0; }

// Approximate character distance for UTF-8 Chinese text.
float chars(std::uint32_t bytes) noexcept { return static_cast<float>(bytes) / 3.0f; }

}  // namespace

// The stretches of text around one figure that its cues are looked up in.
struct figure_context {
  std::uint32_t sentence_begin = 0;
  std::uint32_t clause_begin = 0;
  std::uint32_t clause_end = 0;
  std::uint32_t segment_begin = 0;  // list item within the clause (split at 、)
  std::uint32_t segment_end = 0;
};

bool is_segment_break(char32_t c) noexcept { return c == U'、' || is_clause_break(c); }

figure_context context_of(std::string_view t, std::uint32_t num_begin, std::uint32_t fig_end) noexcept {
  // One bounded walk each way, noting the first segment, clause and sentence break.
  figure_context c;
  const std::uint32_t floor = num_begin > max_scan ? num_begin - max_scan : 0;
  std::uint32_t p = num_begin;
  bool seg = false;
  bool clause = false;
  while (p > floor) {
    const auto b = static_cast<unsigned char>(t[p - 1]);
    char32_t cp;
    std::uint32_t len = 1;
    if (b < 0x80) {
      cp = b;
    } else {
      if (p >= 3 && no_break_char(t[p - 3], t[p - 2], t[p - 1])) {
        p -= 3;
        continue;
      }
      const auto d = char_before(t, p);
      cp = d.cp;
      len = d.len;
    }
    if (breaks_at(t, p - len, cp, is_segment_break)) {
      if (!seg) c.segment_begin = p, seg = true;
      if (is_clause_break(cp) && !clause) c.clause_begin = p, clause = true;
      if (is_sentence_break(cp)) break;
    }
    p -= len;
  }
  c.sentence_begin = p;
  if (!seg) c.segment_begin = p;
  if (!clause) c.clause_begin = p;
  c.segment_end = scan_forward(t, fig_end, is_segment_break);
  c.clause_end = scan_forward(t, c.segment_end, is_clause_break);
  return c;
}

// Whether an amount is a rate per head: 每人, 每名 or 每户 in its clause before
// it (给予每人500元, 每人最高800元).
bool per_head(std::string_view t, std::uint32_t clause_begin, std::uint32_t num_begin) noexcept {
  const std::string_view before = t.substr(clause_begin, num_begin - clause_begin);
  for (const std::string_view w : {"每人", "每名", "每户", "每戶"})
    if (before.find(w) != std::string_view::npos) return true;
  return false;
}

// Whether the clause at `clause_begin` opens with a word that only tallies
// what the clause before it said (…到江苏就业，累计达到4.3万人).
bool tallies(std::string_view t, std::uint32_t clause_begin) noexcept {
  const std::string_view rest = t.substr(clause_begin, 12);
  for (const std::string_view w : {"累计", "累計", "共计", "共計", "合计", "合計", "总计", "總計", "达到", "達到"})
    if (rest.starts_with(w)) return true;
  return false;
}

// Whether [from, to) holds a conjunction or preposition that ends the noun
// phrase after a figure (5家深圳企业与园区: the figure counts 企业, not 园区).
bool crosses_conjunction(std::string_view t, std::uint32_t from, std::uint32_t to) noexcept {
  for (std::uint32_t p = from; p < to;) {
    const auto c = char_at(t, p);
    if (c.len == 0) return false;
    static constexpr std::u32string_view conjunctions = U"与與和同跟及";
    if (conjunctions.find(c.cp) != std::u32string_view::npos) {
      // 跟 also opens words: 跟岗培训, 跟班学习, 跟踪.
      const auto next = char_at(t, p + c.len);
      if (c.cp != U'跟' || (next.cp != U'岗' && next.cp != U'崗' && next.cp != U'班' && next.cp != U'踪' &&
                            next.cp != U'蹤'))
        return true;
    }
    p += c.len;
  }
  return false;
}

// Whether a percentage is a share of funds: written as 占援助资金的74.6%
// or 80%以上的资金 (the funds' metric then governs it, not the use named).
bool share_of_funds(std::string_view t, std::uint32_t segment_begin, std::uint32_t num_begin,
                    std::uint32_t fig_end) noexcept {
  const std::string_view before = t.substr(segment_begin, num_begin - segment_begin);
  // 占 makes it a share reached (占援助资金的74.6%); 资金的80%以上要用于
  // is a requirement, which dev's labels leave `other`.
  for (const std::string_view funds : {"资金的", "資金的", "资金总额的", "資金總額的"})
    if (before.ends_with(funds) &&
        (before.find("占") != std::string_view::npos || before.find("佔") != std::string_view::npos))
      return true;
  std::string_view after = t.substr(fig_end, 24);
  for (const std::string_view more : {"以上", "左右"})
    if (after.starts_with(more)) after.remove_prefix(more.size());
  return after.starts_with("的资金") || after.starts_with("的資金");
}

// Whether a figure ends in the general measure word 个 (個).
bool counted_by_ge(std::string_view t, std::uint32_t fig_end) noexcept {
  const auto measure = char_before(t, fig_end);
  return measure.cp == U'个' || measure.cp == U'個';
}

// Whether the figure ending at `fig_end` counts villages or other grassroots
// units (N个村, N个贫困村, N个行政村, N个经济强村, N个街镇, N个镇(街), N个街道、
// 社区和企业): paired in a clause that pairs, else just counted.
bool counts_villages(std::string_view t, std::uint32_t fig_end) noexcept {
  if (!counted_by_ge(t, fig_end)) return false;
  std::string_view rest = t.substr(fig_end, 18);
  for (const std::string_view m : {"深度贫困", "深度貧困", "贫困", "貧困", "行政", "经济强", "經濟強"})
    if (rest.starts_with(m)) { rest.remove_prefix(m.size()); break; }
  for (const std::string_view unit : {"村", "街镇", "街鎮", "镇街", "鎮街", "镇（", "鎮（", "镇(", "鎮(", "街道", "社区", "社區"})
    if (rest.starts_with(unit)) return true;
  return false;
}

// Whether `clause` holds 帮扶 as a verb (帮扶44个村, 纳入帮扶, 帮扶全覆盖),
// not as the first half of a noun (帮扶项目, 帮扶资金).
bool helps_as_verb(std::string_view clause) noexcept {
  static constexpr std::string_view nouns[] = {"项目", "項目", "资金", "資金", "车间", "車間", "物资", "物資",
                                               "干部", "幹部", "工作", "协议", "協議", "产品", "產品"};
  for (const std::string_view verb : {"帮扶", "幫扶"}) {
    for (std::size_t p = clause.find(verb); p != std::string_view::npos; p = clause.find(verb, p + verb.size())) {
      const std::string_view rest = clause.substr(p + verb.size());
      bool noun = false;
      for (const auto n : nouns) noun |= rest.starts_with(n);
      if (!noun) return true;
    }
  }
  return false;
}

// Whether a stretch of text names its units poor (贫困县, 貧困縣).
bool names_poor(std::string_view text) noexcept {
  return text.find("贫") != std::string_view::npos || text.find("貧") != std::string_view::npos;
}

// Words that state a pairing (结对, 结成对子, 携手奔小康).
constexpr std::string_view kPairingWords[] = {"结对", "結對", "结成对子", "結成對子", "携手奔小康", "攜手奔小康"};

// Whether the pairing itself is what a clause says of the units counted in
// it, after the count: 与延边8个县市结对, 实现结对全覆盖, 建立结对关系. Not
// 结对帮扶, which makes them the helped side, nor units named poor before it
// (35个贫困县建立结对关系 counts the poor counties).
bool pairing_said_after(std::string_view t, std::uint32_t fig_end, std::uint32_t clause_end) noexcept {
  const std::string_view rest = t.substr(fig_end, clause_end - fig_end);
  for (const std::string_view word : kPairingWords) {
    for (std::size_t p = rest.find(word); p != std::string_view::npos; p = rest.find(word, p + word.size())) {
      const std::string_view before = rest.substr(0, p), after = rest.substr(p + word.size());
      if (names_poor(before)) return false;
      if (!after.starts_with("帮扶") && !after.starts_with("幫扶")) return true;
      if (after.substr(6).starts_with("关系") || after.substr(6).starts_with("關係")) return true;  // 结对帮扶关系
    }
  }
  return false;
}

// Whether units counted with no place of the pair before them are the first
// party of a pairing the clause states: 本市16个区与河北省23个贫困县建立结对关系,
// 上海市有关7个区与遵义市9个县开展携手奔小康结对. The first party helps.
bool first_party_of_pairing(std::string_view t, std::uint32_t fig_end, std::uint32_t clause_end) noexcept {
  const std::string_view rest = t.substr(fig_end, clause_end - fig_end);
  std::size_t with = std::string_view::npos;
  for (const std::string_view w : {"与", "與"}) with = std::min(with, rest.find(w));
  if (with == std::string_view::npos || with > 24) return false;  // the noun phrase, then 与
  if (names_poor(rest.substr(0, with))) return false;  // 88个贫困县与东部开展携手奔小康: the poor counties helped
  const std::string_view partner = rest.substr(with);
  for (const std::string_view word : kPairingWords)
    if (partner.find(word) != std::string_view::npos) return true;
  return false;
}

// Calls f(name, side) for the names of each pair of the item: its provinces
// and its finest units, "east" or "west".
template <typename F>
void for_each_pair_name(const classification& cls, F&& f) {
  for (const auto& pr : cls.pairs) {
    f(pr.east, "east");
    f(pr.east_unit, "east");
    f(pr.east_prefecture, "east");
    f(pr.west, "west");
    f(pr.west_unit, "west");
    f(pr.west_prefecture, "west");
  }
}

// Whether `found` holds for a place name as written or short of an
// administrative suffix that text often drops (湘西州 written 湘西).
template <typename F>
bool any_form_of_place(std::string_view name, F&& found) noexcept {
  if (name.empty()) return false;
  if (found(name)) return true;
  for (const std::string_view suffix : {"州", "市", "区", "县", "盟"})
    if (name.size() > suffix.size() + 3 && name.ends_with(suffix) && found(name.substr(0, name.size() - suffix.size())))
      return true;
  return false;
}

// Whether `text` ends with the place `name` (in either form).
bool ends_with_place(std::string_view text, std::string_view name) noexcept {
  return any_form_of_place(name, [&](std::string_view form) { return text.ends_with(form); });
}

// Whether `text` names the western side of a pair found (湘西州 also as 湘西).
bool names_west(std::string_view text, const classification& cls) noexcept {
  bool found = false;
  for_each_pair_name(cls, [&](const std::string& name, std::string_view which) {
    if (!found && which == "west")
      found = any_form_of_place(name, [&](std::string_view form) { return text.find(form) != std::string_view::npos; });
  });
  return found;
}

// Whether the character at `p`, right after a unit's name (县, 区), makes it
// an adjective: 县级医院 counts hospitals, not counties.
bool makes_adjective(std::string_view t, std::uint32_t p) noexcept {
  const auto c = char_at(t, p);
  return c.cp == U'级' || c.cp == U'級';
}

// Whether the noun after a count names administrative units: 市 right
// after it (11个市), or 县, 区 or 旗 within its first 12 characters (16个县,
// 68个脱贫县, 31个国家级贫困旗县).
bool names_units_after(std::string_view t, std::uint32_t fig_end) noexcept {
  const auto first = char_at(t, fig_end);
  if (first.cp == U'市') return true;  // 市直部门 and the like: counts_cities() has ruled them out
  if (first.cp == U'省') return false;  // provinces: 西部10个省区市
  std::uint32_t p = fig_end;
  for (int chars = 0; chars < 12; ++chars) {
    const auto c = char_at(t, p);
    if (c.len == 0 || !detail::is_cjk_ideograph(c.cp)) return false;
    if (c.cp == U'县' || c.cp == U'縣' || c.cp == U'区' || c.cp == U'區' || c.cp == U'旗')
      return !makes_adjective(t, p + c.len);
    p += c.len;
  }
  return false;
}

// Whether a count (N个) counts cities or prefectures ahead of a count of
// the finer units that take part: 浙江11个市62个县, 四川12个市(州)68个县,
// 7個市州25個縣, 8个市(州)和68个被帮扶县, 13个州市74个县. Those cities are neither counties nor paired units:
// `other`, as are 市直部门 and 市场 counted. Alone (山东10个市结对帮扶…) the
// cities are the paired units.
bool counts_cities(std::string_view t, std::uint32_t fig_end) noexcept {
  if (!counted_by_ge(t, fig_end)) return false;
  std::uint32_t p = fig_end;
  // 州市 and 盟市 are cities too (云南13个州市74个贫困县).
  for (const std::string_view kind : {"州市", "盟市"})
    if (t.substr(p).starts_with(kind)) p += static_cast<std::uint32_t>(kind.size() - 3);
  if (char_at(t, p).cp != U'市') return false;
  p += 3;
  const auto word = char_at(t, p);  // 市直部门, 市级, 市场: 市 opens another word
  if (word.cp == U'直' || word.cp == U'场' || word.cp == U'場' || makes_adjective(t, p)) return true;
  for (const std::string_view tail : {"(州)", "（州）", "州"})
    if (t.substr(p).starts_with(tail)) {
      p += static_cast<std::uint32_t>(tail.size());
      break;
    }
  auto next = char_at(t, p);
  if (next.cp == U'和' || next.cp == U'与' || next.cp == U'與' || next.cp == U'及') next = char_at(t, p + next.len);
  return detail::extraction::arabic_digit(next.cp) >= 0 || detail::extraction::chinese_digit(next.cp) >= 0;
}

// Whether a count (N个) counts administrative units (N个县, N个区, N个市、区).
bool counts_units(std::string_view t, std::uint32_t fig_end) noexcept {
  return counted_by_ge(t, fig_end) && names_units_after(t, fig_end);
}

// For a count of counties or districts (N个县, N个区, N个市、区(县)): the
// side ("east" or "west") of the item's pair whose place is named right
// before it, through place suffixes, 等, 的, 、 and a count phrase before it
// (浙江11个市62个县); empty when none is, or when other words stand between
// (天津帮扶的5个县 names the counties 天津 helps).
std::string_view side_of_units(std::string_view t, std::uint32_t clause_begin, std::uint32_t num_begin,
                               std::uint32_t fig_end, const classification& cls) noexcept {
  static constexpr std::u32string_view between = U"市省区區州盟等的、个個县縣0123456789多余餘";
  if (!counts_units(t, fig_end)) return {};
  // Walking back from the count, the first place a name of the pair ends at
  // (the longest there: 广州 over 州) gives the side; a suffix between may
  // belong to the name (杭州13个 is 杭州, not 杭 and 州). 东部 and 西部 name
  // the sides of national roundups (东部地区343个县).
  std::string_view side;
  auto side_at = [&](std::uint32_t p) {
    const std::string_view before = t.substr(0, p);
    std::size_t longest = 0;
    auto look = [&](std::string_view name, std::string_view which) {
      if (name.size() > longest && ends_with_place(before, name)) {
        longest = name.size();
        side = which;
      }
    };
    for_each_pair_name(cls, [&](const std::string& name, std::string_view which) { look(name, which); });
    for (const std::string_view region : {"东部", "東部", "东部地区", "東部地區"}) look(region, "east");
    for (const std::string_view region : {"西部", "西部地区", "西部地區"}) look(region, "west");
    return longest != 0;
  };
  for (std::uint32_t p = num_begin;;) {
    if (side_at(p)) return side;
    const auto c = char_before(t, p);
    if (p <= clause_begin || c.len == 0 || between.find(c.cp) == std::u32string_view::npos) return {};
    p -= c.len;
  }
}

struct extractor::impl {
  std::shared_ptr<const extractor_data> data;
  lexicon_scanner scanner;
  std::vector<lexicon_hit> hits;            // copy of the current field's hits
  std::vector<text_range> excluded;         // foreign-programme and fixed-expression zones
  std::vector<detail::extraction::table_cell> table_cells;
  detail::extraction::table_scratch table_scratch;
  std::vector<candidate> cands;

  explicit impl(std::shared_ptr<const extractor_data> d) : data(std::move(d)), scanner(data->lex) {
    hits.reserve(1024);
    excluded.reserve(64);
    cands.reserve(128);
  }

  const detail::extraction::lexicon_entry& entry(const lexicon_hit& h) const { return data->lex->entries()[h.entry]; }

  // Whether a fund word names the government as its source (财政援助资金).
  static bool names_government(std::string_view t, const lexicon_hit& h) {
    const std::string_view word = t.substr(h.begin, h.end - h.begin);
    return word.find("财政") != std::string_view::npos || word.find("財政") != std::string_view::npos;
  }

  // Hits whose begin lies in [from, to).
  std::pair<std::size_t, std::size_t> hits_in(std::uint32_t from, std::uint32_t to) const {
    const auto lo = std::lower_bound(hits.begin(), hits.end(), from,
                                     [](const lexicon_hit& h, std::uint32_t v) { return h.begin < v; });
    const auto hi = std::lower_bound(lo, hits.end(), to,
                                     [](const lexicon_hit& h, std::uint32_t v) { return h.begin < v; });
    return {static_cast<std::size_t>(lo - hits.begin()), static_cast<std::size_t>(hi - hits.begin())};
  }

  // A qualifier cue ending exactly at `pos` (longest), or empty.
  std::string_view qualifier_before(std::string_view t, std::uint32_t pos) const {
    const std::uint32_t from = pos >= 12 ? pos - 12 : 0;
    auto [lo, hi] = hits_in(from, pos);
    std::string_view best;
    for (auto i = lo; i < hi; ++i) {
      const auto& h = hits[i];
      if (h.end == pos && entry(h).kind == cue_kind::qualifier && h.end - h.begin > best.size())
        best = t.substr(h.begin, h.end - h.begin);
    }
    return best;
  }

  // A qualifier cue starting exactly at `pos` (longest), or empty.
  std::string_view qualifier_at(std::string_view t, std::uint32_t pos) const {
    auto [lo, hi] = hits_in(pos, pos + 1);
    std::string_view best;
    for (auto i = lo; i < hi; ++i) {
      const auto& h = hits[i];
      if (entry(h).kind == cue_kind::qualifier && h.end - h.begin > best.size())
        best = t.substr(h.begin, h.end - h.begin);
    }
    return best;
  }

  bool has_cue_at(std::uint32_t pos, cue_kind kind) const {
    auto [lo, hi] = hits_in(pos, pos + 1);
    for (auto i = lo; i < hi; ++i)
      if (entry(hits[i]).kind == kind) return true;
    return false;
  }

  // People or household noun governing a bare number (no unit written);
  // cue_kind::metric when there is none.
  cue_kind people_noun(std::string_view t, std::uint32_t q, std::uint32_t number_end) const {
    auto [lo, hi] = hits_in(q, q + 13);
    for (auto i = lo; i < hi; ++i) {
      const auto k = entry(hits[i]).kind;
      if (k != cue_kind::people && k != cue_kind::household) continue;
      bool clean = true;  // no punctuation between the number and the noun
      for (std::uint32_t p = q; p < hits[i].begin;) {
        const auto c = decode_at(t, p);
        if (c.len == 0 || is_clause_break(c.cp) || c.cp == U'、' || c.cp < 0x80) {
          clean = false;
          break;
        }
        p += c.len;
      }
      if (clean) return k;
    }
    const auto after = decode_at(t, q);
    if (after.len == 0 || is_clause_break(after.cp) || after.cp == U'、' || after.cp == U'）' || after.cp == U')') {
      const auto clause_b = scan_back(t, number_end, is_clause_break);
      auto [blo, bhi] = hits_in(clause_b, q);
      for (auto i = bhi; i > blo; --i) {
        const auto k = entry(hits[i - 1]).kind;
        if (k == cue_kind::people || k == cue_kind::household) return k;
      }
    }
    return cue_kind::metric;
  }

  bool in_excluded(std::uint32_t b, std::uint32_t e) const {
    for (const auto& r : excluded)
      if (b < r.end && r.begin < e) return true;
    return false;
  }

  // A well-formed three-byte character that is neither a quotation mark nor
  // a break: those all have lead byte E2, E3 or EF (E0 may spell ASCII overlong).
  static bool plain_char(char lead, char b1, char b2) noexcept {
    const auto l = static_cast<unsigned char>(lead);
    return (l & 0xF0) == 0xE0 && l != 0xE0 && l != 0xE2 && l != 0xE3 && l != 0xEF &&
           (static_cast<unsigned char>(b1) & 0xC0) == 0x80 && (static_cast<unsigned char>(b2) & 0xC0) == 0x80;
  }

  // Within a short quotation (“五个一批”, “2帮1”): a slogan, not a quantity.
  static bool in_short_quote(std::string_view t, std::uint32_t b, std::uint32_t e) {
    constexpr int max_chars = 10;
    std::uint32_t p = b;
    bool open = false;
    for (int n = 0; n < max_chars && p > 0; ++n) {
      if (p >= 3 && plain_char(t[p - 3], t[p - 2], t[p - 1])) {
        p -= 3;
        continue;
      }
      const auto c = char_before(t, p);
      if (c.cp == U'“' || c.cp == U'「' || c.cp == U'‘' || c.cp == U'《') {
        open = true;
        break;
      }
      if (c.cp == U'”' || c.cp == U'」' || c.cp == U'’' || c.cp == U'》' || is_clause_break(c.cp)) return false;
      p -= c.len;
    }
    if (!open) return false;
    p = e;
    for (int n = 0; n < max_chars && p < t.size(); ++n) {
      if (std::size_t{p} + 2 < t.size() && plain_char(t[p], t[p + 1], t[p + 2])) {
        p += 3;
        continue;
      }
      const auto c = char_at(t, p);
      if (c.cp == U'”' || c.cp == U'」' || c.cp == U'’' || c.cp == U'》') return true;
      if (c.cp == U'“' || is_clause_break(c.cp)) return false;
      p += c.len;
    }
    return false;
  }

  // Best metric cue for a figure at [num_begin, fig_end). Cues score by
  // position: the noun right after the figure (before any 、 or clause
  // break) is strongest, then cues before it in the same list segment, the
  // same clause, the same sentence; a short heading line above is the last
  // resort. `own` receives the best score of a cue of the figure's own list
  // segment, before it or attached right after it (其中 clauses inherit a
  // metric only without one: 其中2042人创业成功 is not trained people).
  std::uint16_t choose_metric(std::string_view t, const figure_context& ctx, std::uint32_t num_begin,
                              std::uint32_t fig_end, std::uint32_t unit_bits, const classification& cls,
                              float& own) const {
    const auto clause_b = ctx.clause_begin;
    const auto clause_e = ctx.clause_end;
    const auto segment_b = ctx.segment_begin;
    const auto segment_e = ctx.segment_end;
    const auto sent_b = ctx.sentence_begin;
    constexpr float threshold = 1.0f;
    float best = threshold;
    own = 0;
    std::uint16_t metric = data->lex->other_metric();
    const lexicon_hit* best_hit = nullptr;
    auto consider = [&](const lexicon_hit& h, float score) {
      if (score > best) {
        best = score;
        metric = entry(h).metric;
        best_hit = &h;
      }
    };
    auto [lo, hi] = hits_in(sent_b, clause_e);
    // A clause that only tallies (累计达到4.3万人) continues the one before it:
    // the cues there govern it as its own would.
    const auto cue_clause_b = tallies(t, clause_b) && clause_b > sent_b
                                  ? std::max(sent_b, scan_back(t, clause_b - char_before(t, clause_b).len, is_clause_break))
                                  : clause_b;
    for (auto i = lo; i < hi; ++i) {
      const auto& h = hits[i];
      const auto& e = entry(h);
      if (e.kind != cue_kind::metric || (e.units & unit_bits) == 0 || e.doing) continue;
      if (e.after_only && makes_adjective(t, h.end)) continue;
      if (h.begin >= fig_end) {
        const float gap = chars(h.begin - fig_end);
        // The noun phrase after the figure names what it counts; it ends at
        // a conjunction (10个社区与富宁县: 县 ends a place name past it).
        if (h.end <= segment_e && gap <= 6 && !crosses_conjunction(t, fig_end, h.begin)) {
          const float score = e.weight + 3 - 0.1f * gap;
          if (gap <= 2) own = std::max(own, score);  // attached: 2042人创业成功, not 24个选址在贫困县
          consider(h, score);
        } else {
          consider(h, e.weight + 0.5f - 0.05f * gap);
        }
      } else if (h.end <= num_begin && !e.after_only) {
        const float dist = chars(num_begin - h.end);
        if (h.begin >= segment_b) {
          const float score = e.weight + 2 - 0.15f * dist;
          own = std::max(own, score);
          consider(h, score);
        } else if (h.begin >= cue_clause_b) {
          consider(h, e.weight + 0.5f - 0.05f * dist);
        } else {
          // Money is rarely left ungoverned: the sentence's fund word still counts.
          consider(h, e.weight - ((unit_bits & detail::extraction::unit_money) ? 0.8f : 2.0f) - 0.01f * dist);
        }
      }
    }
    // A light verb before the figure (带动) yields to the result named after
    // it in the same segment (带动8.6万名建档立卡贫困人口脱贫).
    if (best_hit != nullptr && entry(*best_hit).light && best_hit->end <= num_begin) {
      for (auto i = lo; i < hi; ++i) {
        const auto& h = hits[i];
        const auto& e = entry(h);
        if (h.begin < fig_end || h.end > segment_e) continue;
        if (e.kind != cue_kind::metric || (e.units & unit_bits) == 0 || e.after_only) continue;
        metric = e.metric;
        best_hit = &h;
        break;
      }
    }
    // A word for who the people are written right before the figure names
    // them over a verb after it (专业技术人员396名赴甘肃挂职 are professionals).
    // A verb after it still governs: 技术人员275人次赴闽跟岗培训 are trained.
    if (best_hit != nullptr && best_hit->begin >= fig_end && !entry(*best_hit).who &&
        !entry(*best_hit).verb) {
      for (auto i = lo; i < hi; ++i) {
        const auto& e = entry(hits[i]);
        if (e.kind == cue_kind::metric && e.who && (e.units & unit_bits) != 0 && hits[i].end == num_begin) {
          metric = e.metric;
          best_hit = &hits[i];
        }
      }
    }
    // A word for who the people are right after the figure yields to a verb
    // that is the next metric word in its clause (选派120名教师到广州跟岗学习
    // are trained; 选派112名干部到杭州挂职锻炼和跟岗学习 are cadres).
    if (best_hit != nullptr && best_hit->begin >= fig_end && entry(*best_hit).who) {
      for (auto i = lo; i < hi; ++i) {
        const auto& h = hits[i];
        const auto& e = entry(h);
        if (h.begin < best_hit->end || h.end > clause_e) continue;
        if (e.kind != cue_kind::metric || (e.units & unit_bits) == 0 || e.doing) continue;
        if (e.verb) metric = e.metric;
        break;
      }
    }
    // A verb before the figure in its clause governs it over a word for who
    // the people are that stands after the verb (培训当地教师1800人次).
    if (best_hit != nullptr && entry(*best_hit).who) {
      for (auto i = lo; i < hi && hits[i].begin < best_hit->begin; ++i) {
        const auto& e = entry(hits[i]);
        if (e.kind == cue_kind::metric && e.verb && (e.units & unit_bits) != 0 && hits[i].begin >= clause_b &&
            hits[i].end <= num_begin)
          metric = e.metric;
      }
    }
    // The noun after the figure yields to what the things it names do there,
    // later in the clause (86家企业携…参展 are exhibitors).
    if (best_hit != nullptr && best_hit->begin >= fig_end) {
      for (auto i = lo; i < hi; ++i) {
        const auto& h = hits[i];
        const auto& e = entry(h);
        if (e.doing && (e.units & unit_bits) != 0 && h.begin >= best_hit->end && h.end <= clause_e &&
            (!e.west_only || names_west(t.substr(clause_b, num_begin - clause_b), cls))) {
          metric = e.metric;
          break;
        }
      }
    }
    // A deal's amount is a purchase where its sentence named one before it.
    if (best_hit != nullptr && entry(*best_hit).deal) {
      for (auto i = lo; i < hi && hits[i].end <= best_hit->begin; ++i) {
        const auto& e = entry(hits[i]);
        if (e.kind == cue_kind::metric && !e.doing && e.metric == data->lex->purchases() && (e.units & unit_bits) != 0)
          metric = e.metric;
      }
    }
    // Funds under a generic fund word (帮扶资金, not 财政…) in a sentence
    // whose giver is no government (组织民营企业结对帮扶…投入帮扶资金) are
    // that giver's kind of aid.
    if (best_hit != nullptr && metric == data->lex->money_default() && !names_government(t, *best_hit)) {
      for (auto i = lo; i < hi && hits[i].end <= num_begin; ++i) {
        const auto& e = entry(hits[i]);
        if (e.giver && (e.units & unit_bits) != 0) metric = e.metric;
      }
    }
    // A figure alone on its line (数说, 一图读懂: "6.55亿元" over
    // "山东省财政援助资金") is named by the short line right below it; the
    // line above is the previous figure's label there.
    const auto ls = best <= threshold ? line_start(t, num_begin) : 0;  // only then: a walk back
    const auto le = best <= threshold ? line_end(t, fig_end) : 0;
    const bool alone = best <= threshold && chars(num_begin - ls) <= 2 && chars(le - fig_end) <= 2 && le < t.size();
    if (alone) {
      const auto next_b = le + 1;
      const auto next_e = line_end(t, next_b);
      if (next_e > next_b && chars(next_e - next_b) <= 40) {
        auto [nlo, nhi] = hits_in(next_b, next_e);
        for (auto i = nlo; i < nhi; ++i) {
          const auto& h = hits[i];
          const auto& e = entry(h);
          if (e.kind == cue_kind::metric && (e.units & unit_bits) != 0 && !e.doing && h.end <= next_e)
            consider(h, e.weight);
        }
      }
    }
    if (best <= threshold) {
      // A short heading line just above the paragraph ("援建扶贫车间").
      if (ls >= 2) {
        const auto prev_b = line_start(t, ls - 1);
        const auto prev_e = ls - 1;
        if (prev_e > prev_b && chars(prev_e - prev_b) <= 16) {
          auto [plo, phi] = hits_in(prev_b, prev_e);
          for (auto i = plo; i < phi; ++i) {
            const auto& h = hits[i];
            const auto& e = entry(h);
            if (e.kind == cue_kind::metric && (e.units & unit_bits) != 0) consider(h, e.weight - 1.0f);
          }
        }
      }
    }
    // 每人给予500元: a rate paid each person, not the aid itself; unless the
    // clause names the fund that pays it (由苏铜扶贫协作资金每人给予…500元).
    const bool fund_pays = best_hit != nullptr && best_hit->begin >= clause_b && best_hit->end <= num_begin &&
                           metric == data->lex->money_default();
    if ((unit_bits & detail::extraction::unit_money) && (best <= threshold || metric == data->lex->money_default()) &&
        (best_hit == nullptr || !names_government(t, *best_hit)) && !fund_pays && per_head(t, clause_b, num_begin))
      return data->lex->other_metric();
    if (best <= threshold && (unit_bits & detail::extraction::unit_money)) return data->lex->money_default();
    return metric;
  }

  // A figure in a 其中 clause ("其中贫困劳动力1452人") without a strong cue of
  // its own is a part of the figure before it and takes its metric.
  static bool in_qizhong_clause(std::string_view t, const figure_context& ctx) {
    static constexpr std::string_view qizhong = "其中";
    const auto clause_b = ctx.clause_begin;
    if (t.compare(clause_b, qizhong.size(), qizhong) == 0) return true;
    if (clause_b == 0) return false;
    const auto brk = decode_before(t, clause_b);
    const auto before_brk = clause_b - brk.len;
    return before_brk >= qizhong.size() && t.compare(before_brk - qizhong.size(), qizhong.size(), qizhong) == 0;
  }

  // Period stated in the sentence before the figure: "2019年", "2016年以来", "截至8月底", "今年".
  std::string_view find_period(std::string_view t, const figure_context& ctx, std::uint32_t num_begin) const {
    const auto sent_b = ctx.sentence_begin;
    std::string_view best;
    std::uint32_t best_end = 0;
    // Cue words.
    auto [lo, hi] = hits_in(sent_b, num_begin);
    for (auto i = lo; i < hi; ++i) {
      const auto& h = hits[i];
      if (entry(h).kind != cue_kind::period || h.end > num_begin) continue;
      std::uint32_t b = h.begin;
      std::uint32_t e = h.end;
      const auto w = t.substr(h.begin, h.end - h.begin);
      if (w == "截至" || w == "截止") {
        e = scan_forward(t, h.end, is_clause_break);
        if (e > num_begin) e = num_begin;
      }
      if (e >= best_end) {
        best = t.substr(b, e - b);
        best_end = e;
      }
    }
    // "N年" (+ 以来/来/底/累计 …): search back for 年 preceded by a number.
    std::uint32_t p = num_begin;
    while (p >= sent_b + 3) {
      // 年 is E5 B9 B4: look for its last byte first.
      if (static_cast<unsigned char>(t[p - 1]) != 0xB4) {
        const void* last = memrchr(t.data() + sent_b + 2, 0xB4, p - 1 - (sent_b + 2));
        if (last == nullptr) break;
        p = static_cast<std::uint32_t>(static_cast<const char*>(last) - t.data()) + 1;
      }
      if (static_cast<unsigned char>(t[p - 2]) != 0xB9 || static_cast<unsigned char>(t[p - 3]) != 0xE5) {
        --p;
        continue;
      }
      p -= 3;
      std::uint32_t b = p;
      while (b > sent_b) {
        const auto d = decode_before(t, b);
        if (detail::extraction::arabic_digit(d.cp) < 0 && detail::extraction::chinese_digit(d.cp) < 0) break;
        b -= d.len;
      }
      if (b == p) continue;
      std::uint32_t e = p + 3;  // after 年
      for (std::string_view suffix : {"以来", "以來", "来", "來", "底", "末", "初", "累计", "累計", "上半年", "至今"}) {
        if (t.compare(e, suffix.size(), suffix) == 0) {
          e += static_cast<std::uint32_t>(suffix.size());
          break;
        }
      }
      if (e > num_begin) e = num_begin;
      if (e >= best_end) {
        best = t.substr(b, e - b);
        best_end = e;
      }
      break;
    }
    return best;
  }

  // The metric of a count of administrative units or pairs, where the
  // programme's practice decides it rather than the nearest cue: pairs (86对)
  // are pairings; villages are pairings where they are paired or helped
  // (结对, 帮扶44个贫困村) and other figures otherwise (1113个贫困村实施挂牌
  // 督战), never counties; counties or districts named right after a place
  // of the pair are pairings on the eastern side (北京市13个区) and counties
  // on the western (承德市5个县). Any other figure keeps `metric`.
  std::uint16_t units_metric(std::string_view t, const figure_context& ctx, std::uint32_t num_begin,
                             std::uint32_t fig_end, std::uint16_t metric, const classification& cls) const {
    const auto& lex = *data->lex;
    const auto unit = char_before(t, fig_end);
    if (unit.cp == U'对' || unit.cp == U'對') return lex.eastern_units();  // pairs: 86对镇村结对
    if (counts_cities(t, fig_end)) return lex.other_metric();
    if (counts_villages(t, fig_end)) {
      bool paired = helps_as_verb(t.substr(ctx.clause_begin, ctx.clause_end - ctx.clause_begin));
      auto [lo, hi] = hits_in(ctx.clause_begin, ctx.clause_end);
      for (auto i = lo; i < hi && !paired; ++i) {
        const auto& e = entry(hits[i]);
        paired = e.kind == cue_kind::metric && e.metric == lex.eastern_units() && !e.after_only;
      }
      return paired ? lex.eastern_units() : lex.other_metric();
    }
    const auto side = side_of_units(t, ctx.clause_begin, num_begin, fig_end, cls);
    if (side == "west") return pairing_said_after(t, fig_end, ctx.clause_end) ? lex.eastern_units() : lex.western_units();
    if (side == "east") return lex.eastern_units();
    if (counts_units(t, fig_end) && first_party_of_pairing(t, fig_end, ctx.clause_end)) return lex.eastern_units();
    return metric;
  }

  static std::string_view find_side(std::string_view t, const figure_context& ctx, std::uint32_t num_begin,
                                    const classification& cls) {
    if (cls.pairs.empty()) return {};
    const auto sent_b = ctx.sentence_begin;
    const auto sentence = t.substr(sent_b, num_begin - sent_b);
    std::size_t best_pos = std::string_view::npos;
    std::string_view side;
    auto look = [&](const std::string& name, std::string_view which) {
      if (name.empty()) return;
      const auto p = last_occurrence(sentence, name);
      if (p != std::string_view::npos && (best_pos == std::string_view::npos || p > best_pos)) {
        best_pos = p;
        side = which;
      }
    };
    for_each_pair_name(cls, look);
    return side;
  }

  void scan_field(const normalized_text& nt, text_field field, const classification& cls);
  void add_table_cells(std::string_view t, std::uint32_t limit);

  // A metric word inside a word for who the people are (脱贫 in 脱贫人口,
  // 脱贫户) is a piece of that word, not a word of its own: 带动23.8万脱贫人口
  // 增收 counts people benefited, not lifted. Hits are sorted by begin,
  // longer first, so the earlier who-word reaching furthest may hold the next.
  void drop_metric_words_inside_who_words() {
    std::size_t kept = 0;
    std::uint32_t far_end = 0;
    for (const auto& h : hits) {
      const auto& e = entry(h);
      if (e.kind == cue_kind::metric) {
        if (!e.who && h.end <= far_end) continue;
        if (e.who) far_end = std::max(far_end, h.end);
      }
      hits[kept++] = h;
    }
    hits.resize(kept);
  }
};

namespace {

// Whether another programme's name at [begin, end) is joined to the
// programme's own by a conjunction, before it (东西部协作和中央单位定点帮扶
// 工作推进会) or after it (对口援藏工作与东西部扶贫协作统筹推进): it names a
// joint event or account, not a section of its own.
bool joined_to_programme(std::string_view t, std::uint32_t begin, std::uint32_t end) noexcept {
  const auto before = t.substr(0, begin);
  for (const std::string_view joint : {"协作和", "协作、", "协作与", "協作和", "協作、", "協作與"})
    if (before.ends_with(joint)) return true;
  auto after = t.substr(end);
  constexpr std::string_view work = "工作";  // optional; the same in both scripts
  if (after.starts_with(work)) after.remove_prefix(work.size());
  bool conjunction = false;
  for (const std::string_view c : {"与", "與", "和", "、", "及"})
    if (after.starts_with(c)) {
      after.remove_prefix(c.size());
      conjunction = true;
      break;
    }
  return conjunction && (after.starts_with("东西部") || after.starts_with("東西部") ||
                         after.starts_with("扶贫协作") || after.starts_with("扶貧協作"));
}

}  // namespace

void extractor::impl::scan_field(const normalized_text& nt, text_field field, const classification& cls) {
  const std::string_view t = nt.text;
  if (t.empty() || t.size() > 0xFFFFFFF0u) return;
  const auto& found = scanner.scan(t);
  hits.assign(found.begin(), found.end());
  drop_metric_words_inside_who_words();

  // Zones: chrome from the first stop cue's line on; other programmes; fixed expressions.
  std::uint32_t limit = static_cast<std::uint32_t>(t.size());
  excluded.clear();
  for (const auto& h : hits) {
    const auto kind = entry(h).kind;
    if (kind == cue_kind::stop && field == text_field::body) {
      // Chrome after the article: a sentence ends, or two lines stand,
      // before its line (a byline of source and editor above the article
      // stops nothing).
      const auto at = line_start(t, h.begin);
      const auto before = t.substr(0, at);
      if (at < limit && (before.find("。") != std::string_view::npos || (at > 0 && t.find('\n') < at - 1)))
        limit = at;
    } else if (kind == cue_kind::foreign) {
      // Another programme's section: its sentence and the rest of its line.
      if (!joined_to_programme(t, h.begin, h.end))
        excluded.push_back({scan_back(t, h.begin, is_sentence_break), line_end(t, h.end)});
    } else if (kind == cue_kind::not_figure) {
      excluded.push_back({h.begin, h.end});
    }
  }

  std::uint32_t pos = 0;
  while (pos < limit) {
    const auto b0 = static_cast<unsigned char>(t[pos]);
    if (b0 < 0x80) {
      if (b0 == '<' && pos + 1 < t.size()) {
        // Markup left in the text: skip a tag.
        const char n = t[pos + 1];
        if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '/' || n == '!') {
          const auto close = t.find('>', pos);
          if (close != std::string_view::npos && close - pos < 512) {
            pos = static_cast<std::uint32_t>(close + 1);
            continue;
          }
        }
      } else if (b0 == '&') {
        const auto semi = t.find(';', pos);
        if (semi != std::string_view::npos && semi - pos <= 10) {
          pos = static_cast<std::uint32_t>(semi + 1);
          continue;
        }
      }
      if (b0 < '0' || b0 > '9') {
        ++pos;
        continue;
      }
    } else if ((b0 & 0xF0) == 0xE0 && pos + 2 < t.size()) {
      const char32_t cp = (static_cast<char32_t>(b0 & 0x0F) << 12) |
                          (static_cast<char32_t>(static_cast<unsigned char>(t[pos + 1]) & 0x3F) << 6) |
                          (static_cast<unsigned char>(t[pos + 2]) & 0x3F);
      if (!detail::extraction::may_start_number(cp)) {
        pos += 3;
        continue;
      }
    } else if (!starts_number(t, pos)) {
      pos += std::max<std::uint32_t>(1, decode_at(t, pos).len);
      continue;
    }
    const auto num = parse_number(t, pos);
    if (!num || num->length == 0) {
      pos += std::max<std::uint32_t>(1, decode_at(t, pos).len);
      continue;
    }
    const std::uint32_t num_begin = pos;
    std::uint32_t p = pos + num->length;
    pos = p;  // whatever happens, continue after the number
    // A number written with a leading zero (06 人才支援, 01 资金投入) numbers a
    // section; no quantity is written so.
    if (leading_zero(t.substr(num_begin, num->length))) continue;

    double value = num->value;
    double upper = -1;
    bool approximate = num->approximate;
    // Range: 3至5万, 3—5万.
    {
      const auto c = decode_at(t, p);
      if (c.len && is_range_connector(c.cp)) {
        const auto second = parse_number(t, p + c.len);
        if (second && second->length > 0 && !second->percent) {
          double lo = value;
          if (!num->has_multiplier && second->has_multiplier && lo > 0) {
            // 3至5万: the first bound shares the second's multiplier.
            const auto last = decode_before(t, p + c.len + second->length);
            const double pw = detail::extraction::chinese_power(last.cp);
            if (pw > 0) lo *= pw;
          }
          if (second->value > lo) {
            value = lo;
            upper = second->value;
            p = p + c.len + second->length;
          }
        }
      }
    }
    const std::uint32_t number_end = p;
    // Qualifier between number and unit (余, 多), optional space, unit.
    std::string_view qualifier = qualifier_before(t, num_begin);
    std::uint32_t q = p;
    {
      const auto c = decode_at(t, q);
      if (c.len && is_space(c.cp)) q += c.len;
    }
    std::string_view mid_qual;
    {
      const auto c = decode_at(t, q);
      if (c.cp == U'余' || c.cp == U'餘' || c.cp == U'多' || c.cp == U'几' || c.cp == U'幾') {
        mid_qual = t.substr(q, c.len);
        q += c.len;
        approximate = true;
      }
    }
    double factor = 1;
    if (!mid_qual.empty()) {
      // 220多万, 5千余万元: the multiplier comes after the qualifier.
      const auto c = decode_at(t, q);
      const double pw = c.len ? detail::extraction::chinese_power(c.cp) : 0;
      if (pw >= 1e4 && !(c.cp == U'万' && t.compare(q + c.len, 3, "元") == 0) && !(c.cp == U'萬' && t.compare(q + c.len, 3, "元") == 0)) {
        factor = pw;
        q += c.len;
      }
    }
    const unit_entry* unit = data->units.match(t, q);
    std::string_view unit_name;
    std::uint32_t unit_end = q;
    if (unit) {
      if (unit->not_figure) continue;
      if (unit->arabic_only && !num->has_arabic) continue;
      if (unit->alone_only) {
        const auto next = decode_at(t, q + static_cast<std::uint32_t>(unit->surface.size()));
        if (next.len != 0 && detail::is_cjk_ideograph(next.cp)) continue;
      }
      unit_name = unit->unit;
      factor *= unit->factor;
      unit_end = q + static_cast<std::uint32_t>(unit->surface.size());
    } else if (num->percent) {
      unit_name = "percent";
      unit_end = number_end;
    } else if (const auto noun = num->has_multiplier || factor > 1 ? people_noun(t, q, number_end) : cue_kind::metric;
               noun != cue_kind::metric) {
      // A bare 37.22万 counts the people noun right after it (37.22万建档贫困人口)
      // or, at the end of its clause, the one before it (贫困人口220多万).
      unit_name = noun == cue_kind::people ? "person" : "household";
      unit_end = q;
    } else {
      continue;  // a number with no unit is no figure
    }
    if (unit_end == q && !mid_qual.empty()) unit_end = q;  // bare 万余 before a people noun
    if (unit_end == number_end && !mid_qual.empty()) unit_end = q;
    // Suffix qualifier after the unit: 以上, 左右, 多.
    const auto after_q = unit ? qualifier_at(t, unit_end) : std::string_view{};
    std::string_view suffix_qual;
    if (after_q == "以上" || after_q == "左右" || after_q == "多" || after_q == "余" || after_q == "餘")
      suffix_qual = after_q;

    // --- Exclusions ---
    const auto before = decode_before(t, num_begin);
    if (before.cp == U'第') continue;  // ordinal
    // A magnitude, not a figure: 几十名工人, 数百户 (labellers leave them out).
    if (detail::extraction::is_approx_digit(decode_at(t, num_begin).cp)) continue;
    if ((before.cp == U'数' || before.cp == U'數') && detail::extraction::chinese_power(decode_at(t, num_begin).cp) > 0)
      continue;
    if (detail::extraction::is_ascii_alpha(before.cp) || before.cp == U'_' || before.cp == 0xFFFD ||
        before.cp == U'?' || before.cp == U'#')
      continue;  // codes, mojibake
    if (before.cp == U'-' || before.cp == U'/' || before.cp == U':' || before.cp == U'.') {
      const auto bb = decode_before(t, num_begin - before.len);
      if (detail::extraction::arabic_digit(bb.cp) >= 0) continue;  // 2020-07-18, 09:38
    }
    {
      const auto after = decode_at(t, number_end);
      if (detail::extraction::is_ascii_alpha(after.cp)) continue;  // 5G, 3D
    }
    if (!num->has_arabic) {
      if (num->digit_string) continue;
      // 一个, 一批, 一到两个: no key figure; 百分之零点六 is one.
      if (value <= 1 && !approximate && !num->percent) continue;
      // 千家, 万户; but 逾千人, 上千名, 近百家 (the parser reads a bare power
      // after these words) are figures, the word their approximation.
      if (!num->has_chinese_digit && !num->percent && value != 10 && !approximate &&
          !detail::extraction::approximates_bare_power(before.cp))
        continue;
      // 五个一批, 一村一品: a numeral right after the unit makes a slogan.
      const auto next = decode_at(t, unit_end);
      if (detail::extraction::chinese_digit(next.cp) >= 0) continue;
    }
    if (in_excluded(num_begin, unit_end)) continue;
    if (nt.is_unreliable(num_begin, unit_end)) continue;
    if (in_short_quote(t, num_begin, unit_end)) continue;
    if (value <= 0) continue;
    // A sign written right before an Arabic number (增长-3.5%), not a dash between numbers.
    if (num->has_arabic && (before.cp == U'-' || before.cp == U'－' || before.cp == U'−')) {
      const auto bb = decode_before(t, num_begin - before.len);
      if (detail::extraction::arabic_digit(bb.cp) < 0 && !is_range_connector(bb.cp)) {
        value = -value;
        if (upper >= 0) upper = -upper;
      }
    }
    if (num->has_arabic && !num->grouped && !num->has_multiplier && value >= 1e10) continue;  // phone, ID

    // A run of digits too long for a double (spam, a broken page) is no fact:
    // warehouses must never receive infinity or NaN.
    if (!std::isfinite(value * factor) || (upper >= 0 && !std::isfinite(upper * factor))) continue;

    candidate c;
    c.field = field;
    c.begin = num_begin;
    c.end = std::max(unit_end, number_end);
    c.value = value * factor;
    c.upper = upper >= 0 ? upper * factor : -1;
    c.unit = unit;
    c.unit_name = unit_name;
    c.qualifier = !qualifier.empty() ? qualifier : (!mid_qual.empty() ? mid_qual : suffix_qual);
    const auto ctx = context_of(t, num_begin, c.end);
    float own = 0;
    c.metric = choose_metric(t, ctx, num_begin, c.end, detail::extraction::unit_bit_of(unit_name), cls, own);
    if (own < 4.0f && in_qizhong_clause(t, ctx)) {
      // Inherit from the previous figure of the same unit within ~2 sentences.
      for (auto it = cands.rbegin(); it != cands.rend(); ++it) {
        if (it->field != field || num_begin - it->end > 400) break;
        if (it->unit_name == unit_name) {
          c.metric = it->metric;
          break;
        }
      }
    }
    c.metric = units_metric(t, ctx, num_begin, c.end, c.metric, cls);
    if (unit_name == "percent" && share_of_funds(t, ctx.segment_begin, num_begin, c.end))
      c.metric = data->lex->money_default();
    // A small count in words with no metric is a set phrase (两个大局); a
    // percentage in words (百分之五) is a figure.
    if (!num->has_arabic && !num->percent && c.metric == data->lex->other_metric() && value < 10) continue;
    if (unit != nullptr && unit->counts_other) c.metric = data->lex->other_metric();
    c.period = find_period(t, ctx, qualifier.empty() ? num_begin : num_begin - static_cast<std::uint32_t>(qualifier.size()));
    c.side = find_side(t, ctx, num_begin, cls);
    cands.push_back(c);
    pos = c.end;
  }
  if (field == text_field::body) add_table_cells(t, limit);
}

// Bare numbers in the cells of a text table (table_cells.h), before the
// article's chrome and outside other programmes' zones: the metric is the
// strongest metric word of the cell's column header, else of its row's
// label, else of the table's caption.
void extractor::impl::add_table_cells(std::string_view t, std::uint32_t limit) {
  table_cells.clear();
  detail::extraction::find_table_cells(t, data->units, table_scratch, table_cells);
  for (const auto& cell : table_cells) {
    if (cell.number.end > limit || in_excluded(cell.number.begin, cell.number.end)) continue;
    // The cell alone: the next cell's digits, a space away, are no part of it.
    const auto cell_text = t.substr(cell.number.begin, cell.number.end - cell.number.begin);
    const auto num = parse_number(cell_text, 0);
    if (!num || num->length != cell_text.size() || !std::isfinite(num->value)) continue;
    candidate c;
    c.field = text_field::body;
    c.begin = cell.number.begin;
    c.end = cell.number.end;
    c.unit = cell.unit;
    c.unit_name = cell.unit != nullptr ? std::string_view(cell.unit->unit) : std::string_view("percent");
    c.value = num->value * (cell.unit != nullptr ? cell.unit->factor : 1.0);
    if (c.value <= 0 || !std::isfinite(c.value)) continue;
    const auto bits = detail::extraction::unit_bit_of(c.unit_name);
    std::uint16_t metric = 0;
    bool found = false;
    for (const auto range : {cell.header, cell.label, cell.caption}) {
      if (range.end <= range.begin) continue;
      float best = -1;
      auto [lo, hi] = hits_in(range.begin, range.end);
      for (auto i = lo; i < hi; ++i) {
        const auto& e = entry(hits[i]);
        if (e.kind != cue_kind::metric || (e.units & bits) == 0 || e.doing || hits[i].end > range.end) continue;
        if (e.weight > best) {
          best = e.weight;
          metric = e.metric;
        }
      }
      if ((found = best >= 0)) break;
    }
    c.metric = found ? metric : (bits & detail::extraction::unit_money) ? data->lex->money_default()
                                                                         : data->lex->other_metric();
    if (cell.unit != nullptr && cell.unit->counts_other) c.metric = data->lex->other_metric();
    cands.push_back(c);
  }
}

extractor::extractor(std::shared_ptr<const extractor_data> data) : impl_(std::make_unique<impl>(std::move(data))) {}
extractor::~extractor() = default;
extractor::extractor(extractor&&) noexcept = default;
extractor& extractor::operator=(extractor&&) noexcept = default;

namespace {
bool same_value(double a, double b) noexcept {
  return std::fabs(a - b) <= 1e-9 * std::max({std::fabs(a), std::fabs(b), 1.0});
}
// A qualifier that makes the figure a lower bound written round.
bool rounds_down(std::string_view qualifier) noexcept {
  return qualifier == "超" || qualifier == "超过" || qualifier == "突破" || qualifier == "逾" || qualifier == "超過" ||
         qualifier == "达" || qualifier == "達";
}
}  // namespace

void extractor::extract(const normalized_text& title, const normalized_text& body, const classification& cls,
                        std::vector<figure>& out) {
  // `out` is reused element by element (string and vector capacity kept) so a
  // steady stream of records does not allocate; it is trimmed at the end.
  std::size_t used = 0;
  auto& m = *impl_;
  m.cands.clear();
  m.scan_field(title, text_field::title, cls);
  const auto title_count = m.cands.size();
  m.scan_field(body, text_field::body, cls);

  const auto& names = m.data->lex->metric_names();
  auto text_of = [&](const candidate& c) -> const normalized_text& {
    return c.field == text_field::title ? title : body;
  };
  auto make_mention = [&](const candidate& c) {
    const auto& nt = text_of(c);
    mention mn;
    mn.field = c.field;
    mn.begin = c.begin;
    mn.end = c.end;
    mn.orig_begin = c.begin < nt.origin.size() ? nt.origin[c.begin] : c.begin;
    mn.orig_end = c.end < nt.origin.size() ? nt.origin[c.end] : c.end;
    return mn;
  };
  // Body figures first (their clause gives the better metric), then title
  // figures, which merge into a body figure of the same value and unit.
  auto emit = [&](std::size_t i) {
    const auto& c = m.cands[i];
    const bool from_title = c.field == text_field::title;
    for (std::size_t k = 0; k < used; ++k) {
      auto& f = out[k];
      if (f.unit != c.unit_name || !same_value(f.value, c.value)) continue;
      if (from_title || f.metric == names[c.metric]) {
        f.mentions.push_back(make_mention(c));
        return;
      }
    }
    // A headline's round lower bound (突破20亿元, 超百亿元) restates the
    // body's exact figure just above it (20.7亿元, 101.3亿元): one fact.
    if (from_title && rounds_down(c.qualifier)) {
      for (std::size_t k = 0; k < used; ++k) {
        auto& f = out[k];
        if (f.unit == c.unit_name && f.value > c.value && f.value <= c.value * 1.25) {
          f.mentions.push_back(make_mention(c));
          return;
        }
      }
    }
    if (used == out.size()) out.emplace_back();
    figure& f = out[used++];
    f.value = c.value;
    f.upper.reset();
    if (c.upper >= 0) f.upper = c.upper;
    f.unit.assign(c.unit_name);
    f.metric.assign(names[c.metric]);
    f.qualifier.assign(c.qualifier);
    f.period.assign(c.period);
    f.side.assign(c.side);
    f.text.assign(text_of(c).text.substr(c.begin, c.end - c.begin));
    f.mentions.clear();
    f.mentions.push_back(make_mention(c));
  };
  for (std::size_t i = title_count; i < m.cands.size(); ++i) emit(i);
  for (std::size_t i = 0; i < title_count; ++i) emit(i);
  out.resize(used);
}

}  // namespace coopwatch::core
