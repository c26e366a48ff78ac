#include "normalize_script.h"

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
    if (opt_.punctuation) {
      const int rank = punct_rank(cp);
      if (rank != 0 && last_rank_ != 0) {
        if (rank <= last_rank_) return;  // weaker (or same) mark right after a mark
        out_.truncate(last_pos_);
      }
      last_rank_ = rank;
    }
    last_pos_ = out_.size();
    last_cp_ = cp;
    out_.put(cp, org);
  }
  [[nodiscard]] char32_t last_cp() const noexcept { return last_cp_; }
  [[nodiscard]] std::size_t last_pos() const noexcept { return last_pos_; }
  void forget_last() { last_rank_ = 0; }

 private:
  const t2s_table& t2s_;
  script_options opt_;
  text_buffer& out_;
  normalize_stats& stats_;
  std::size_t last_pos_ = 0;
  char32_t last_cp_ = 0;
  int last_rank_ = 0;
};

}  // namespace

void convert_script(const text_buffer& in, const nfkc_table& nfkc, const t2s_table& t2s,
                    script_options opt, text_buffer& out, normalize_stats& stats) {
  out.clear();
  out.reserve_more(in.size() + 16);
  script_writer w(t2s, opt, out, stats);
  const std::string_view text = in.view();
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = base + text.size();
  std::size_t i = 0;
  while (i < text.size()) {
    const decoded_char d = decode_utf8(base + i, end);  // pass 1 left only valid UTF-8
    const char32_t cp = d.cp;
    const std::uint32_t org = in.origin(i);
    if ((cp == U'(' || cp == U'（') && opt.glosses && is_cjk_ideograph(w.last_cp())) {
      if (const std::size_t n = pinyin_gloss_length(text.substr(i))) {
        ++stats.pinyin_glosses;
        i += n;
        continue;
      }
    }
    if (cp < 0x80) {
      w.emit_raw(cp, org);
      i += 1;
      continue;
    }
    if (opt.t2s) {
      if (const t2s_table::phrase* p = t2s.match_phrase(cp, text.substr(i))) {
        // Output characters take the origins of the input characters at the same index.
        const auto* q = reinterpret_cast<const unsigned char*>(p->to.data());
        const auto* const qend = q + p->to.size();
        std::size_t src = i;
        const std::size_t src_end = i + p->from.size();
        while (q < qend) {
          const decoded_char o = decode_utf8(q, qend);
          w.emit_raw(o.cp, in.origin(src));
          q += o.length;
          if (src < src_end) {
            const std::size_t next = src + decode_utf8(base + src, end).length;
            if (next < src_end) src = next;
          }
        }
        stats.traditional_chars += 1;
        i = src_end;
        continue;
      }
    }
    if (opt.nfkc) {
      const nfkc_table::lookup m = nfkc.get(cp);
      if (m.combines_back && w.last_pos() < out.size()) {
        // Recompose the previous character with this one (and any marks that follow).
        char32_t seq[16];
        char32_t res[16];
        std::size_t n = 0;
        const auto* lp = reinterpret_cast<const unsigned char*>(out.data()) + w.last_pos();
        const std::uint32_t start_org = out.origin(w.last_pos());
        seq[n++] = decode_utf8(lp, reinterpret_cast<const unsigned char*>(out.data()) + out.size()).cp;
        std::size_t j = i;
        while (j < text.size() && n < 16) {
          const decoded_char e = decode_utf8(base + j, end);
          if (j != i && !nfkc.get(e.cp).combines_back) break;
          seq[n++] = e.cp;
          j += e.length;
        }
        const std::size_t k = nfkc.normalize_slow(seq, n, res, 16);
        out.truncate(w.last_pos());
        w.forget_last();
        for (std::size_t r = 0; r < k; ++r) w.emit(res[r], r == 0 ? start_org : org);
        i = j;
        continue;
      }
      if (m.begin != nullptr) {
        for (const char32_t* c = m.begin; c != m.end; ++c) w.emit(*c, org);
        i += d.length;
        continue;
      }
    }
    w.emit(cp, org);
    i += d.length;
  }
}

}  // namespace coopwatch::core::detail
