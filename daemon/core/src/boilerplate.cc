#include "boilerplate.h"

#include <algorithm>

#include "normalize_lines.h"
#include "utf8.h"

namespace coopwatch::core::detail {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

struct line_features {
  std::size_t chars = 0;       // code points
  std::size_t cjk = 0;
  std::size_t separators = 0;  // | > / › » _
  std::size_t underscores = 0;
  std::size_t longest_segment = 0;  // longest run between separators, in chars
  bool full_stop = false;      // has 。
  bool timestamp = false;      // YYYY-MM-DD HH:MM or YYYY-M-D
  bool comment_count = false;  // "评论 123"
};

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

line_features features(std::string_view s) {
  line_features f;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  std::size_t segment = 0;
  while (p < end) {
    const decoded_char d = decode_utf8(p, end);
    ++f.chars;
    if (is_cjk_ideograph(d.cp)) ++f.cjk;
    const bool sep = d.cp == '|' || d.cp == '>' || d.cp == '/' || d.cp == U'›' || d.cp == U'»' ||
                     d.cp == '_';
    if (sep) {
      ++f.separators;
      if (d.cp == '_') ++f.underscores;
      f.longest_segment = std::max(f.longest_segment, segment);
      segment = 0;
    } else if (d.cp != ' ') {
      ++segment;
    }
    if (d.cp == U'。') f.full_stop = true;
    p += d.length;
  }
  f.longest_segment = std::max(f.longest_segment, segment);
  f.timestamp = has_date(s);
  const std::size_t c = s.find("评论 ");
  f.comment_count = c != std::string_view::npos && c + 7 < s.size() && is_digit(s[c + 7]);
  return f;
}

bool contains_any(std::string_view s, const std::vector<std::string>& words) {
  for (const auto& w : words)
    if (s.find(w) != std::string_view::npos) return true;
  return false;
}

// Byte offset of the first phrase found, or npos.
std::size_t find_any(std::string_view s, const std::vector<std::string>& words) {
  std::size_t best = std::string_view::npos;
  for (const auto& w : words) best = std::min(best, s.find(w));
  return best;
}

bool starts_with_any(std::string_view s, const std::vector<std::string>& words) {
  for (const auto& w : words)
    if (s.substr(0, w.size()) == w) return true;
  return false;
}

// Every space-separated token is one of `words`.
bool only_words(std::string_view s, const std::vector<std::string>& words) {
  bool any = false;
  while (!s.empty()) {
    const std::size_t sp = s.find(' ');
    const std::string_view tok = s.substr(0, sp);
    if (!tok.empty()) {
      if (std::find(words.begin(), words.end(), tok) == words.end()) return false;
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

}  // namespace

void boilerplate_lexicon::load(std::string_view boilerplate_txt, std::string_view spam_txt) {
  std::vector<std::string>* section = nullptr;
  for_each_data_line(boilerplate_txt, "normalize/boilerplate.txt",
                     [&](std::string_view line, const data_error& fail) {
                       if (line == "[line]") section = &line_words;
                       else if (line == "[chrome]") section = &chrome;
                       else if (line == "[related]") section = &related;
                       else if (line.front() == '[') fail("unknown section");
                       else if (!section) fail("entry before the first [section]");
                       else section->emplace_back(line);
                     });
  for_each_data_line(spam_txt, "normalize/spam.txt",
                     [&](std::string_view line, const data_error&) { spam.emplace_back(line); });
}

void filter_lines(const text_buffer& in, const boilerplate_lexicon& lex, bool is_title,
                  bool remove_chrome, std::vector<line_info>& lines, text_buffer& out,
                  normalize_stats& stats) {
  out.clear();
  out.reserve_more(in.size() + 1);
  lines.clear();
  const std::string_view text = in.view();
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  // Split into trimmed lines.
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::size_t b = pos, e = nl;
    while (b < e && is_space(base[b])) ++b;
    while (e > b && is_space(base[e - 1])) --e;
    if (b < e) lines.push_back({b, e, true});
    pos = nl + 1;
  }
  if (remove_chrome && !is_title) {
    bool in_list = false;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      line_info& l = lines[k];
      const std::string_view s = text.substr(l.begin, l.end - l.begin);
      const line_features f = features(s);
      bool drop = false, spam = false;
      if (only_punct(s) || is_image_name(s) || only_words(s, lex.line_words)) {
        drop = true;
      } else if (starts_with_any(s, lex.related) && f.chars <= 30) {
        drop = true;
        in_list = true;
      } else if (in_list && (headline_like(f) || f.comment_count || f.timestamp)) {
        drop = true;
      } else if (f.separators >= 3 && f.longest_segment <= 12 && !f.full_stop) {
        // Navigation ("首页 | 时政 | 财经") or keyword stuffing ("a_b_c").
        drop = true;
        spam = f.underscores >= 2;
      } else if (f.underscores >= 2 && !f.full_stop && f.chars <= 80) {
        drop = spam = true;
      } else if (f.chars <= 40 && contains_any(s, lex.spam)) {
        drop = spam = true;
      } else if (const std::size_t at = find_any(s, lex.chrome);
                 at != std::string_view::npos && (f.chars <= 100 || at <= 36)) {
        drop = true;
      } else if ((f.timestamp || f.comment_count) && f.chars <= 60) {
        // A headline list item with its time stamp; its headline may be the line before.
        drop = true;
        if (k > 0 && lines[k - 1].keep) {
          const line_info& p = lines[k - 1];
          const line_features pf = features(text.substr(p.begin, p.end - p.begin));
          if (headline_like(pf) && k > 1) {
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
      if (!is_space(base[i])) {
        // One token: up to the next space.
        std::size_t j = i;
        while (j < l.end && !is_space(base[j])) ++j;
        const std::string_view tok = text.substr(i, j - i);
        const bool own_token = i > l.begin || j < l.end;  // not the whole line
        if (own_token && !lex.spam.empty() && tok.size() <= 48 && contains_any(tok, lex.spam)) {
          ++stats.spam_removed;
          // Drop the space before it, if any was written.
          if (out.size() > line_start && out.back() == ' ') out.truncate(out.size() - 1);
          i = j;
          while (i < l.end && is_space(base[i])) ++i;
          // Keep one space only if both neighbours are not CJK (e.g. Latin words).
          continue;
        }
        out.append_from(in, i, j);
        i = j;
      } else {
        std::size_t j = i;
        while (j < l.end && is_space(base[j])) ++j;
        out.put_byte(' ', in.origin(i));
        i = j;
      }
    }
  }
}

}  // namespace coopwatch::core::detail
