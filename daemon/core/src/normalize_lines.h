#pragma once
// Helpers for parsing the normaliser's data files: UTF-8 text, one entry a
// line, '#' starts a comment line, blank lines ignored. Errors name the file
// and line, as load_resources() promises.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "utf8.h"

namespace coopwatch::core::detail {

class data_error {
 public:
  data_error(std::string_view file, std::size_t line) : file_(file), line_(line) {}
  [[noreturn]] void operator()(std::string_view what) const {
    throw std::runtime_error(std::string(file_) + ":" + std::to_string(line_) + ": " +
                             std::string(what));
  }

 private:
  std::string_view file_;
  std::size_t line_;
};

template <class F>
void for_each_data_line(std::string_view contents, std::string_view file, F&& f) {
  std::size_t line_no = 0;
  while (!contents.empty()) {
    ++line_no;
    const std::size_t nl = contents.find('\n');
    std::string_view line = contents.substr(0, nl);
    contents = nl == std::string_view::npos ? std::string_view{} : contents.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    f(line, data_error(file, line_no));
  }
}

inline std::pair<std::string_view, std::string_view> split_tab(std::string_view line,
                                                               const data_error& fail) {
  const std::size_t tab = line.find('\t');
  if (tab == std::string_view::npos) fail("expected two tab-separated fields");
  return {line.substr(0, tab), line.substr(tab + 1)};
}

inline char32_t single_code_point(std::string_view s, const data_error& fail) {
  if (s.empty()) fail("empty field");
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const decoded_char d = decode_utf8(p, p + s.size());
  if (!d.valid || d.length != s.size()) fail("expected exactly one character");
  return d.cp;
}

// Calls f(cp) for every code point of valid UTF-8 text s.
template <class F>
void for_each_code_point(std::string_view s, const data_error& fail, F&& f) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const decoded_char d = decode_utf8(p, end);
    if (!d.valid) fail("invalid UTF-8");
    f(d.cp);
    p += d.length;
  }
}

}  // namespace coopwatch::core::detail
