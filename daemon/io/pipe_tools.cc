#include "io/pipe_tools.h"

#include <iomanip>
#include <istream>
#include <ostream>
#include <string>

#include "io/clock.h"

namespace coopwatch::io {

namespace {

// Reads JSON lines; calls fn(line_number, record) for each non-empty line.
template <typename Fn>
void for_each_record(std::istream& in, Fn&& fn) {
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    fn(n, line);
  }
}

// "line N: reason: message (detail)" for a record the pipeline rejects.
void report_rejected(std::ostream& os, long n, const core::outcome& r) {
  os << "line " << n << ": " << core::error_name(r.error) << ": " << core::error_message(r.error);
  if (!r.detail.empty()) os << " (" << r.detail << ")";
  os << "\n";
}

// Runs the pipeline over each record; rejected ones are reported on `out`
// (and make the status 1), the others go to fn() with the pipeline holding
// their results.
template <typename Fn>
int for_each_processed(core::pipeline& p, std::istream& in, std::ostream& out, Fn&& fn) {
  int status = 0;
  for_each_record(in, [&](long n, const std::string& line) {
    auto result = p.process(line, "");
    if (result.kind == core::verdict::dead_letter) {
      report_rejected(out, n, result);
      status = 1;
      return;
    }
    fn();
  });
  return status;
}

std::string_view snippet(const core::normalized_text& t, std::uint32_t b, std::uint32_t e) {
  return std::string_view(t.text).substr(b, e - b);
}

}  // namespace

pipe_counts run_classify(core::pipeline& p, std::istream& in, std::ostream& out,
                         std::ostream& errors) {
  pipe_counts counts;
  const std::string now = utc_now_rfc3339();
  for_each_record(in, [&](long n, const std::string& line) {
    ++counts.records;
    auto result = p.process(line, now);
    switch (result.kind) {
      case core::verdict::dead_letter:
        ++counts.dead_letters;
        report_rejected(errors, n, result);
        return;
      case core::verdict::irrelevant:
        ++counts.irrelevant;
        break;
      case core::verdict::publish:
        ++counts.events;
        break;
    }
    if (!result.payload.empty()) out << result.payload << "\n";
  });
  return counts;
}

int run_normalize(core::pipeline& p, std::istream& in, std::ostream& out) {
  return for_each_processed(p, in, out, [&] {
    out << "# " << p.last_item().id << "\n";
    out << "title: " << p.title().text << "\n\n" << p.body().text << "\n";
    const auto& s = p.body().stats;
    out << "\n# traditional=" << s.traditional_chars << " glosses=" << s.pinyin_glosses
        << " html_tags=" << s.html_tags << " mojibake_repaired=" << s.mojibake_repaired
        << " mojibake_marked=" << s.mojibake_marked << " boilerplate_lines=" << s.boilerplate_lines
        << " spam=" << s.spam_removed << " invalid_utf8=" << s.invalid_utf8 << "\n";
  });
}

int run_explain(core::pipeline& p, std::istream& in, std::ostream& out) {
  return for_each_processed(p, in, out, [&] {
    const auto& c = p.last_classification();
    out << "item " << p.last_item().id << ": " << (c.relevant ? "RELEVANT" : "not relevant")
        << "  score " << c.score << " (threshold " << c.threshold << ")\n";
    out << "title: " << p.title().text << "\n";
    out << "cues:\n";
    for (const auto& cue : c.cues) {
      const auto& t = cue.field == core::text_field::title ? p.title() : p.body();
      out << "  " << std::showpos << std::setw(7) << cue.weight << std::noshowpos << "  "
          << cue.kind << "  " << cue.cue << "  @" << core::field_name(cue.field) << ":"
          << cue.begin << "-" << cue.end << "  \"" << snippet(t, cue.begin, cue.end) << "\"\n";
    }
    out << "pairs:\n";
    for (const auto& pr : c.pairs)
      out << "  " << pr.east << " -> " << pr.west << "  (" << pr.east_unit << " -> "
          << pr.west_unit << ", " << pr.mentions << " mentions)\n";
    if (!c.topics.empty()) {
      out << "topics:";
      for (const auto& t : c.topics) out << " " << t;
      out << "\n";
    }
    out << "figures:\n";
    for (const auto& f : p.figures()) {
      out << "  " << std::setw(14) << std::fixed << std::setprecision(0) << f.value
          << std::defaultfloat << " " << f.unit << "  " << f.metric << "  \"" << f.text << "\"";
      if (!f.qualifier.empty()) out << " qualifier=" << f.qualifier;
      if (!f.period.empty()) out << " period=" << f.period;
      if (!f.side.empty()) out << " side=" << f.side;
      out << " mentions=" << f.mentions.size() << "\n";
    }
    out << "\n";
  });
}

}  // namespace coopwatch::io
