#include "pairs.h"

#include <algorithm>

#include "call_stamp.h"

namespace coopwatch::core::detail {

const char* pair_evidence_name(pair_evidence e) noexcept {
  switch (e) {
    case pair_evidence::word: return "pair_word";
    case pair_evidence::official_units: return "pair_official_units";
    case pair_evidence::sentence_context: return "pair_sentence_context";
    case pair_evidence::sentence: return "pair_sentence";
    case pair_evidence::document: return "pair_document";
    case pair_evidence::none: break;
  }
  return "none";
}

namespace {

constexpr std::uint8_t kHelps = 1, kHelped = 2;  // pair_scratch::side bits

// Eastern mentions closer than this (bytes between them) form one enumeration group.
constexpr std::uint32_t kGroupGap = 15;

// Two places side by side in a list (广东、浙江、四川等地) are coordinate, not a pairing.
bool coordinate(std::string_view text, const place_mention& a, const place_mention& b) {
  const auto& first = a.begin < b.begin ? a : b;
  const auto& second = a.begin < b.begin ? b : a;
  if (second.begin < first.end || second.begin - first.end > 6) return false;
  auto gap = text.substr(first.end, second.begin - first.end);
  return gap == "、" || gap == "," || gap == "，" || gap == "和" || gap == "及" || gap == "以及" || gap == "或";
}

// A roll of the programme's members (北京、天津、上海…8个东部省市和内蒙古、
// 广西、重庆…10个西部省区市) pairs none of them: an eastern group of at
// least this many places, and a western place listed with at least this
// many in all.
constexpr int kRollSize = 3;

bool finer(const gazetteer& gaz, std::uint32_t a, std::uint32_t b) {
  return b == no_unit || gaz.units()[a].level > gaz.units()[b].level;
}

void add_evidence(const gazetteer& gaz, std::uint32_t east, std::uint32_t west, pair_evidence ev,
                  text_field field, std::uint32_t begin, std::uint32_t end,
                  std::vector<pair_candidate>& out) {
  std::uint32_t pe = gaz.units()[east].province, pw = gaz.units()[west].province;
  auto it = std::find_if(out.begin(), out.end(), [&](const pair_candidate& c) {
    return c.east_province == pe && c.west_province == pw;
  });
  if (it == out.end()) {
    pair_candidate c;
    c.east_province = pe;
    c.west_province = pw;
    c.pair.east = gaz.provinces()[pe].name;
    c.pair.west = gaz.provinces()[pw].name;
    c.pair.field = field;
    c.pair.begin = begin;
    c.pair.end = end;
    out.push_back(std::move(c));
    it = out.end() - 1;
  }
  auto& c = *it;
  if (ev != pair_evidence::document) {
    ++c.pair.mentions;
    if (field == text_field::title) c.in_title = true;
  }
  if (ev > c.evidence) c.evidence = ev;
  // Earliest mention: title before body, then by offset.
  if (std::make_pair(field, begin) < std::make_pair(c.pair.field, c.pair.begin)) {
    c.pair.field = field;
    c.pair.begin = begin;
    c.pair.end = end;
  }
  if (finer(gaz, east, c.east_unit)) c.east_unit = east;
  if (finer(gaz, west, c.west_unit)) c.west_unit = west;
}

// The prefecture a unit lies in, or the unit itself at prefecture level (a
// prefecture's own `prefecture` is its province: 广州 and 清远 both say 广东).
std::uint32_t prefecture_of(const gazetteer& gaz, std::uint32_t unit) {
  const auto& u = gaz.units()[unit];
  return u.level == unit_level::prefecture ? unit : u.prefecture;
}

}  // namespace

void find_pairs(const gazetteer& gaz, std::string_view title, std::string_view body,
                const std::vector<place_mention>& places,
                const std::vector<pair_word_mention>& words,
                const std::vector<std::uint32_t>& context_sentences, std::vector<pair_candidate>& out,
                pair_flags& flags, pair_scratch& scratch) {
  out.clear();
  flags = {};
  auto text_of = [&](text_field f) { return f == text_field::title ? title : body; };
  const auto& units = gaz.units();
  // Each place's side, looked up once (the loops below ask several times).
  auto& side = scratch.side;
  side.resize(places.size());
  for (std::size_t i = 0; i < places.size(); ++i) {
    const auto& pr = gaz.province_of(places[i].unit);
    side[i] = static_cast<std::uint8_t>((pr.helps ? kHelps : 0) | (pr.helped ? kHelped : 0));
  }
  auto helps = [&](std::size_t i) { return (side[i] & kHelps) != 0; };
  auto helped = [&](std::size_t i) { return (side[i] & kHelped) != 0; };
  // Two units may form a pair: their provinces are paired, and the helped
  // unit is one the programme takes in.
  auto may_pair = [&](std::uint32_t east, std::uint32_t west) {
    return gaz.official_provinces(units[east].province, units[west].province) && gaz.helped_in_programme(west);
  };

  for (const auto& w : words) {
    const auto& pw = gaz.pair_words()[w.word];
    add_evidence(gaz, pw.east, pw.west, pair_evidence::word, w.field, w.begin, w.end, out);
  }

  // The largest eastern enumeration group and western list of any sentence:
  // both long, the item holds a roll of members even across sentences (东部
  // 8省中北京、上海、江苏…；西部10省中内蒙古、四川、云南…).
  int largest_east_group = 0, largest_west_list = 0;
  // Sentence by sentence.
  for (std::size_t s = 0; s < places.size();) {
    std::size_t e = s;
    while (e < places.size() && places[e].sentence == places[s].sentence) ++e;
    const bool context = std::binary_search(context_sentences.begin(), context_sentences.end(),
                                            places[s].sentence);
    // Enumeration groups of eastern mentions: group[i] for each place.
    auto& group = scratch.group;
    group.assign(e - s, -1);
    int g = -1;
    const place_mention* last_east = nullptr;
    for (std::size_t i = s; i < e; ++i) {
      if (!helps(i)) {
        if (helped(i)) last_east = nullptr;  // a western unit closes the group
        continue;
      }
      if (!last_east || places[i].begin > last_east->end + kGroupGap) ++g;
      group[i - s] = g;
      last_east = &places[i];
    }
    bool cross = false;
    // The number of places in each group, and how many western places the
    // enumeration around place i holds.
    auto group_size = [&](int target) {
      return static_cast<int>(std::count(group.begin(), group.end(), target));
    };
    auto western_list = [&](std::size_t i) {
      int n = 1;
      for (std::size_t j = i; j > s && helped(j - 1) && coordinate(text_of(places[j].field), places[j - 1], places[j]); --j) ++n;
      for (std::size_t j = i; j + 1 < e && helped(j + 1) && coordinate(text_of(places[j].field), places[j], places[j + 1]); ++j) ++n;
      return n;
    };
    for (int k = 0; k <= g; ++k) largest_east_group = std::max(largest_east_group, group_size(k));
    for (std::size_t i = s; i < e; ++i)
      if (helped(i)) largest_west_list = std::max(largest_west_list, western_list(i));
    for (std::size_t i = s; i < e; ++i) {
      if (!helped(i)) continue;
      // Nearest group before, else the first group after.
      int target = -1;
      for (std::size_t j = i; j-- > s;)
        if (group[j - s] >= 0) {
          target = group[j - s];
          break;
        }
      if (target < 0)
        for (std::size_t j = i + 1; j < e; ++j)
          if (group[j - s] >= 0) {
            target = group[j - s];
            break;
          }
      if (target < 0) continue;
      // A roll of members (counted below for the whole item) pairs nothing.
      if (group_size(target) >= kRollSize && western_list(i) >= kRollSize) continue;
      for (std::size_t j = s; j < e; ++j) {
        if (group[j - s] != target) continue;
        const auto& east = places[j];
        const auto& west = places[i];
        if (coordinate(text_of(east.field), east, west)) continue;
        if (!may_pair(east.unit, west.unit)) continue;
        pair_evidence ev = gaz.official_units(east.unit, west.unit) ? pair_evidence::official_units
                           : context ? pair_evidence::sentence_context
                                     : pair_evidence::sentence;
        const auto& first = east.begin < west.begin ? east : west;
        const auto& last = east.begin < west.begin ? west : east;
        add_evidence(gaz, east.unit, west.unit, ev, east.field, first.begin, last.end, out);
        cross = true;
      }
    }
    // Look-alike pairings, only where the programme pairs nothing.
    // A province's help to its own areas is one in the west too (成都 for
    // 甘孜 in 四川's 省内对口帮扶).
    if (context && !cross) {
      for (std::size_t i = s; i < e; ++i) {
        if (!helps(i) && !helped(i)) continue;
        for (std::size_t j = s; j < e; ++j) {
          if (i == j) continue;
          const auto& a = places[i];
          const auto& b = places[j];
          const auto& ub = units[b.unit];
          if (ub.province == units[a.unit].province) {
            // Two districts of a municipality (重庆's 江北 for 城口) are two
            // areas, as two prefectures of a province are.
            auto one_area = [&] {
              const std::uint32_t pa = prefecture_of(gaz, a.unit);
              return pa == prefecture_of(gaz, b.unit) && units[pa].level != unit_level::province;
            };
            if (units[a.unit].level != unit_level::province && ub.level != unit_level::province && !gaz.within(a.unit, b.unit) &&
                !gaz.within(b.unit, a.unit) && !one_area()) {
              flags.intra_province = true;
              if (!flags.intra_at) flags.intra_at = &a;
            }
          } else if (helps(i) && !helps(j) &&
                     !gaz.official_provinces(units[a.unit].province, ub.province)) {
            flags.non_programme = true;
            if (!flags.non_programme_at) flags.non_programme_at = &a;
          }
        }
      }
    }
    s = e;
  }

  if (largest_east_group >= kRollSize && largest_west_list >= kRollSize) flags.roll = true;

  // Whole item: both sides named anywhere (each distinct unit once, at its first mention).
  auto& ef = scratch.east_first;
  auto& wf = scratch.west_first;
  ef.clear();
  wf.clear();
  auto& mark = scratch.unit_mark;
  if (mark.size() < units.size()) mark.resize(units.size(), 0);
  next_call_stamp(scratch.mark, mark);
  for (std::uint32_t i = 0; i < places.size(); ++i) {
    if (!helps(i) && !helped(i)) continue;
    auto& m = mark[places[i].unit];
    if (m == scratch.mark) continue;  // a unit is on one side only
    m = scratch.mark;
    (helps(i) ? ef : wf).push_back(i);
  }
  for (auto i : ef) {
    const auto& a = places[i];
    for (auto j : wf) {
      const auto& b = places[j];
      if (!may_pair(a.unit, b.unit)) continue;
      const auto& first = std::make_pair(a.field, a.begin) < std::make_pair(b.field, b.begin) ? a : b;
      add_evidence(gaz, a.unit, b.unit, pair_evidence::document, first.field, first.begin, first.end, out);
    }
  }

  // A county's prefecture (花垣 → 湘西州), for the extractor; none for a
  // prefecture itself or a municipality's district.
  auto prefecture_name = [&](std::uint32_t unit) -> std::string_view {
    if (unit == no_unit || units[unit].level != unit_level::county) return {};
    const std::uint32_t p = prefecture_of(gaz, unit);
    return units[p].level == unit_level::prefecture ? std::string_view(units[p].name) : std::string_view();
  };
  for (auto& c : out) {
    if (c.east_unit != no_unit) c.pair.east_unit = units[c.east_unit].name;
    if (c.west_unit != no_unit) c.pair.west_unit = units[c.west_unit].name;
    c.pair.east_prefecture = prefecture_name(c.east_unit);
    c.pair.west_prefecture = prefecture_name(c.west_unit);
  }
  // Stable insertion sort: a handful of pairs, and std::stable_sort would
  // allocate a buffer on every call.
  auto before = [](const pair_candidate& a, const pair_candidate& b) {
    return std::make_pair(a.pair.field, a.pair.begin) < std::make_pair(b.pair.field, b.pair.begin);
  };
  for (std::size_t i = 1; i < out.size(); ++i)
    for (std::size_t j = i; j > 0 && before(out[j], out[j - 1]); --j) std::swap(out[j], out[j - 1]);
}

}  // namespace coopwatch::core::detail
