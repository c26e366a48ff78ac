#include "gazetteer.h"

#include <algorithm>
#include <map>

#include "tsv.h"

namespace coopwatch::core::detail {

namespace {

constexpr std::string_view kProvinces = "classify/provinces.tsv";
constexpr std::string_view kGazetteer = "classify/gazetteer.tsv";
constexpr std::string_view kPairings = "classify/pairings.tsv";
constexpr std::string_view kPairWords = "classify/pair_words.tsv";

unit_level parse_level(const tsv_row& row, std::string_view s) {
  if (s == "province") return unit_level::province;
  if (s == "prefecture") return unit_level::prefecture;
  if (s == "county") return unit_level::county;
  row.fail("unknown level \"" + std::string(s) + "\"");
}

}  // namespace

std::uint32_t gazetteer::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? no_unit : it->second;
}

std::uint32_t gazetteer::find_province(std::string_view name) const {
  for (std::uint32_t i = 0; i < provinces_.size(); ++i)
    if (provinces_[i].name == name) return i;
  return no_unit;
}

bool gazetteer::official_provinces(std::uint32_t east, std::uint32_t west) const {
  return east < province_pairs_.size() && west < 64 && ((province_pairs_[east] >> west) & 1u);
}

bool gazetteer::within(std::uint32_t inner, std::uint32_t outer) const {
  if (inner == outer || units_[inner].prefecture == outer) return true;
  return units_[outer].level == unit_level::province && units_[inner].province == units_[outer].province;
}

bool gazetteer::helped_in_programme(std::uint32_t west) const {
  const unit_info& u = units_[west];
  if (provinces_[u.province].group == region_group::west || u.level == unit_level::province) return true;
  auto named = [this](std::uint32_t unit) {
    return unit != no_unit && std::binary_search(helped_units_.begin(), helped_units_.end(), unit);
  };
  return named(west) || named(u.prefecture);
}

bool gazetteer::official_units(std::uint32_t east, std::uint32_t west) const {
  // Sub-province rows only: a unit and its prefecture, never the province.
  auto chain = [this](std::uint32_t u, std::uint32_t out[2]) {
    out[0] = out[1] = no_unit;
    if (units_[u].level == unit_level::province) return;
    out[0] = u;
    std::uint32_t p = units_[u].prefecture;
    if (p != no_unit && units_[p].level != unit_level::province) out[1] = p;
  };
  std::uint32_t e[2], w[2];
  chain(east, e);
  chain(west, w);
  for (auto a : e) {
    if (a == no_unit) continue;
    for (auto b : w) {
      if (b == no_unit) continue;
      if (std::binary_search(unit_pairs_.begin(), unit_pairs_.end(), (std::uint64_t{a} << 32) | b))
        return true;
    }
  }
  return false;
}

gazetteer gazetteer::load(const data_files& files) {
  gazetteer g;
  for_each_tsv_row(files, kProvinces, 3, [&](const tsv_row& row) {
    province_info p;
    p.name = row.cols[0];
    if (row.cols[1] == "east") p.group = region_group::east;
    else if (row.cols[1] == "central") p.group = region_group::central;
    else if (row.cols[1] == "west") p.group = region_group::west;
    else row.fail("group must be east, central or west");
    p.abbreviation = row.cols[2];
    if (g.find_province(p.name) != no_unit) row.fail("duplicate province \"" + p.name + "\"");
    if (g.provinces_.size() >= 64) row.fail("more than 64 provinces");
    g.provinces_.push_back(std::move(p));
  });

  // Units keyed by (display name, province, level); aliases collect readings.
  std::map<std::tuple<std::string, std::uint32_t, unit_level>, std::uint32_t> unit_ids;
  std::map<std::string, std::uint32_t, std::less<>> alias_ids;
  struct pending_pref {
    std::uint32_t unit;
    std::string prefecture;
  };
  std::vector<pending_pref> prefs;
  for (std::uint32_t p = 0; p < g.provinces_.size(); ++p) {
    unit_ids[{g.provinces_[p].name, p, unit_level::province}] = static_cast<std::uint32_t>(g.units_.size());
    g.units_.push_back({g.provinces_[p].name, unit_level::province, p, no_unit});
  }
  for_each_tsv_row(files, kGazetteer, 5, [&](const tsv_row& row) {
    std::uint32_t prov = g.find_province(row.cols[4]);
    if (prov == no_unit) row.fail("unknown province \"" + std::string(row.cols[4]) + "\"");
    unit_level level = parse_level(row, row.cols[2]);
    std::string name(row.cols[1]);
    auto key = std::make_tuple(name, prov, level);
    auto it = unit_ids.find(key);
    std::uint32_t id;
    if (it == unit_ids.end()) {
      id = static_cast<std::uint32_t>(g.units_.size());
      unit_ids.emplace(key, id);
      g.units_.push_back({name, level, prov, no_unit});
      if (level != unit_level::province) prefs.push_back({id, std::string(row.cols[3])});
    } else {
      id = it->second;
    }
    auto [ai, fresh] = alias_ids.try_emplace(std::string(row.cols[0]),
                                             static_cast<std::uint32_t>(g.aliases_.size()));
    if (fresh) g.aliases_.push_back({std::string(row.cols[0]), {}});
    auto& readings = g.aliases_[ai->second].units;
    if (std::find(readings.begin(), readings.end(), id) == readings.end()) readings.push_back(id);
  });
  // Every province answers to its short name even if the table omits it.
  for (std::uint32_t p = 0; p < g.provinces_.size(); ++p) {
    auto [ai, fresh] = alias_ids.try_emplace(g.provinces_[p].name, static_cast<std::uint32_t>(g.aliases_.size()));
    if (fresh) g.aliases_.push_back({g.provinces_[p].name, {p}});
  }
  // Name lookup: display names first (highest level wins), then unique aliases.
  for (std::uint32_t u = 0; u < g.units_.size(); ++u) {
    auto [it, fresh] = g.by_name_.try_emplace(g.units_[u].name, u);
    if (!fresh && g.units_[u].level < g.units_[it->second].level) it->second = u;
  }
  for (const auto& a : g.aliases_)
    if (a.units.size() == 1) g.by_name_.try_emplace(a.text, a.units[0]);
  for (const auto& [unit, pref] : prefs) {
    auto& u = g.units_[unit];
    if (pref == "-" || pref.empty()) {
      u.prefecture = u.province;  // province units are the first indices
      continue;
    }
    std::uint32_t best = no_unit;
    for (auto lvl : {unit_level::prefecture, unit_level::province}) {
      auto it = unit_ids.find({pref, u.province, lvl});
      if (it != unit_ids.end()) {
        best = it->second;
        break;
      }
    }
    u.prefecture = best == no_unit || best == unit ? u.province : best;
  }

  g.province_pairs_.assign(g.provinces_.size(), 0);
  for_each_tsv_row(files, kPairings, 2, [&](const tsv_row& row) {
    std::uint32_t e = g.find(row.cols[0]), w = g.find(row.cols[1]);
    if (e == no_unit) row.fail("unknown unit \"" + std::string(row.cols[0]) + "\"");
    if (w == no_unit) row.fail("unknown unit \"" + std::string(row.cols[1]) + "\"");
    std::uint32_t pe = g.units_[e].province, pw = g.units_[w].province;
    if (pe == pw) row.fail("a pairing within one province");
    g.province_pairs_[pe] |= std::uint64_t{1} << pw;
    g.provinces_[pe].helps = true;
    g.provinces_[pw].helped = true;
    g.unit_pairs_.push_back((std::uint64_t{e} << 32) | w);
    if (g.units_[w].level != unit_level::province) g.helped_units_.push_back(w);
  });
  std::sort(g.unit_pairs_.begin(), g.unit_pairs_.end());
  std::sort(g.helped_units_.begin(), g.helped_units_.end());
  for (const auto& p : g.provinces_)
    if (p.helps && p.helped) throw std::runtime_error(std::string(kPairings) + ": " + p.name + " both helps and is helped");

  for_each_tsv_row(files, kPairWords, 3, [&](const tsv_row& row) {
    pair_word w{std::string(row.cols[0]), g.find(row.cols[1]), g.find(row.cols[2])};
    if (w.east == no_unit) row.fail("unknown unit \"" + std::string(row.cols[1]) + "\"");
    if (w.west == no_unit) row.fail("unknown unit \"" + std::string(row.cols[2]) + "\"");
    if (!g.official_provinces(g.units_[w.east].province, g.units_[w.west].province))
      row.fail("pair word names no official pairing");
    g.pair_words_.push_back(std::move(w));
  });
  return g;
}

}  // namespace coopwatch::core::detail
