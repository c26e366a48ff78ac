// The relevance score: a sum of explainable cues. Lexicon cues (programme
// terms, negatives) count fully once and repeat_factor for each further hit,
// up to max_hits, times title_factor in the title; each distinct programme
// pair adds the weight of its best evidence (capped at pair_cap in all);
// look-alike pairings and passing mentions subtract. The item is relevant
// when the score reaches the threshold. Weights: classify/weights.tsv.
#include "coopwatch/core/classify.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string_view>

#include "call_stamp.h"
#include "classify_data.h"
#include "tsv.h"
#include "pairs.h"
#include "sentence_ends.h"
#include "topics.h"

namespace coopwatch::core {

namespace {

using detail::cue_kind;
using detail::lexicon_entry;
using detail::no_unit;

constexpr std::string_view kCues = "classify/cues.tsv";
constexpr std::string_view kTopics = "classify/topics.tsv";
constexpr std::string_view kWeights = "classify/weights.tsv";

void load_weights(const data_files& files, detail::classify_weights& w) {
  const std::map<std::string_view, double*> fields = {
      {"threshold", &w.threshold},
      {"repeat_factor", &w.repeat_factor},
      {"max_hits", &w.max_hits},
      {"title_factor", &w.title_factor},
      {"pair_word", &w.pair_word},
      {"pair_official_units", &w.pair_official_units},
      {"pair_sentence_context", &w.pair_sentence_context},
      {"pair_sentence", &w.pair_sentence},
      {"pair_document", &w.pair_document},
      {"pair_cap", &w.pair_cap},
      {"pair_without_programme", &w.pair_without_programme},
      {"intra_province_pair", &w.intra_province_pair},
      {"intra_province_title", &w.intra_province_title},
      {"look_alike_title", &w.look_alike_title},
      {"mixed_review_floor", &w.mixed_review_floor},
      {"mixed_review_sentences", &w.mixed_review_sentences},
      {"non_programme_pair", &w.non_programme_pair},
      {"passing_mention", &w.passing_mention},
      {"passing_max_hits", &w.passing_max_hits},
      {"passing_bytes_per_hit", &w.passing_bytes_per_hit},
      {"topic_min", &w.topic_min},
  };
  detail::for_each_tsv_row(files, kWeights, 2, [&](const detail::tsv_row& row) {
    auto it = fields.find(row.cols[0]);
    if (it == fields.end()) row.fail("unknown weight \"" + std::string(row.cols[0]) + "\"");
    *it->second = row.number(1);
  });
  if (w.passing_bytes_per_hit <= 0) throw std::runtime_error(std::string(kWeights) + ": passing_bytes_per_hit must be > 0");
}

// The suffixes of administrative units (上海市, 文山州, 阿拉善盟), each one
// three-byte character.
bool is_admin_suffix(std::string_view ch) {
  constexpr std::string_view kSuffixes[] = {"省", "市", "县", "縣", "区", "區", "州", "旗", "盟", "镇", "鎮", "乡", "鄉", "村"};
  return std::find(std::begin(kSuffixes), std::end(kSuffixes), ch) != std::end(kSuffixes);
}

// A place name that begins a street's, a town's, a community's, a
// hospital's or a university's name (滨江路, 人民大街, 高乐山镇, 长兴堡镇,
// 锦绣花都社区, 中山医院, 浙江大学, 上海交大)
// names no place: 浙江大学对口支援贵州大学 is the universities' own aid
// scheme, not a pairing of the two provinces.
bool begins_other_name(std::string_view text, std::uint32_t end) {
  const auto rest = text.substr(std::min<std::size_t>(end, text.size()), 6);
  if (rest.size() < 3) return false;
  // One character's compare for most places: what follows a place name is
  // rarely 路, 街, 巷 or 大.
  const std::string_view first = rest.substr(0, 3);
  // 高乐山镇 is a town, no 乐山: a place name right before 镇 names the town.
  if (first == "路" || first == "街" || first == "巷" || first == "镇" || first == "鎮" || first == "岛" ||
      first == "島" || first == "村")
    return true;  // 长洲岛 is an island of 广州, no 长洲 (广西); 西湖区龙井村 a village, no 龙井 (吉林)
  const std::string_view second = rest.substr(3);
  // 松桃's 长兴堡镇 is a town, no 长兴 (浙江): a place name, one more
  // character that is no suffix of its own, then 镇 or 乡 names the town.
  if ((second == "镇" || second == "鎮" || second == "乡" || second == "鄉") && !is_admin_suffix(first) &&
      (static_cast<unsigned char>(first[0]) & 0xF0) == 0xE0)
    return true;
  // 建成县级电商基地 holds no 成县 (甘肃): a name ending in its suffix
  // right before 级 is a level (县级, 市级), its suffix that word's.
  if (first == "级" && end >= 3 && is_admin_suffix(text.substr(end - 3, 3))) return true;
  if (first == "交" || first == "师") return second == "大";  // 上海交大, 贵州师大
  if (first == "社") return second == "区" || second == "區";  // 锦绣花都社区 in 黔西, no 广州花都
  if (first == "医" || first == "醫") return second == "院";      // 上海's 中山医院, no 中山 (广东)
  if (first != "大") return false;
  return second == "道" || second == "街" || second == "学" || second == "學";
}

// A place name that is, or ends, a person's name names the person: a
// reporter in a byline ((记者 罗永康), (记者 吴江 通讯员 …)), or an official
// after a title (察右前旗副旗长高阳介绍). A byline's name follows 记者 or
// 通讯员 (a space or a colon between allowed), with or without one
// character before the place name (the surname); an official's follows a
// title ending in 长, 书记 or 主任 and comes before what they said.
bool names_a_person(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  constexpr std::uint32_t kChar = 3;
  const std::string_view after = text.substr(std::min<std::size_t>(end, text.size()));
  auto trimmed = [](std::string_view before) {
    while (!before.empty() && (before.back() == ' ' || before.back() == ':')) before.remove_suffix(1);
    if (before.ends_with("：")) before.remove_suffix(3);
    return before;
  };
  auto bylined = [&](std::string_view before) {
    before = trimmed(before);
    return before.ends_with("记者") || before.ends_with("記者") || before.ends_with("通讯员") ||
           before.ends_with("通訊員");
  };
  const bool byline_ends = after.empty() || after[0] == ' ' || after[0] == ')' || after[0] == '\n' ||
                           after.starts_with("）") || after.starts_with("、") || after.starts_with("，") ||
                           after.starts_with(",") || after.starts_with("报") || after.starts_with("報");
  if (byline_ends) {
    if (bylined(text.substr(0, begin))) return true;
    if (begin >= kChar && (static_cast<unsigned char>(text[begin - kChar]) & 0xF0) == 0xE0 &&
        bylined(text.substr(0, begin - kChar)))
      return true;
  }
  const std::string_view before = text.substr(0, begin);
  if (!before.ends_with("长") && !before.ends_with("長") && !before.ends_with("书记") &&
      !before.ends_with("書記") && !before.ends_with("主任"))
    return false;
  for (const std::string_view said : {"介绍", "介紹", "说", "說", "表示", "告诉", "告訴", "指出", "称", "稱"})
    if (after.starts_with(said)) return true;
  return false;
}

// Whether one of `words` starts at byte `at` of `text`, or one or two
// characters after it (闽宁协作, 苏铜教育协作).
bool word_follows(std::string_view text, std::uint32_t at, std::initializer_list<std::string_view> words) {
  constexpr std::uint32_t kChar = 3;
  for (std::uint32_t skip = 0; skip <= 2 * kChar && at + skip <= text.size(); skip += kChar) {
    const std::string_view rest = text.substr(at + skip);
    for (const std::string_view w : words)
      if (rest.starts_with(w)) return true;
    if (rest.empty() || (static_cast<unsigned char>(rest[0]) & 0xF0) != 0xE0) return false;
  }
  return false;
}

// Whether `word` ends at byte `at` of `text`, or one or two characters
// before it (帮扶黔西南, 帮扶了都安).
bool word_precedes(std::string_view text, std::uint32_t at, std::string_view word) {
  constexpr std::uint32_t kChar = 3;
  for (std::uint32_t skip = 0; skip <= 2 * kChar && skip <= at; skip += kChar) {
    const std::string_view before = text.substr(0, at - skip);
    if (before.ends_with(word)) return true;
    if (before.size() < kChar || (static_cast<unsigned char>(before[before.size() - kChar]) & 0xF0) != 0xE0) return false;
  }
  return false;
}

// A place name opening with an administrative suffix (镇原, 市北) right
// after another name that lacks its own suffix, and not followed by its own
// suffix, is that suffix and the next name's start: 闽宁镇原隆村 is the town
// 闽宁镇 and the village 原隆村, not 镇原 (甘肃); 天津市北辰区 is no 市北.
// 庆阳市镇原县 and 镇原县 stay 镇原.
bool is_suffix_of_previous_name(std::string_view text, std::uint32_t begin, std::uint32_t end,
                                std::uint32_t previous_name_end) {
  constexpr std::uint32_t kChar = 3;  // every suffix is one three-byte character
  if (begin != previous_name_end || begin < kChar || end - begin <= kChar) return false;
  return is_admin_suffix(text.substr(begin, kChar)) && !is_admin_suffix(text.substr(begin - kChar, kChar)) &&
         !is_admin_suffix(text.substr(end, kChar));
}

// A programme term that begins inside a look-alike's name is part of that
// name (省内对口帮扶协作 holds 帮扶协作; 省内对口帮扶 matched first): it
// neither scores nor makes a sentence positive. Keeps `negative_end`, the
// end of the look-alike names read so far, as matches come in text order.
bool absorbed_by_look_alike(cue_kind kind, const detail::lexicon_match& m, std::uint32_t& negative_end) {
  if (kind == cue_kind::negative) negative_end = std::max(negative_end, m.end);
  return kind == cue_kind::programme && m.begin < negative_end;
}

}  // namespace

namespace detail {

// The highest score an item can still reach once its cues are summed: the
// pair evidence is capped, and without a programme term or a word of
// assistance it also takes the penalty for pair evidence alone; the other
// rules only subtract (as shipped; a positive weight is allowed for).
// Without `pairable` (no pair word, and no eastern and western place named
// that the programme pairs) no pair can be found at all.
double best_final_score(double cue_score, bool programme_term, bool pairable, const detail::classify_weights& w) {
  const double pairs =
      pairable ? std::max(0.0, std::max(0.0, w.pair_cap) + (programme_term ? 0.0 : w.pair_without_programme)) : 0.0;
  return cue_score + pairs + std::max(0.0, w.intra_province_pair) + std::max(0.0, w.intra_province_title) +
         std::max(0.0, w.look_alike_title) +
         std::max(0.0, w.non_programme_pair) +
         std::max(0.0, w.passing_mention);
}

}  // namespace detail

std::shared_ptr<const classifier_data> load_classifier_data(const data_files& files) {
  auto gaz = detail::gazetteer::load(files);
  std::vector<lexicon_entry> entries;
  std::map<std::string, std::uint32_t, std::less<>> index;
  auto entry = [&](std::string_view text) -> lexicon_entry& {
    auto [it, fresh] = index.try_emplace(std::string(text), static_cast<std::uint32_t>(entries.size()));
    if (fresh) entries.push_back({std::string(text)});
    return entries[it->second];
  };
  detail::for_each_tsv_row(files, kCues, 3, [&](const detail::tsv_row& row) {
    auto& e = entry(row.cols[0]);
    if (e.kind != cue_kind::none) row.fail("duplicate cue \"" + e.text + "\"");
    std::string_view k = row.cols[1];
    e.kind = k == "programme" ? cue_kind::programme
             : k == "negative" ? cue_kind::negative
             : k == "context"  ? cue_kind::context
             : k == "block"    ? cue_kind::block
             : k == "review"   ? cue_kind::review
                               : cue_kind::none;
    if (e.kind == cue_kind::none) row.fail("unknown kind \"" + std::string(k) + "\"");
    e.weight = row.number(2);
    if (e.kind == cue_kind::programme && e.weight <= 0) row.fail("a programme term needs a positive weight");
    if (e.kind == cue_kind::negative && e.weight >= 0) row.fail("a negative cue needs a negative weight");
    e.cooperation = e.kind == cue_kind::programme || e.kind == cue_kind::context;
    if (row.cols.size() > 3 && !row.cols[3].empty()) {
      if (row.cols[3] != "context") row.fail("4th column must be \"context\" or empty");
      e.cooperation = true;
    }
  });
  std::vector<std::string> topic_names;
  detail::for_each_tsv_row(files, kTopics, 3, [&](const detail::tsv_row& row) {
    auto& e = entry(row.cols[0]);
    if (e.topic >= 0) row.fail("duplicate topic term \"" + e.text + "\"");
    auto t = std::find(topic_names.begin(), topic_names.end(), row.cols[1]);
    if (t == topic_names.end()) {
      if (topic_names.size() >= 32) row.fail("more than 32 topics");
      topic_names.emplace_back(row.cols[1]);
      t = topic_names.end() - 1;
    }
    e.topic = static_cast<std::int32_t>(t - topic_names.begin());
    e.topic_weight = row.number(2);
  });
  for (std::uint32_t i = 0; i < gaz.pair_words().size(); ++i) entry(gaz.pair_words()[i].text).pair_word = i;
  for (std::uint32_t i = 0; i < gaz.aliases().size(); ++i) entry(gaz.aliases()[i].text).alias = i;
  // Sentence ends are found by their own scan, which counts every one: an
  // entry holding one would hide it from the lexicon's outermost-match rule.
  for (const auto& e : entries)
    if (detail::has_sentence_end(e.text))
      throw std::runtime_error("classify data: entry \"" + e.text + "\" holds a sentence end (。！？；!?; or a line break)");

  std::vector<std::string> literals;
  literals.reserve(entries.size());
  for (const auto& e : entries) literals.push_back(e.text);
  std::vector<detail::entry_roles> roles;
  roles.reserve(entries.size());
  for (const auto& e : entries)
    roles.push_back({e.kind, e.cooperation, e.kind == cue_kind::context && e.weight > 0, e.topic >= 0, e.pair_word,
                     e.alias});
  // The provinces of each alias's readings, a bit each, for the early
  // verdict's look at possible pairs (an index past 63: any province).
  std::vector<std::uint64_t> alias_provinces(gaz.aliases().size(), 0);
  for (std::size_t a = 0; a < alias_provinces.size(); ++a)
    for (auto unit : gaz.aliases()[a].units) {
      const auto province = gaz.units()[unit].province;
      alias_provinces[a] |= province < 64 ? std::uint64_t{1} << province : ~std::uint64_t{0};
    }
  std::vector<std::uint32_t> tags;
  tags.reserve(roles.size());
  for (const auto& r : roles) tags.push_back(detail::first_pass_tag(r, r.alias != no_unit ? alias_provinces[r.alias] : 0));
  detail::classify_weights weights;
  load_weights(files, weights);
  return std::make_shared<classifier_data>(classifier_data{std::move(gaz), std::move(entries), std::move(roles),
                                                           std::move(alias_provinces), std::move(topic_names), weights,
                                                           detail::lexicon_matcher(literals, tags)});
}

struct classifier::impl {
  std::shared_ptr<const classifier_data> data;
  detail::lexicon_scratch scratch[2];         // a field's matches stay in its own
  std::vector<std::uint32_t> sentence_ends;  // of the field being read
  // Per-call buffers, reused.
  std::span<detail::lexicon_match> matches[2];  // in scratch[f]
  std::vector<detail::place_mention> places;
  std::vector<std::uint32_t> place_alias;  // alias of each place
  std::vector<std::uint32_t> ambiguous;    // indices of places whose alias has several readings
  std::vector<detail::pair_word_mention> words;
  std::vector<std::uint32_t> context_sentences;
  std::vector<std::uint32_t> seen_entries;  // topic terms seen, each once
  // Per lexicon entry: the call that last saw it and its hits in that call,
  // so that no per-item list has to be searched or cleared.
  struct entry_seen {
    std::uint32_t call = 0;
    std::uint32_t hits = 0;
  };
  std::vector<entry_seen> seen;
  std::uint32_t call = 0;
  // Cues are listed only in full detail; the daemon reads score, pairs and topics.
  bool keep_cues = true;
  std::vector<detail::pair_candidate> pairs;
  detail::pair_scratch pair_scratch;

  struct place_candidate {
    detail::place_mention place;
    std::uint32_t alias;
  };
  std::vector<place_candidate> place_candidates;

  // Overlapping place names: the longer wins (在黔江区 is 黔江区, not 在黔),
  // then the leftmost (陇南安排 holds 陇南, not 南安). Moves the winners of
  // place_candidates (in text order: sorted by begin) to places, in text order.
  // A candidate can only overlap a run of its neighbours in text order, so
  // each is checked against those, not against every winner so far.
  void select_places() {
    const auto& c = place_candidates;
    const std::size_t n = c.size();
    max_end.resize(n);
    bool any_overlap = false;
    for (std::size_t i = 0; i < n; ++i) {
      any_overlap |= i > 0 && c[i].place.begin < max_end[i - 1];
      max_end[i] = std::max(c[i].place.end, i > 0 ? max_end[i - 1] : 0);  // over c[0..i]
    }
    won.assign(n, 1);
    if (any_overlap) resolve_overlaps();
    const auto& aliases = data->gaz.aliases();
    for (std::size_t i = 0; i < n; ++i) {
      if (!won[i]) continue;
      if (aliases[c[i].alias].units.size() > 1) ambiguous.push_back(static_cast<std::uint32_t>(places.size()));
      places.push_back(c[i].place);
      place_alias.push_back(c[i].alias);
    }
    place_candidates.clear();
  }
  // select_places() when some candidates overlap: sets won[] by the rule.
  void resolve_overlaps() {
    const auto& c = place_candidates;
    const std::size_t n = c.size();
    by_priority.resize(n);
    for (std::size_t i = 0; i < n; ++i) by_priority[i] = static_cast<std::uint32_t>(i);
    std::sort(by_priority.begin(), by_priority.end(), [&](std::uint32_t a, std::uint32_t b) {
      auto la = c[a].place.end - c[a].place.begin, lb = c[b].place.end - c[b].place.begin;
      return la != lb ? la > lb : c[a].place.begin != c[b].place.begin ? c[a].place.begin < c[b].place.begin : a < b;
    });
    won.assign(n, 0);
    for (auto k : by_priority) {
      const auto& x = c[k].place;
      bool overlaps = false;
      for (std::size_t j = k; j-- > 0 && max_end[j] > x.begin && !overlaps;)
        overlaps = won[j] && c[j].place.end > x.begin;
      for (std::size_t j = k + 1; j < n && c[j].place.begin < x.end && !overlaps; ++j)
        overlaps = won[j] != 0;
      won[k] = !overlaps;
    }
  }
  std::vector<std::uint32_t> by_priority;  // select_places() buffers
  std::vector<std::uint32_t> max_end;
  std::vector<std::uint8_t> won;

  // With early_verdict, an item whose summed cues leave it short of the
  // threshold whatever its pairs is decided irrelevant right after the
  // lexicon scan.
  void run(const normalized_text& title, const normalized_text& body, classification& out, bool early_verdict);
  // Whether a place of a found pair's eastern province, or a pair word,
  // stands in the title or in a body sentence other than `sentence` (a
  // feature on 恩施 may name 北京 and 上海 as its tourists' homes).
  bool east_named_apart(std::uint32_t sentence, const classification& out) const {
    const auto& gaz = data->gaz;
    auto helps_a_pair = [&](const detail::place_mention& p) {
      const auto& province = gaz.province_of(p.unit);
      return province.helps && std::any_of(out.pairs.begin(), out.pairs.end(),
                                           [&](const region_pair& pr) { return pr.east == province.name; });
    };
    for (const auto& p : places)
      if ((p.field == text_field::title || p.sentence != sentence) && helps_a_pair(p)) return true;
    for (const auto& w : words)
      if (w.field == text_field::title || w.sentence != sentence) return true;
    return false;
  }
  double add_cue(classification& out, std::string_view cue, const char* kind, double weight,
                 text_field field, std::uint32_t begin, std::uint32_t end) {
    if (keep_cues) out.cues.push_back({std::string(cue), kind, weight, field, begin, end});
    return weight;
  }
};

classifier::classifier(std::shared_ptr<const classifier_data> data) : impl_(std::make_unique<impl>()) {
  if (!data) throw std::invalid_argument("classifier: no data");
  impl_->scratch[0] = data->matcher.make_scratch();
  impl_->scratch[1] = data->matcher.make_scratch();
  impl_->seen.resize(data->entries.size());
  impl_->data = std::move(data);
}
classifier::~classifier() = default;
classifier::classifier(classifier&&) noexcept = default;
classifier& classifier::operator=(classifier&&) noexcept = default;

double classifier::threshold() const noexcept { return impl_->data->weights.threshold; }

void classifier::classify(const normalized_text& title, const normalized_text& body, classification& out,
                          classify_detail detail) {
  impl_->run(title, body, out, detail == classify_detail::verdict);
}

void classifier::impl::run(const normalized_text& title, const normalized_text& body, classification& out,
                           bool early_verdict) {
  out.clear();
  const classifier_data& d = *data;
  const auto& w = d.weights;
  const auto& gaz = d.gaz;
  out.threshold = w.threshold;
  places.clear();
  words.clear();
  context_sentences.clear();
  seen_entries.clear();
  keep_cues = !early_verdict;
  detail::next_call_stamp(call, seen);
  ambiguous.clear();
  place_alias.clear();

  const normalized_text* texts[2] = {&title, &body};
  double score = 0;
  bool programme_term = false;            // any programme term or word of assistance
  bool programme_named = false;           // a programme term itself (not only a word of assistance)
  bool pair_word = false;                 // any pair word (沪滇)
  std::uint64_t named = 0;                // the provinces place names can mean, a bit each
  double positive_sentences[2] = {0, 0};  // sentences with programme terms or pair words, by field
  bool title_look_alike = false;          // a look-alike's cue (援藏, 定点帮扶) in the title
  bool title_look_alike_named = false;    // ... one that names it (weight -1 or less: 航线, 援青; not 对口支援)
  bool title_programme = false;           // a programme term or pair word in the title
  double look_alike_score = 0;            // what the look-alikes' cues (援疆, 援藏 …) subtract
  std::uint32_t last_positive_body_sentence = ~0u;
  // Pass 1: the scan, matches inside longer ones dropped, and the lexicon
  // cues scored; all that the early verdict needs.
  for (int f = 0; f < 2; ++f) {
    const auto field = static_cast<text_field>(f);
    auto& ms = matches[f];
    std::uint32_t negative_end = 0;  // of the look-alikes' names so far
    ms = d.matcher.scan(texts[f]->text, scratch[f]);
    ms = ms.first(detail::lexicon_matcher::keep_outermost(ms, [&](const detail::lexicon_match& m) {
      // Most matches are place names and context words: their tag says all
      // this pass needs of them.
      programme_term |= (m.tag & detail::tag_assistance) != 0;
      pair_word |= (m.tag & detail::tag_pair_word) != 0;
      named |= detail::tagged_provinces(m.tag, [&] { return d.alias_provinces[d.roles[m.id].alias]; });
      if (!(m.tag & detail::tag_scored)) return;
      const detail::entry_roles& r = d.roles[m.id];
      if (absorbed_by_look_alike(r.kind, m, negative_end)) return;
      entry_seen& st = seen[m.id];
      if (st.call != call) {
        st = {call, 0};
        if (r.topic) seen_entries.push_back(m.id);
      }
      if (r.kind == cue_kind::programme || r.kind == cue_kind::negative) {
        const lexicon_entry& e = d.entries[m.id];
        ++st.hits;
        score += add_cue(out, e.text, detail::cue_kind_name(e.kind), e.weight * detail::hit_factor(st.hits, field, w),
                         field, m.begin, m.end);
        programme_term |= e.kind == cue_kind::programme;
        programme_named |= e.kind == cue_kind::programme;
        title_look_alike |= e.kind == cue_kind::negative && field == text_field::title;
        title_look_alike_named |= e.kind == cue_kind::negative && field == text_field::title && e.weight <= -1;
        if (e.kind == cue_kind::negative) look_alike_score += e.weight * detail::hit_factor(st.hits, field, w);
      }
      // A generic word (联席会议, 挂职干部: weight under 1) names no programme
      // for the mixed-review rule: 吉浙对口合作联席会议 is the other one's.
      title_programme |= field == text_field::title &&
                         ((r.kind == cue_kind::programme && d.entries[m.id].weight >= 1) ||
                          r.kind == cue_kind::review || r.pair_word != no_unit);
    }));
  }
  // What the mixed-review rule below may give back of the look-alikes' cues.
  const double review_give_back = title_programme ? std::max(0.0, w.mixed_review_floor - look_alike_score) : 0.0;
  // A pair needs a pair word, or an eastern province named that the
  // programme pairs with a western one named.
  const bool pairable =
      pair_word || detail::names_official_pair(named, [&](std::uint32_t p) { return gaz.official_partners(p); });
  if (early_verdict && detail::best_final_score(score + review_give_back, programme_term, pairable, w) < w.threshold) {
    out.decided_early = true;
    return;  // relevant stays false, score 0
  }

  // Pass 2: the sentence of each match, for pairing and the passing-mention rule.
  for (int f = 0; f < 2; ++f) {
    const std::string& text = texts[f]->text;
    const auto field = static_cast<text_field>(f);
    detail::find_sentence_ends(text, sentence_ends);
    std::uint32_t sentence = f == 0 ? 0 : detail::body_sentence_base;
    std::size_t next_end = 0;  // into sentence_ends
    std::uint32_t last_positive_sentence = ~0u;
    std::uint32_t previous_name_end = ~0u;  // of the last place name or pair word
    std::uint32_t block_end = 0;             // of the blocking names (闽宁镇) so far
    std::uint32_t negative_end = 0;          // of the look-alikes' names so far
    for (const auto& m : matches[f]) {
      // No entry holds a sentence end (checked at load), so none lies inside a match.
      while (next_end < sentence_ends.size() && sentence_ends[next_end] < m.begin) {
        ++sentence;
        ++next_end;
      }
      const detail::entry_roles& e = d.roles[m.id];
      if (e.cooperation && (context_sentences.empty() || context_sentences.back() != sentence))
        context_sentences.push_back(sentence);
      const bool absorbed = absorbed_by_look_alike(e.kind, m, negative_end);
      if (((e.kind == cue_kind::programme && !absorbed) || e.pair_word != no_unit) &&
          sentence != last_positive_sentence) {
        positive_sentences[f] += 1;
        last_positive_sentence = sentence;
      }
      if (f == 1) last_positive_body_sentence = last_positive_sentence;
      if (e.pair_word != no_unit) words.push_back({e.pair_word, field, sentence, m.begin, m.end});
      // A blocking name keeps its characters: 闽宁镇原隆村 holds no 镇原.
      if (e.kind == cue_kind::block) block_end = std::max(block_end, m.end);
      if (e.alias != no_unit && m.begin >= block_end && !begins_other_name(text, m.end) &&
          !is_suffix_of_previous_name(text, m.begin, m.end, previous_name_end) &&
          !names_a_person(text, m.begin, m.end))
        place_candidates.push_back({{gaz.aliases()[e.alias].units[0], field, sentence, m.begin, m.end}, e.alias});
      if (e.alias != no_unit || e.pair_word != no_unit) previous_name_end = m.end;
    }
    select_places();
  }

  // An ambiguous alias takes the reading that forms a programme pair with an
  // unambiguous place of the item; without one it is dropped.
  if (!ambiguous.empty()) {
    std::size_t next = 0;
    auto keep = places.begin();
    for (std::size_t i = 0; i < places.size(); ++i) {
      auto p = places[i];
      if (next < ambiguous.size() && ambiguous[next] == i) {
        ++next;
        std::uint32_t chosen = no_unit;
        for (auto r : gaz.aliases()[place_alias[i]].units) {
          const auto pr = gaz.units()[r].province;
          for (std::size_t j = 0; j < places.size() && chosen == no_unit; ++j) {
            if (std::binary_search(ambiguous.begin(), ambiguous.end(), static_cast<std::uint32_t>(j))) continue;
            const auto pj = gaz.units()[places[j].unit].province;
            if (gaz.official_provinces(pr, pj) || gaz.official_provinces(pj, pr)) chosen = r;
          }
          if (chosen != no_unit) break;
        }
        if (chosen == no_unit) continue;
        p.unit = chosen;
      }
      *keep++ = p;
    }
    places.erase(keep, places.end());
  }

  detail::pair_flags flags;
  detail::find_pairs(gaz, title.text, body.text, places, words, context_sentences, pairs, flags, pair_scratch);
  bool sentence_pairs = false;
  for (const auto& c : pairs) sentence_pairs |= c.evidence >= detail::pair_evidence::sentence;
  double pair_score = 0;
  bool title_pair = false;
  for (const auto& c : pairs) {
    double wgt = 0;
    switch (c.evidence) {
      case detail::pair_evidence::word: wgt = w.pair_word; break;
      case detail::pair_evidence::official_units: wgt = w.pair_official_units; break;
      case detail::pair_evidence::sentence_context: wgt = w.pair_sentence_context; break;
      case detail::pair_evidence::sentence: wgt = w.pair_sentence; break;
      case detail::pair_evidence::document: wgt = w.pair_document; break;
      case detail::pair_evidence::none: break;
    }
    // Further mentions of the pair count like repeated cues.
    if (c.pair.mentions > 1)
      wgt += wgt * w.repeat_factor * std::min<double>(c.pair.mentions - 1, w.max_hits - 1);
    if (c.in_title) {
      wgt *= w.title_factor;
      title_pair = true;
    }
    wgt = std::min(wgt, std::max(0.0, w.pair_cap - pair_score));
    pair_score += wgt;
    if (keep_cues)  // the name is built only to be listed
      add_cue(out, c.pair.east + "-" + c.pair.west, detail::pair_evidence_name(c.evidence), wgt, c.pair.field,
            c.pair.begin, c.pair.end);
    // Whole-item co-occurrence alone names a pair only when nothing better
    // does, and never in an item that lists the programme's members (a
    // national roundup: its pairs are not stated).
    if (c.evidence >= detail::pair_evidence::sentence || (!sentence_pairs && !flags.roll)) out.pairs.push_back(c.pair);
  }
  score += pair_score;
  // Whether a pair word is followed by its 协作 (扶贫, 帮扶, 共建), or a
  // place of a found pair has 帮扶 right before or after it.
  auto pair_named_as_programme = [&] {
    for (const auto& w : words)
      if (word_follows(texts[static_cast<int>(w.field)]->text, w.end, {"协作", "扶贫", "帮扶", "共建", "对口"}))
        return true;
    for (const auto& p : places) {
      const std::string& province = gaz.province_of(p.unit).name;
      bool paired = false;
      for (const auto& pr : out.pairs) paired |= pr.east == province || pr.west == province;
      if (!paired) continue;
      const std::string_view text = texts[static_cast<int>(p.field)]->text;
      if (word_follows(text, p.end, {"帮扶", "对口帮扶"}) || word_precedes(text, p.begin, "帮扶")) return true;
    }
    return false;
  };
  // Two places or a pair abbreviation with no word of the programme or of
  // assistance anywhere (粤桂合作特别试验区, 京张高铁) is geography, not the
  // programme: pair evidence alone must not carry the item. Where no
  // programme term is named, the pair must be named as the programme is:
  // a pair word with its 协作 (闽宁协作, 苏铜教育协作), or a paired place
  // with 帮扶 (龙华区帮扶都安县); 京蒙 in a fire drill's 联防协作 is not.
  if (pair_score > 0 && (!programme_term || (!programme_named && !pair_named_as_programme())))
    score += add_cue(out, "pair_without_programme", "negative", w.pair_without_programme,
                     out.pairs.empty() ? text_field::body : out.pairs.front().field,
                     out.pairs.empty() ? 0 : out.pairs.front().begin,
                     out.pairs.empty() ? 0 : out.pairs.front().end);
  double intra_pair = 0;  // what a domestic pairing in the body subtracted
  if (flags.intra_province) {
    intra_pair = add_cue(out, "intra_province_pair", "negative", w.intra_province_pair, flags.intra_at->field,
                         flags.intra_at->begin, flags.intra_at->end);
    score += intra_pair;
    // Stated in the title (广州帮扶清远这一年), the domestic pairing is what
    // the item is about; the programme's words in it are its side notes.
    if (flags.intra_at->field == text_field::title)
      score += add_cue(out, "intra_province_title", "negative", w.intra_province_title, text_field::title,
                       flags.intra_at->begin, flags.intra_at->end);
  }
  if (flags.non_programme)
    score += add_cue(out, "non_programme_pair", "negative", w.non_programme_pair, flags.non_programme_at->field,
                     flags.non_programme_at->begin, flags.non_programme_at->end);
  // A review of several programmes (上海对口帮扶工作年度综述：沪滇协作… 援疆
  // 援藏…) that names the programme in its title and gives it sentences of
  // its own: the other programmes' words are its other sections, not a sign
  // of a look-alike; together they subtract at most mixed_review_floor. A
  // domestic pairing in its body (杭州's 山海协作) is one more such section.
  // (The early verdict's bound assumed no domestic pairing at all, so giving
  // its penalty back keeps the final score under that bound.)
  // A title that states a domestic pairing (广州对口帮扶梅州清远) names that
  // pairing with its programme words, not this programme: no review of it.
  const bool domestic_title = flags.intra_province && flags.intra_at->field == text_field::title;
  if (review_give_back > 0 && positive_sentences[1] >= w.mixed_review_sentences && !domestic_title) {
    const double give_back =
        std::max(review_give_back, std::min(review_give_back - intra_pair,
                                            std::max(0.0, w.mixed_review_floor - look_alike_score - intra_pair)));
    score += add_cue(out, "mixed_review", "positive", give_back, text_field::title, 0, 0);
  }
  // A title that names a look-alike (三峡集团定点帮扶巫山县) and nothing of
  // the programme: the item is about the look-alike, whatever the body says
  // of the programme in passing (no labelled item in any set is otherwise).
  // Two paired places in the title are nothing of the programme beside a
  // word that names the look-alike (遵义至上海航线, 江苏援青十年), though
  // they are beside a loose one (上海对口支援资金助元阳).
  if (title_look_alike && positive_sentences[0] == 0 && (!title_pair || title_look_alike_named))
    score += add_cue(out, "look_alike_title", "negative", w.look_alike_title, text_field::title, 0, 0);
  // A passing mention: few sentences with positive cues, none in the title.
  const double allowed = w.passing_max_hits + static_cast<double>(body.text.size()) / w.passing_bytes_per_hit;
  if (positive_sentences[0] == 0 && !title_pair && positive_sentences[1] > 0 && positive_sentences[1] <= allowed) {
    score += add_cue(out, "passing_mention", "negative", w.passing_mention, text_field::body, 0, 0);
    // A pair the mention itself names (持续深化粤黔东西部协作), with the
    // eastern side named nowhere else, is part of the mention: it does not
    // add to it. An item about the pair names its helping side elsewhere too.
    if (pair_score > 0 && !east_named_apart(last_positive_body_sentence, out))
      score += add_cue(out, "pair_in_passing_mention", "negative", -pair_score, text_field::body, 0, 0);
  }

  detail::tag_topics(d, seen_entries, out.topics);
  out.score = score;
  out.relevant = score >= w.threshold;
}

}  // namespace coopwatch::core
