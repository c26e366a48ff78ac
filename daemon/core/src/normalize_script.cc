#include "normalize_script.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cstring>

#include "pinyin.h"

namespace coopwatch::core::detail {
namespace {

// Strength of a clause or sentence mark; doubled marks keep the stronger.
int punct_rank(char32_t c) {
  switch (c) {
    case U'、': return 1;
    case U',': return 2;
    case U':': return 3;
    case U';': return 4;
    case U'。': return 5;
    default: return 0;
  }
}

// ASCII bytes that are not always copied as they are.
constexpr bool ascii_attention(unsigned char c) {
  return c == '(' || c == ',' || c == ':' || c == ';' || c == '\t' || c == '?';
}

// The first character at or after byte i that needs attention (or the end).
// Most text needs none, so this is the pass's inner loop: ASCII stretches go
// 16 bytes at a time, other characters one lookup each.
// With stop_at_three_byte, it stops at the first three-byte character instead
// (the caller converts those runs itself). Passing over a phrase_only
// character reads the next one: `horizon` then moves past it.
std::size_t skip_plain(const unsigned char* base, std::size_t i, std::size_t size,
                       const script_tables& tables, bool stop_at_three_byte, std::size_t& horizon) noexcept {
  const cp_bitset& attention = tables.attention;
  while (i < size) {
    const unsigned char c = base[i];
    if (c < 0x80) {
      if (ascii_attention(c)) return i;
      ++i;
#if defined(__SSE2__)
      while (i + 16 <= size) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
        const auto eq = [&](char b) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(b)); };
        const __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(eq('('), eq(',')), _mm_or_si128(eq(':'), eq(';'))),
            _mm_or_si128(eq('\t'), eq('?')));
        // High bit: non-ASCII byte or an attention byte.
        const auto mask = unsigned(_mm_movemask_epi8(_mm_or_si128(v, hit)));
        if (mask != 0) {
          i += unsigned(__builtin_ctz(mask));
          break;
        }
        i += 16;
      }
#endif
      continue;
    }
    if ((c & 0xF0) == 0xE0) {
      if (stop_at_three_byte) return i;
      // Three-byte characters (all of CJK) in a row: the lead's low bits and
      // the first continuation pick the bitset word, the last byte the bit.
      // Pass 1 left only valid UTF-8, so both continuation bytes are there.
      const std::uint64_t* const words = attention.words();
      unsigned char l = c;
      const std::uint64_t* const phrase_only = tables.phrase_only.words();
      do {
        const unsigned w = ((l & 0x0Fu) << 6) | (base[i + 1] & 0x3Fu);
        if ((words[w] >> (base[i + 2] & 0x3F)) & 1) {
          const bool no_phrase = ((phrase_only[w] >> (base[i + 2] & 0x3F)) & 1) && i + 8 <= size &&
                                 !tables.t2s->may_open_phrase_wide(reinterpret_cast<const char*>(base + i));
          if (!no_phrase) return i;
          horizon = std::max(horizon, i + t2s_table::phrase_test_bytes);
        }
        i += 3;
      } while (i < size && ((l = base[i]) & 0xF0) == 0xE0);
      continue;
    }
    std::uint32_t len;
    const char32_t cp = decode_valid_utf8(base + i, len);
    if (attention.test(cp)) return i;
    i += len;
  }
  return size;
}

// Decodes the last character written to `out` (which is valid UTF-8).
char32_t last_char(const text_buffer& out, std::size_t& start) {
  std::size_t p = out.size();
  if (p == 0) {
    start = 0;
    return 0;
  }
  --p;
  while (p > 0 && (static_cast<unsigned char>(out.data()[p]) & 0xC0) == 0x80) --p;
  start = p;
  const auto* b = reinterpret_cast<const unsigned char*>(out.data());
  return decode_utf8(b + p, b + out.size()).cp;
}

class script_writer {
 public:
  script_writer(const t2s_table& t2s, script_options opt, text_buffer& out,
                normalize_stats& stats)
      : t2s_(t2s), opt_(opt), out_(out), stats_(stats) {}

  // Emits cp (already NFKC-mapped) converted to Simplified.
  void emit(char32_t cp, std::uint32_t org) {
    if (opt_.t2s) {
      const char32_t s = t2s_.map(cp);
      if (s != cp) {
        ++stats_.traditional_chars;
        cp = s;
      }
    }
    emit_raw(cp, org);
  }
  void emit_raw(char32_t cp, std::uint32_t org) {
    if (cp == '\t') cp = ' ';
    const int rank = opt_.punctuation ? punct_rank(cp) : 0;
    if (rank != 0 && last_rank_ != 0) {
      if (rank <= last_rank_) return;  // a weaker (or the same) mark right after a mark
      out_.truncate(last_pos_);
    }
    last_rank_ = rank;
    last_pos_ = out_.size();
    out_.put(cp, org);
  }
  // Emits a converted CJK character (three UTF-8 bytes, never a mark).
  void emit_cjk(char32_t cp, std::uint32_t org) {
    last_rank_ = 0;
    out_.put3(cp, org);
  }
  // Writes the run of three-byte characters at in[i..] each replaced by its
  // entry in `simple` (see script_tables::simple_three_byte), up to the first
  // that needs the general path or is not three bytes long; returns where it
  // stopped. Each output byte keeps the origin of the input byte it replaces.
  // A character that may open a phrase (simple entry 0, phrase_free entry
  // set) joins the run when the two-character test rules a phrase out; that
  // reads the next character, so `horizon` moves past it.
  std::size_t convert_simple_run(const text_buffer& in, std::size_t i, const script_tables& tables,
                                 std::size_t& horizon) {
    const char16_t* const simple = tables.simple_three_byte.data();
    const auto* const base = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t size = in.size();
    // One spare byte: each character is stored as a four-byte word.
    auto* const d = reinterpret_cast<unsigned char*>(out_.write_ptr(size - i + 1));
    std::size_t j = i;
    std::uint32_t changed = 0;
    // Pass 1 left valid UTF-8: a three-byte lead has both continuation bytes.
    while (j < size && (base[j] & 0xF0) == 0xE0) {
      const unsigned cp = ((base[j] & 0x0Fu) << 12) | ((base[j + 1] & 0x3Fu) << 6) | (base[j + 2] & 0x3Fu);
      unsigned s = simple[cp];
      if (s == 0) {
        s = tables.phrase_free[cp];
        if (s == 0 || j + 8 > size || tables.t2s->may_open_phrase_wide(reinterpret_cast<const char*>(base + j)))
          break;
        horizon = std::max(horizon, j + t2s_table::phrase_test_bytes);
      }
      changed += s != cp;
      // The three UTF-8 bytes in one little-endian store; its fourth byte is
      // overwritten by the next character or lies past the end.
      const unsigned b0 = 0xE0u | (s >> 12), b1 = 0x80u | ((s >> 6) & 0x3Fu), b2 = 0x80u | (s & 0x3Fu);
      if constexpr (std::endian::native == std::endian::little) {
        const std::uint32_t word = b0 | (b1 << 8) | (b2 << 16);
        std::memcpy(d + (j - i), &word, 4);
      } else {
        d[j - i] = static_cast<unsigned char>(b0);
        d[j - i + 1] = static_cast<unsigned char>(b1);
        d[j - i + 2] = static_cast<unsigned char>(b2);
      }
      j += 3;
    }
    std::memcpy(out_.origin_ptr(), in.origins() + i, (j - i) * sizeof(std::uint32_t));
    out_.commit(j - i);
    stats_.traditional_chars += changed;
    if (j != i) last_rank_ = 0;
    return j;
  }
  // Copies a run of characters that need nothing.
  void copy(const text_buffer& in, std::size_t b, std::size_t e) {
    if (b == e) return;
    out_.append_from(in, b, e);
    last_rank_ = 0;  // last_pos_ is read only after a mark, which sets it
  }
  void forget_last() { last_rank_ = 0; }
  void save(script_state& s) const {
    s.last_pos = last_pos_;
    s.last_rank = last_rank_;
  }
  void restore(const script_state& s) {
    last_pos_ = s.last_pos;
    last_rank_ = s.last_rank;
  }

 private:
  const t2s_table& t2s_;
  script_options opt_;
  text_buffer& out_;
  normalize_stats& stats_;
  std::size_t last_pos_ = 0;
  int last_rank_ = 0;
};

}  // namespace

void script_tables::build(const nfkc_table& n, const t2s_table& t, const mojibake_tables& mb) {
  nfkc = &n;
  t2s = &t;
  mojibake = &mb;
  uro_simplified.assign(uro_end - uro_begin, 0);
  simple_three_byte.assign(three_byte_end, 0);
  phrase_free.assign(three_byte_end, 0);
  single_three_byte.assign(three_byte_end, 0);
  for (char32_t cp = uro_begin; cp < uro_end; ++cp) {
    const char32_t s = t.map(cp);
    // The fast path writes three bytes and no punctuation state; any other
    // result takes the general path.
    const bool three_bytes = s >= 0x800 && s < 0x10000 && (s < 0xD800 || s > 0xDFFF) &&
                             punct_rank(s) == 0;
    if (s != cp && three_bytes) uro_simplified[cp - uro_begin] = char16_t(s);
    if (t.starts_phrase(cp) || (s != cp && !three_bytes)) phrase_starts.set(cp);  // slow path
  }
  cjk_stays_cjk = true;
  for (char32_t cp = 0x3400; cp < 0x40000; ++cp) {
    if (!is_cjk_ideograph(cp)) continue;
    const nfkc_table::lookup m = n.get(cp);
    const char32_t folded = m.begin != nullptr ? m.end[-1] : cp;
    if (!is_cjk_ideograph(folded) || !is_cjk_ideograph(t.map(cp)) ||
        !is_cjk_ideograph(t.map(folded)) || m.combines_back)
      cjk_stays_cjk = false;
  }
  // A character of three UTF-8 bytes, and one the converting loop may write
  // as it is: three bytes, no punctuation state, not an opening parenthesis.
  const auto three_byte = [](char32_t c) { return c >= 0x800 && c < three_byte_end && (c < 0xD800 || c > 0xDFFF); };
  const auto loop_output = [&](char32_t c) { return three_byte(c) && punct_rank(c) == 0 && c != U'（'; };
  for (char32_t cp = 0x80; cp < 0x30000; ++cp) {
    const nfkc_table::lookup m = n.get(cp);
    if (mb.may_start(cp)) mojibake_starts.set(cp);
    const bool not_phrase = m.begin || m.combines_back || punct_rank(cp) || cp == U'（' || mb.may_start(cp);
    const bool other_attention = not_phrase || t.starts_phrase(cp);
    if (other_attention || t.maps(cp)) attention.set(cp);
    const bool three_byte_cp = three_byte(cp);
    if (three_byte_cp && !other_attention && loop_output(t.map(cp))) simple_three_byte[cp] = char16_t(t.map(cp));
    if (t.starts_phrase(cp) && !not_phrase) {
      if (!t.maps(cp)) phrase_only.set(cp);
      if (three_byte_cp && loop_output(t.map(cp))) phrase_free[cp] = char16_t(t.map(cp));
    }
    if (three_byte_cp && simple_three_byte[cp] == 0 && !m.combines_back && !t.starts_phrase(cp) &&
        !mb.may_start(cp) && cp != U'（' && (m.begin == nullptr || m.end - m.begin == 1)) {
      const char32_t folded = m.begin != nullptr ? *m.begin : cp;
      const char32_t s = t.map(folded);
      // '(' may open a pinyin gloss and '?' may follow mojibake: general path.
      if (folded != U'(' && folded != U'?' && folded != U'\t' && s != U'(' && s != U'?')
        single_three_byte[cp] = std::uint32_t(s) | (s != folded ? single_changes_script : 0);
    }
  }
}

bool convert_script(const text_buffer& in, const script_tables& tables, script_options opt,
                    bool stop_at_mojibake, text_buffer& out, normalize_stats& stats,
                    script_state& state, bool resume) {
  const nfkc_table& nfkc = *tables.nfkc;
  const t2s_table& t2s = *tables.t2s;
  if (!resume) {
    out.clear();
    state = {};
  }
  out.reserve_more(in.size() + 16);
  script_writer w(t2s, opt, out, stats);
  if (resume) w.restore(state);
  // Lookahead past the character being converted (phrases, glosses, combining
  // marks) moves the horizon: the output depends on the bytes read.
  std::size_t horizon = state.horizon;
  constexpr std::size_t gloss_reach = 48;  // "（" + 8 letters + "）", 4 bytes each at most
  const std::string_view text = in.view();
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = base + text.size();
  std::size_t run = state.pos;  // start of the pending run of plain characters
  std::size_t i = state.pos;
  // Where the pass first read past the character in hand (phrase, gloss,
  // combining marks): characters it skipped there were not checked for mojibake.
  std::size_t checked_until = std::size_t(-1);
  // Simplified text is copied in bulk between the characters that need
  // work. From the first one-to-one Traditional character on, the text is
  // taken to be Traditional: runs of three-byte characters then go through
  // the converting loop, which handles plain and one-to-one characters alike
  // (they alternate at random there) and stops only where the general path
  // below is needed.
  const char16_t* const simple = opt.t2s ? tables.simple_three_byte.data() : nullptr;
  bool traditional = false;
  while (i < text.size()) {
    if (traditional && (base[i] & 0xF0) == 0xE0) {
      w.copy(in, run, i);
      i = run = w.convert_simple_run(in, i, tables, horizon);
      if (i == text.size()) break;
      if ((base[i] & 0xF0) != 0xE0) continue;
    } else {
      i = skip_plain(base, i, text.size(), tables, traditional, horizon);
      if (i == text.size()) break;
      if (simple != nullptr && (base[i] & 0xF0) == 0xE0) {
        if (traditional) continue;
        const unsigned cp = ((base[i] & 0x0Fu) << 12) | ((base[i + 1] & 0x3Fu) << 6) | (base[i + 2] & 0x3Fu);
        if (simple[cp] != 0) {
          traditional = true;
          continue;
        }
      }
    }
    w.copy(in, run, i);
    std::uint32_t length;
    const char32_t cp = decode_valid_utf8(base + i, length);  // pass 1 left valid UTF-8
    const std::uint32_t org = in.origin(i);
    run = i + length;
    if (stop_at_mojibake) {
      std::size_t prev_pos;
      if ((tables.mojibake_starts.test(cp) && mojibake_run_at(in, i, *tables.mojibake)) ||
          (cp == '?' && is_cjk_ideograph(last_char(out, prev_pos)))) {
        state.pos = i;
        state.horizon = horizon;
        state.clean = tables.cjk_stays_cjk && !resume ? std::min(i, checked_until) : 0;
        w.save(state);
        return false;
      }
    }
    if (opt.t2s && opt.nfkc && cp >= 0x800 && cp < script_tables::three_byte_end) {
      if (const std::uint32_t v = tables.single_three_byte[cp]) {
        if (v & script_tables::single_changes_script) ++stats.traditional_chars;
        w.emit_raw(v & ~script_tables::single_changes_script, org);
        i = run;
        continue;
      }
    }
    if (cp - script_tables::uro_begin < script_tables::uro_end - script_tables::uro_begin &&
        opt.t2s && !tables.phrase_starts.test(cp)) {
      const char16_t s = tables.uro_simplified[cp - script_tables::uro_begin];
      if (s == 0) {
        // Unchanged (it was looked at as a possible mojibake opener): it joins
        // the pending run of plain characters.
        run = i;
        i += 3;
        continue;
      }
      ++stats.traditional_chars;
      w.emit_cjk(s, org);
      i = run;
      continue;
    }
    if ((cp == U'(' || cp == U'（') && opt.glosses) {
      std::size_t prev_pos;
      if (is_cjk_ideograph(last_char(out, prev_pos))) {
        horizon = std::max(horizon, i + gloss_reach);
        if (const std::size_t n = pinyin_gloss_length(text.substr(i))) {
          checked_until = std::min(checked_until, i);
          ++stats.pinyin_glosses;
          i += n;
          run = i;
          continue;
        }
      }
    }
    if (cp < 0x80) {
      w.emit_raw(cp, org);
      i = run;
      continue;
    }
    if (opt.t2s) {
      horizon = std::max(horizon, i + t2s.phrase_reach(cp));
      if (const t2s_table::phrase* p = t2s.match_phrase(cp, text.substr(i))) {
        checked_until = std::min(checked_until, i);
        // Output characters take the origins of the input characters at the same index.
        const auto* q = reinterpret_cast<const unsigned char*>(p->to.data());
        const auto* const qend = q + p->to.size();
        std::size_t src = i;
        const std::size_t src_end = i + p->from.size();
        while (q < qend) {
          const decoded_char o = decode_utf8(q, qend);
          w.emit_raw(o.cp, in.origin(src));
          q += o.length;
          const std::size_t next = src + decode_utf8(base + src, end).length;
          if (next < src_end) src = next;
        }
        ++stats.traditional_chars;
        i = run = src_end;
        continue;
      }
    }
    if (opt.nfkc) {
      const nfkc_table::lookup m = nfkc.get(cp);
      if (m.combines_back && out.size() > 0) {
        // Recompose the previous character with this one and any marks that follow.
        checked_until = std::min(checked_until, i);
        char32_t seq[16];
        char32_t res[16];
        std::size_t n = 0;
        std::size_t start = 0;
        seq[n++] = last_char(out, start);
        const std::uint32_t start_org = out.origin(start);
        std::size_t j = i;
        while (j < text.size() && n < 16) {
          const decoded_char e = decode_utf8(base + j, end);
          if (j != i && !nfkc.get(e.cp).combines_back) break;
          seq[n++] = e.cp;
          j += e.length;
        }
        horizon = std::max(horizon, j + 4);
        const std::size_t k = nfkc.normalize_slow(seq, n, res, 16);
        out.truncate(start);
        w.forget_last();
        for (std::size_t r = 0; r < k; ++r) w.emit(res[r], r == 0 ? start_org : org);
        i = run = j;
        continue;
      }
      if (m.begin != nullptr) {
        for (const char32_t* c = m.begin; c != m.end; ++c) w.emit(*c, org);
        i = run;
        continue;
      }
    }
    w.emit(cp, org);
    i = run;
  }
  w.copy(in, run, text.size());
  return true;
}

}  // namespace coopwatch::core::detail
