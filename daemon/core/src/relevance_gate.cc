#include "relevance_gate.h"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "classify_data.h"
#include "coopwatch/core/normalize.h"
#include "normalize_data.h"
#include "normalize_lines.h"
#include "pinyin.h"
#include "utf8.h"

namespace coopwatch::core {

namespace {

// Code points folded: up to the CJK extensions of plane 3 (the Traditional
// -> Simplified table maps a few characters into Extension G). Past them
// nothing maps, and nothing is watched; a map past them turns the gate off.
constexpr char32_t kFolded = 0x32400;

constexpr unsigned kPairBits = 18;

std::uint64_t pair_hash(std::uint32_t pair) noexcept {
  return (std::uint64_t{pair} * 0x9E3779B97F4A7C15ull) >> (64 - kPairBits);
}

// False when no watched word opens with `pair` (the filter over them).
bool may_open_with(const std::uint64_t* bits, std::uint32_t pair) noexcept {
  const auto h = pair_hash(pair);
  return ((bits[h >> 6] >> (h & 63)) & 1) != 0;
}

std::size_t slot_of(std::uint32_t pair) noexcept {
  return static_cast<std::size_t>((std::uint64_t{pair} * 0xD6E8FEB86659FD93ull) >> 40);
}

std::u32string code_points(std::string_view s) {
  std::u32string out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  while (p < end) {
    const detail::decoded_char d = detail::decode_utf8(p, end);
    out.push_back(d.cp);
    p += d.length;
  }
  return out;
}

// Union-find over the folded code points: a class holds every character the
// script pass may write for any of its members.
class classes {
 public:
  classes() : parent_(kFolded) { std::iota(parent_.begin(), parent_.end(), 0u); }
  void join(char32_t a, char32_t b) {
    if (a >= kFolded || b >= kFolded) return;
    const std::uint32_t ra = find(a), rb = find(b);
    if (ra != rb) parent_[std::max(ra, rb)] = std::min(ra, rb);
  }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }

 private:
  std::vector<std::uint32_t> parent_;
};

}  // namespace

relevance_gate::relevance_gate(const normalizer_data& normalize, const classifier_data& classify,
                               const data_files& files) {
  const auto& t2s = normalize.t2s;
  const auto& nfkc = normalize.nfkc;
  classes cls;
  std::vector<bool> judge_not(kFolded, false);
  std::vector<char32_t> mojibake_starts;
  bool maps_folded = true;  // every map stays within the folded planes
  for (char32_t cp = 0; cp < kFolded; ++cp) {
    maps_folded &= t2s.map(cp) < kFolded;
    cls.join(cp, t2s.map(cp));
    const detail::nfkc_table::lookup m = nfkc.get(cp);
    if (m.combines_back) judge_not[cp] = true;
    if (normalize.script.mojibake_starts.test(cp)) mojibake_starts.push_back(cp);
    if (m.begin == nullptr) continue;
    for (const char32_t* e = m.begin; e != m.end; ++e) maps_folded &= *e < kFolded;
    if (m.end - m.begin == 1) cls.join(cp, *m.begin);
    else expansions_.emplace(cp, std::u32string(m.begin, m.end));
  }
  // The line pass splits tokens at its spaces and writes one ' ' for a run.
  for (unsigned char c = 0; c < 0x80; ++c)
    if (detail::is_line_space(c)) cls.join(c, ' ');
  bool phrases_aligned = true;
  t2s.for_each_phrase([&](const detail::t2s_table::phrase& p) {
    const std::u32string from = code_points(p.from), to = code_points(p.to);
    if (from.size() != to.size()) phrases_aligned = false;
    for (std::size_t i = 0; i < std::min(from.size(), to.size()); ++i) cls.join(from[i], to[i]);
  });

  // Dense ids for the classes with a BMP member; a supplementary character
  // gets one only when its class has such a member.
  std::unordered_map<std::uint32_t, std::uint16_t> id_of_root;
  bmp_.assign(0x10000, kOther);
  bool ids_fit = true;
  auto id_for = [&](char32_t cp) -> std::uint16_t {
    auto [it, fresh] = id_of_root.try_emplace(cls.find(cp), static_cast<std::uint16_t>(id_of_root.size()));
    if (fresh && id_of_root.size() >= kMojibake) ids_fit = false;
    return it->second;
  };
  for (char32_t cp = 0; cp < 0x10000; ++cp)
    bmp_[cp] = judge_not[cp] ? kJudgeNot : expansions_.count(cp) ? kExpands : id_for(cp);
  // Characters that may open mojibake keep their class aside: read() asks
  // the normaliser whether a run opens there, as the script pass does.
  for (const char32_t cp : mojibake_starts) {
    if (judge_not[cp]) continue;
    if (expansions_.count(cp)) {  // not read as an expansion: judged by nobody
      if (cp < 0x10000) bmp_[cp] = kJudgeNot;
      else supplementary_[cp] = kJudgeNot;
      continue;
    }
    mojibake_class_.emplace(cp, id_for(cp));
    if (cp < 0x10000) bmp_[cp] = kMojibake;
    else supplementary_[cp] = kMojibake;
  }
  space_ = id_for(' ');
  // The watched words: what the early verdict reads (programme terms, words
  // of assistance, pair words, place names), and spam phrases, whose
  // removal can join two words.
  bool openings_ok = true;
  std::unordered_map<std::uint32_t, std::vector<word>> by_pair;
  auto watch = [&](std::string_view text) -> word* {
    const std::u32string cps = code_points(text);
    if (cps.size() < 2 || !detail::is_cjk_ideograph(cps[0]) || !detail::is_cjk_ideograph(cps[1])) {
      openings_ok = false;
      return nullptr;
    }
    // No normalised text holds a character that NFKC expands.
    for (const char32_t cp : cps)
      if (expansions_.count(cp)) return nullptr;
    if (cps[0] >= kFolded || cps[1] >= kFolded) {
      openings_ok = false;
      return nullptr;
    }
    const std::uint32_t pair = std::uint32_t{id_for(cps[0])} << 16 | id_for(cps[1]);
    word w;
    w.tail = static_cast<std::uint32_t>(tails_.size());
    // The tail is compared up to its first character that is neither an
    // ideograph nor an ASCII letter or digit (punctuation collapses, spaces
    // merge): past that, the word may be there.
    for (std::size_t k = 2; k < cps.size(); ++k) {
      const char32_t c = cps[k];
      const bool plain = detail::is_cjk_ideograph(c) || (c < 0x80 && std::isalnum(static_cast<int>(c)));
      if (!plain || c >= kFolded) break;
      tails_.push_back(id_for(c));
    }
    w.tail_length = static_cast<std::uint32_t>(tails_.size() - w.tail);
    if (!ids_fit) {
      openings_ok = false;
      return nullptr;
    }
    auto& list = by_pair[pair];
    list.push_back(w);
    return &list.back();
  };
  for (std::size_t i = 0; i < classify.entries.size(); ++i) {
    const auto& e = classify.entries[i];
    const auto& r = classify.roles[i];
    const bool term = r.kind == detail::cue_kind::programme;
    if (!term && !r.assistance && r.pair_word == detail::no_unit && r.alias == detail::no_unit) continue;
    word* w = watch(e.text);
    if (w == nullptr) continue;
    if (term) {
      w->term = static_cast<std::int32_t>(terms_.size());
      terms_.push_back(e.weight);
    }
    w->assistance = term || r.assistance;
    w->pair_word = r.pair_word != detail::no_unit;
    if (r.alias != detail::no_unit) w->provinces = classify.alias_provinces[r.alias];
  }
  detail::for_each_data_line(require_file(files, "normalize/spam.txt"), "normalize/spam.txt",
                             [&](std::string_view line, const detail::data_error&) {
                               if (word* w = watch(line)) w->spam = true;
                             });
  // Characters past the BMP, now that the watched words have given their
  // classes ids too.
  for (char32_t cp = 0x10000; cp < kFolded; ++cp) {
    if (supplementary_.count(cp)) {
      continue;  // a mojibake opener, set above
    } else if (judge_not[cp]) {
      supplementary_.emplace(cp, kJudgeNot);
    } else if (expansions_.count(cp)) {
      supplementary_.emplace(cp, kExpands);
    } else if (const auto it = id_of_root.find(cls.find(cp)); it != id_of_root.end()) {
      supplementary_.emplace(cp, it->second);
    }
  }

  // Open addressing at half load, by the pair's hash; a filter in front.
  std::size_t slots = 16;
  while (slots < 2 * by_pair.size()) slots *= 2;
  openings_.assign(slots, opening{});
  pair_bits_.assign((std::size_t{1} << kPairBits) / 64, 0);
  for (auto& [pair, list] : by_pair) {
    const opening o{pair, static_cast<std::uint32_t>(words_.size()), static_cast<std::uint32_t>(list.size())};
    words_.insert(words_.end(), list.begin(), list.end());
    std::size_t k = slot_of(pair) & (slots - 1);
    while (openings_[k].pair != 0) k = (k + 1) & (slots - 1);
    openings_[k] = o;
    const auto h = pair_hash(pair);
    pair_bits_[h >> 6] |= std::uint64_t{1} << (h & 63);
  }
  for (std::uint32_t p = 0; p < 64; ++p) partners_.push_back(classify.gaz.official_partners(p));

  // The bound grows with every input the gate may overstate only under
  // these weights: programme terms positive (checked at load), the repeat
  // factor within [0, 1] (each further hit counts no more than the one
  // before), titles counting at least as much as bodies, and pairs without
  // a programme term counting no more than with one.
  weights_ = classify.weights;
  const bool monotone = weights_.repeat_factor >= 0 && weights_.repeat_factor <= 1 &&
                        weights_.title_factor >= 1 && weights_.pair_without_programme <= 0;
  enabled_ = phrases_aligned && maps_folded && ids_fit && openings_ok && !by_pair.empty() && monotone;
}

std::uint16_t relevance_gate::class_of(char32_t cp) const noexcept {
  if (cp < 0x10000) return bmp_[cp];
  const auto it = supplementary_.find(cp);
  return it == supplementary_.end() ? kOther : it->second;
}

const relevance_gate::opening* relevance_gate::find(std::uint16_t first, std::uint16_t second) const noexcept {
  const std::uint32_t pair = std::uint32_t{first} << 16 | second;
  return may_open_with(pair_bits_.data(), pair) ? find(pair) : nullptr;
}

const relevance_gate::opening* relevance_gate::find(std::uint32_t pair) const noexcept {
  const std::size_t mask = openings_.size() - 1;
  for (std::size_t k = slot_of(pair) & mask; openings_[k].pair != 0; k = (k + 1) & mask)
    if (openings_[k].pair == pair) return &openings_[k];
  return nullptr;
}

std::unique_ptr<relevance_gate::tally> relevance_gate::make_tally() const {
  auto t = std::make_unique<tally>();
  t->hits.assign(terms_.size(), 0);
  return t;
}

void relevance_gate::reset(tally& t) const noexcept {
  for (auto term : t.seen) t.hits[term] = 0;
  t.seen.clear();
  t.programme_term = t.pair_word = t.pairable = t.undecided = false;
  t.named = 0;
  t.score = 0;
}

bool relevance_gate::tail_may_follow(std::string_view text, std::size_t pos, const std::uint16_t* tail,
                                     std::size_t length) const noexcept {
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t k = 0; k < length; ++k) {
    if (pos >= text.size()) return false;  // the text ends first
    const unsigned char c = base[pos];
    std::uint16_t id;
    std::uint32_t length_here = 1;
    if (c < 0x80) {
      // A gloss may be dropped and a spam token cut out here: no telling.
      if (c == '(' || detail::is_line_space(c)) return true;
      id = bmp_[c];
    } else {
      const char32_t cp = detail::decode_valid_utf8(base + pos, length_here);
      id = class_of(cp);
      if (id == kMojibake) id = mojibake_class_.at(cp);  // read() gives up there if a run opens
      if (cp == U'（' || id == kJudgeNot || id == kExpands || id == space_) return true;
    }
    if (tail[k] == kOther) return true;  // a character past the folded planes
    if (id != tail[k]) return false;
    pos += length_here;
  }
  return true;
}

void relevance_gate::count(const opening& o, std::string_view text, std::size_t pos, text_field field, tally& t,
                           bool& token_spam) const noexcept {
  const std::uint32_t one = field == text_field::title ? 1u << 16 : 1u;
  for (std::uint32_t k = o.first; k < o.first + o.count; ++k) {
    const word& w = words_[k];
    if (w.tail_length != 0 && pos != std::string_view::npos &&
        !tail_may_follow(text, pos, tails_.data() + w.tail, w.tail_length))
      continue;
    token_spam |= w.spam;
    t.programme_term |= w.assistance;
    if ((w.pair_word && !t.pair_word) || (w.provinces & ~t.named) != 0) {
      t.pair_word |= w.pair_word;
      t.named |= w.provinces;
      t.pairable = t.pair_word || detail::names_official_pair(t.named, [&](std::uint32_t p) { return partners_[p]; });
    }
    if (w.term >= 0) {
      // Scored as the classifier scores it: the title is read first.
      auto& h = t.hits[static_cast<std::size_t>(w.term)];
      if (h == 0) t.seen.push_back(static_cast<std::uint32_t>(w.term));
      if ((h & 0xFFFFu) < 0xFFFFu && (h >> 16) < 0xFFFFu) h += one;
      t.score += terms_[static_cast<std::size_t>(w.term)] *
                 detail::hit_factor((h >> 16) + (h & 0xFFFFu), field, weights_);
    }
  }
  // The bound only grows as more is read: once it reaches the threshold the
  // item goes the full way.
  if (detail::best_final_score(t.score, t.programme_term, t.pairable, weights_) >= weights_.threshold)
    t.undecided = true;
}

bool relevance_gate::read(const normalizer& n, std::string_view text, text_field field, tally& t) const noexcept {
  if (!enabled_ || t.undecided) {
    t.undecided = true;
    return false;
  }
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  // Two characters are next to each other in the normalised text only if
  // they are here, once glosses are passed over, or if the line pass cuts
  // out the space-separated tokens between them (tokens holding a spam
  // phrase): `anchor` is the last character of the last token of the line
  // that stays for certain, `run` whether every token since may go.
  std::uint16_t prev = kOther;  // the class of the unit before, kOther after anything that separates
  std::uint16_t last = kOther;  // the last class of the current token
  std::uint16_t anchor = kOther;
  bool run = false, token_spam = false, token_start = true;
  bool after_non_ascii = false;  // the last unit read is not ASCII (for '?')
  // A unit of class id; the text after it starts at `next` (npos: unknown).
  auto unit = [&](std::uint16_t id, std::size_t next) {
    if (token_start) {
      token_start = false;
      if (run && anchor != kOther)
        if (const opening* o = find(anchor, id)) count(*o, text, next, field, t, token_spam);
    }
    if (const opening* o = find(prev, id)) count(*o, text, next, field, t, token_spam);
    prev = last = id;
  };
  auto token_end = [&] {
    if (token_start) return;
    if (token_spam) run = true;
    else {
      anchor = last;
      run = false;
    }
    token_spam = false;
    token_start = true;
    prev = last = kOther;
  };
  auto line_end = [&] {
    token_end();
    anchor = kOther;
    run = false;
  };
  auto give_up = [&] {
    t.undecided = true;
    return false;
  };
  // A gloss the script pass may drop, or keep (after other than an
  // ideograph): where kept, what it holds is read there, so a mojibake
  // opener or a combining mark in it is judged as anywhere else.
  auto gloss_plain = [&](std::size_t at, std::size_t length) {
    for (std::size_t k = at; k < at + length;) {
      std::uint32_t len = 1;
      if (base[k] >= 0x80) {
        const char32_t cp = detail::decode_valid_utf8(base + k, len);
        const std::uint16_t id = class_of(cp);
        if (id == kJudgeNot || (id == kMojibake && n.mojibake_opens_at(k))) return false;
      }
      k += len;
    }
    return true;
  };
  std::size_t i = 0;
  while (i < size) {
    if (t.undecided) return false;  // count() found the bound out of reach
    if ((base[i] & 0xF0) == 0xE0 && !(token_start && run)) {
      // The common case, a run of three-byte characters of plain classes:
      // each a table read and a filter test. Anything else goes below.
      // Locals: the compiler cannot keep members in registers across the
      // tally's writes.
      const std::uint16_t* const classes = bmp_.data();
      const std::uint64_t* const bits = pair_bits_.data();
      const std::uint16_t space = space_;
      std::uint16_t p = prev;
      const std::size_t from = i;
      while (i + 3 <= size && (base[i] & 0xF0) == 0xE0) {
        const char32_t cp = ((base[i] & 0x0Fu) << 12) | ((base[i + 1] & 0x3Fu) << 6) | (base[i + 2] & 0x3Fu);
        const std::uint16_t id = classes[cp];
        if (id >= kMojibake || id == space || cp == U'（') break;
        i += 3;
        const std::uint32_t pair = std::uint32_t{p} << 16 | id;
        p = id;
        if (!may_open_with(bits, pair)) continue;
        if (const opening* o = find(pair)) {
          count(*o, text, i, field, t, token_spam);
          if (t.undecided) return false;
        }
      }
      if (i != from) {  // read some: the token has begun
        prev = last = p;
        token_start = false;
        after_non_ascii = true;
      }
      if (i >= size || (base[i] & 0xF0) != 0xE0) continue;
    }
    const unsigned char c = base[i];
    if (c < 0x80) {
      // ASCII opens no watched word, but it ends tokens and lines, may open a
      // gloss the script pass drops, and '?' after other than ASCII may close
      // mojibake.
      if (c == '\n') {
        line_end();
      } else if (detail::is_line_space(c)) {
        token_end();
      } else if (c == '?' && after_non_ascii) {
        return give_up();
      } else if (const std::size_t g = c == '(' ? detail::pinyin_gloss_length(text.substr(i)) : 0) {
        if (!gloss_plain(i, g)) return give_up();
        i += g;
        continue;
      } else {
        unit(kOther, i + 1);
      }
      after_non_ascii = false;
      ++i;
#if defined(__SSE2__)
      // Runs of other ASCII characters: units that open nothing.
      if (!token_start) {
        while (i + 16 <= size) {
          const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
          const auto eq = [&](char b) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(b)); };
          const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_or_si128(eq('?'), eq('(')), _mm_or_si128(eq(' '), eq('\n'))),
                                            _mm_or_si128(_mm_or_si128(eq('\t'), eq('\f')), eq('\v')));
          const auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(v, stop)));
          if (mask != 0) {
            i += static_cast<unsigned>(__builtin_ctz(mask));
            break;
          }
          i += 16;
        }
      }
#endif
      continue;
    }
    std::uint32_t length;
    const char32_t cp = detail::decode_valid_utf8(base + i, length);  // the first pass left valid UTF-8
    if (const std::size_t g = cp == U'（' ? detail::pinyin_gloss_length(text.substr(i)) : 0) {
      if (!gloss_plain(i, g)) return give_up();
      i += g;
      continue;
    }
    std::uint16_t id = class_of(cp);
    if (id == kMojibake) {
      if (n.mojibake_opens_at(i)) return give_up();
      id = mojibake_class_.at(cp);
    }
    i += length;
    after_non_ascii = true;
    if (id == kJudgeNot) return give_up();
    if (id == space_) {
      token_end();
      continue;
    }
    if (id == kExpands) {
      for (const char32_t e : expansions_.at(cp)) {
        const std::uint16_t eid = class_of(e);
        if (eid == kJudgeNot || eid == kExpands || eid == kMojibake) return give_up();
        if (eid == space_) token_end();
        else unit(eid, std::string_view::npos);
      }
      continue;
    }
    unit(id, i);
  }
  line_end();
  return true;
}

bool relevance_gate::may_be_relevant(const tally& t) const noexcept {
  if (!enabled_ || t.undecided) return true;
  return detail::best_final_score(t.score, t.programme_term, t.pairable, weights_) >= weights_.threshold;
}

}  // namespace coopwatch::core
