#include "coopwatch/core/encode.h"

#include "coopwatch/core/json_writer.h"

namespace coopwatch::core {

namespace {

// FNV-1a, 64 bit: stable across platforms and releases, which is all an id needs.
std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 14695981039346656037ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Byte offsets -> code point indexes in one UTF-8 field: spans in events
// count characters, which consumers in any language can slice with. Spans
// mostly come in increasing order, so counting resumes from the last answer
// instead of from the start of the field each time.
class char_counter {
 public:
  explicit char_counter(std::string_view text) : text_(text) {}

  std::uint32_t index(std::uint32_t byte) {
    if (byte < byte_) byte_ = chars_ = 0;
    const std::uint32_t end = std::min<std::uint32_t>(byte, static_cast<std::uint32_t>(text_.size()));
    for (; byte_ < end; ++byte_)
      if ((static_cast<unsigned char>(text_[byte_]) & 0xC0) != 0x80) ++chars_;
    return chars_;
  }

 private:
  std::string_view text_;
  std::uint32_t byte_ = 0;
  std::uint32_t chars_ = 0;
};

struct field_counters {
  char_counter title, body;
  char_counter& of(text_field f) { return f == text_field::title ? title : body; }
};

void write_span(json_writer& w, std::string_view key, char_counter& chars, std::uint32_t begin,
                std::uint32_t end) {
  w.key(key).begin_array();
  w.value(chars.index(begin)).value(chars.index(end));
  w.end_array();
}

inline constexpr std::size_t kMaxListedMentions = 16;

}  // namespace

std::string event_id(std::string_view item_id, std::string_view pipeline_version) {
  std::uint64_t h = fnv1a(pipeline_version, fnv1a("\x1f", fnv1a(item_id)));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 15];
  return out;
}

const region_pair* primary_pair(const classification& cls) noexcept {
  const region_pair* best = nullptr;
  for (const auto& p : cls.pairs)
    if (!best || p.mentions > best->mentions) best = &p;
  return best;
}

void encode_figure(const item& it, const classification& cls, const figure& f, std::size_t index,
                   const event_meta& meta, std::string& out) {
  const std::string eid = event_id(it.id, meta.pipeline_version);
  const region_pair* pair = primary_pair(cls);
  json_writer w(out);
  w.begin_object();
  w.field("schema", figure_schema);
  w.field("figure_id", std::string_view(eid + "-" + std::to_string(index)));
  w.field("event_id", std::string_view(eid));
  w.field("item_id", it.id);
  w.field("figure_index", static_cast<std::uint64_t>(index));
  w.field("metric", std::string_view(f.metric));
  w.field("value", f.value);
  w.key("upper");
  if (f.upper) w.value(*f.upper);
  else w.null();
  w.field("unit", std::string_view(f.unit));
  w.field("qualifier", std::string_view(f.qualifier));
  w.field("period", std::string_view(f.period));
  w.field("side", std::string_view(f.side));
  w.field("east", pair ? std::string_view(pair->east) : std::string_view());
  w.field("west", pair ? std::string_view(pair->west) : std::string_view());
  w.field("east_unit", pair ? std::string_view(pair->east_unit) : std::string_view());
  w.field("west_unit", pair ? std::string_view(pair->west_unit) : std::string_view());
  w.field("text", std::string_view(f.text));
  w.field("mentions", static_cast<std::uint64_t>(f.mentions.size()));
  w.field("published_at", it.published_at);
  w.field("source", it.source);
  w.field("url", it.url);
  w.field("processed_at", meta.processed_at);
  w.field("pipeline_version", meta.pipeline_version);
  w.end_object();
}

void encode_event(const item& it, const normalized_text& title, const normalized_text& body,
                  const classification& cls, const std::vector<figure>& figures,
                  const event_meta& meta, std::string& out) {
  json_writer w(out);
  field_counters chars{char_counter(title.text), char_counter(body.text)};
  w.begin_object();
  w.field("schema", event_schema);
  w.field("event_id", std::string_view(event_id(it.id, meta.pipeline_version)));
  w.field("item_id", it.id);
  w.field("source", it.source);
  w.field("url", it.url);
  w.field("published_at", it.published_at);
  w.field("title", std::string_view(title.text));
  w.field("relevant", cls.relevant);
  w.field("score", cls.score);

  w.key("pairs").begin_array();
  for (const auto& p : cls.pairs) {
    w.begin_object();
    w.field("east", std::string_view(p.east)).field("west", std::string_view(p.west));
    w.field("east_unit", std::string_view(p.east_unit)).field("west_unit", std::string_view(p.west_unit));
    w.field("mentions", p.mentions);
    w.field("field", field_name(p.field));
    write_span(w, "span", chars.of(p.field), p.begin, p.end);
    w.end_object();
  }
  w.end_array();

  w.key("topics").begin_array();
  for (const auto& t : cls.topics) w.value(std::string_view(t));
  w.end_array();

  w.key("figures").begin_array();
  for (const auto& f : figures) {
    w.begin_object();
    w.field("value", f.value);
    if (f.upper) w.field("upper", *f.upper);
    w.field("unit", std::string_view(f.unit)).field("metric", std::string_view(f.metric));
    w.field("text", std::string_view(f.text));
    w.field("qualifier", std::string_view(f.qualifier));
    w.field("period", std::string_view(f.period));
    w.field("side", std::string_view(f.side));
    // A fact restated thousands of times (spam, a generated page) must not
    // blow the event up: the first mentions are listed, all are counted.
    w.field("mention_count", static_cast<std::uint64_t>(f.mentions.size()));
    w.key("mentions").begin_array();
    const std::size_t listed = std::min(f.mentions.size(), kMaxListedMentions);
    for (std::size_t i = 0; i < listed; ++i) {
      const auto& m = f.mentions[i];
      w.begin_object();
      w.field("field", field_name(m.field));
      write_span(w, "span", chars.of(m.field), m.begin, m.end);
      w.key("orig").begin_array().value(m.orig_begin).value(m.orig_end).end_array();
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();

  const auto& bs = body.stats;
  w.key("text_quality").begin_object();
  w.field("traditional_chars", bs.traditional_chars + title.stats.traditional_chars);
  w.field("mojibake_repaired", bs.mojibake_repaired + title.stats.mojibake_repaired);
  w.field("mojibake_marked", bs.mojibake_marked + title.stats.mojibake_marked);
  w.field("invalid_utf8", bs.invalid_utf8 + title.stats.invalid_utf8);
  w.field("boilerplate_lines", bs.boilerplate_lines);
  w.end_object();

  w.field("processed_at", meta.processed_at);
  w.field("pipeline_version", meta.pipeline_version);
  w.end_object();
}

}  // namespace coopwatch::core
