#pragma once
// The classifier's geography: provinces with their east/central/west group,
// prefectures, counties and districts with their aliases (full name, short
// name, abbreviation compounds such as 援滇), the programme's official
// pairings (helping unit -> helped unit) and the abbreviated pair words
// (沪滇, 闽宁). Loaded once from classify/{provinces,gazetteer,pairings,
// pair_words}.tsv; immutable afterwards and shared by threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "coopwatch/core/resources.h"

namespace coopwatch::core::detail {

enum class region_group : std::uint8_t { east, central, west };
enum class unit_level : std::uint8_t { province = 0, prefecture = 1, county = 2 };

inline constexpr std::uint32_t no_unit = 0xffffffffu;

struct province_info {
  std::string name;  // canonical short name, e.g. "内蒙古"
  region_group group = region_group::east;
  std::string abbreviation;  // "蒙"
  bool helps = false;        // appears as the eastern side of an official pairing
  bool helped = false;       // appears as the western side
};

struct unit_info {
  std::string name;  // display name: "湘西州", "闵行", "上海"
  unit_level level = unit_level::province;
  std::uint32_t province = 0;           // index into provinces()
  std::uint32_t prefecture = no_unit;   // the unit's prefecture (or province for a municipality's district)
};

struct place_alias {
  std::string text;                   // matched literal
  std::vector<std::uint32_t> units;   // readings; more than one when the alias is ambiguous
};

struct pair_word {
  std::string text;  // "沪滇"
  std::uint32_t east = no_unit;
  std::uint32_t west = no_unit;
};

class gazetteer {
 public:
  // Throws std::runtime_error("classify/x.tsv:N: what") on bad data.
  [[nodiscard]] static gazetteer load(const data_files& files);

  [[nodiscard]] const std::vector<province_info>& provinces() const noexcept { return provinces_; }
  [[nodiscard]] const std::vector<unit_info>& units() const noexcept { return units_; }
  [[nodiscard]] const std::vector<place_alias>& aliases() const noexcept { return aliases_; }
  [[nodiscard]] const std::vector<pair_word>& pair_words() const noexcept { return pair_words_; }

  // The unit named `name` (display name, or an alias with a single reading);
  // the highest level wins (吉林 the province over 吉林 the city). no_unit if none.
  [[nodiscard]] std::uint32_t find(std::string_view name) const;
  // Province index of a canonical short name, or no_unit.
  [[nodiscard]] std::uint32_t find_province(std::string_view name) const;

  [[nodiscard]] const province_info& province_of(std::uint32_t unit) const {
    return provinces_[units_[unit].province];
  }
  // True when the programme pairs the two provinces (east helps west).
  [[nodiscard]] bool official_provinces(std::uint32_t east_province, std::uint32_t west_province) const;
  // The western provinces the programme pairs with `east_province`, one bit
  // per province index.
  [[nodiscard]] std::uint64_t official_partners(std::uint32_t east_province) const {
    return east_province < province_pairs_.size() ? province_pairs_[east_province] : 0;
  }
  // True when an official pairing names `east` or its prefecture and `west`
  // or its prefecture below province level (济南 -> 湘西州, 青岛 -> 陇南).
  [[nodiscard]] bool official_units(std::uint32_t east, std::uint32_t west) const;
  // True when `inner` is `outer` or lies inside it.
  [[nodiscard]] bool within(std::uint32_t inner, std::uint32_t outer) const;
  // Whether `west` may be the helped side of a pairing: any unit of a
  // western province, or a helped province named as such; outside the west
  // (河北, 吉林, 湖北, 湖南) the programme takes in only the units its
  // pairings name (承德, 延边州, 恩施州, 湘西州) and what lies within them, so
  // 天津 with 沧州 is 京津冀 cooperation, not the programme.
  [[nodiscard]] bool helped_in_programme(std::uint32_t west) const;

 private:
  std::vector<province_info> provinces_;
  std::vector<unit_info> units_;
  std::vector<place_alias> aliases_;
  std::vector<pair_word> pair_words_;
  std::unordered_map<std::string, std::uint32_t> by_name_;  // display name / unique alias -> unit
  std::vector<std::uint64_t> province_pairs_;               // bit matrix [east] -> bits of west
  std::vector<std::uint64_t> unit_pairs_;                   // sorted (east << 32 | west)
  std::vector<std::uint32_t> helped_units_;                 // sorted: units below province level named as helped
};

}  // namespace coopwatch::core::detail
