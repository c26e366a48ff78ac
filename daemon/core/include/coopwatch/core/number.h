#pragma once
// Number parsing for Chinese news text: Arabic numerals (ASCII or full-width
// digits, thousands separators ',' and '，', decimals), Chinese numerals
// (十二, 两万, 三千八百四十九万, 一百零五, 〇/零, financial 壹贰叁, 十几/几十),
// mixed forms (3.2万, 1.2万亿, 12万) and 百分之… percentages.
//
// parse_number() reads only the number itself: qualifiers (约, 余, 多 …),
// units (元, 人 …) and ranges are the extractor's business. Pure functions,
// no allocation, thread-safe; never reads outside `text`.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace coopwatch::core {

struct parsed_number {
  double value = 0;              // lower bound when approximate (十几 -> 10)
  std::uint32_t length = 0;      // bytes consumed from the start position
  bool approximate = false;      // 几 was part of the number (十几, 几十, 几百)
  bool has_arabic = false;       // at least one Arabic digit
  bool has_chinese_digit = false;  // a Chinese digit (一 … 九, 两, 零, 壹 …), not only 十百千万亿
  bool has_multiplier = false;   // ended in or contained 万/亿 (or 千/百 after an Arabic part)
  bool percent = false;          // written as 百分之…
  bool grouped = false;          // used thousands separators
  bool digit_string = false;     // Chinese digits read one by one (二〇二〇): years, not amounts
};

// Parses the number that starts exactly at byte `pos` of `text`. Returns
// nullopt when no number starts there. Accepts any bytes (invalid UTF-8 just
// ends the number).
[[nodiscard]] std::optional<parsed_number> parse_number(std::string_view text,
                                                        std::size_t pos) noexcept;

// True when the thousands separator at byte `pos` (',', '，', a space …) is
// followed by exactly three Arabic digits: the parser then reads across it
// (12,800 and 3 600 are one number each), and a comma there ends no clause.
[[nodiscard]] bool groups_digits_at(std::string_view text, std::size_t pos) noexcept;

// True when the code point at `pos` can start a number (a digit, a Chinese
// numeral or 百分之). Cheap pre-filter for scanners.
[[nodiscard]] bool starts_number(std::string_view text, std::size_t pos) noexcept;

}  // namespace coopwatch::core
