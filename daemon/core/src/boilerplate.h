#pragma once
// Pass 4 of the normaliser: lines. Trims and collapses spaces, drops empty
// lines, and for bodies drops page chrome and spam with general signals:
// navigation lines (many separators, short segments), keyword-stuffed SEO
// lines, known chrome and footer phrases in short lines, lists of headlines
// (after a "related news" header, or headlines with timestamps), image file
// names and forum controls. Spam words injected into sentences as their own
// space-delimited token are cut out of both titles and bodies.

#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/normalize.h"
#include "normalize_buffer.h"

namespace coopwatch::core::detail {

struct boilerplate_lexicon {
  std::vector<std::string> line_words;  // [line]
  std::vector<std::string> chrome;      // [chrome]
  std::vector<std::string> related;     // [related]
  std::vector<std::string> spam;        // spam.txt

  // Parses "normalize/boilerplate.txt" and "normalize/spam.txt".
  void load(std::string_view boilerplate_txt, std::string_view spam_txt);
};

// Scratch state reused across records.
struct line_info {
  std::size_t begin;  // trimmed, byte offsets into the input buffer
  std::size_t end;
  bool keep;
};

void filter_lines(const text_buffer& in, const boilerplate_lexicon& lex, bool is_title,
                  bool remove_chrome, std::vector<line_info>& lines, text_buffer& out,
                  normalize_stats& stats);

}  // namespace coopwatch::core::detail
