// The normaliser's driver: runs the passes over per-thread buffers and maps
// unreliable spans from input offsets to output offsets at the end.
#include "coopwatch/core/normalize.h"

#include <algorithm>
#include <vector>

#include "boilerplate.h"
#include "html_strip.h"
#include "mojibake.h"
#include "normalize_buffer.h"
#include "normalize_data.h"

namespace coopwatch::core {

bool normalized_text::is_unreliable(std::uint32_t begin, std::uint32_t end) const noexcept {
  for (const auto& r : unreliable)
    if (begin < r.end && r.begin < end) return true;
  return false;
}

std::shared_ptr<const normalizer_data> load_normalizer_data(const data_files& files) {
  auto d = std::make_shared<normalizer_data>();
  d->t2s.load(require_file(files, "normalize/t2s_chars.tsv"),
              require_file(files, "normalize/t2s_phrases.tsv"));
  d->nfkc.build();
  d->mojibake.build(d->t2s, require_file(files, "normalize/common_chars.txt"));
  d->script.build(d->nfkc, d->t2s, d->mojibake);
  d->boilerplate.load(require_file(files, "normalize/boilerplate.txt"),
                      require_file(files, "normalize/spam.txt"));
  return d;
}

struct normalizer::impl {
  std::shared_ptr<const normalizer_data> data;
  detail::text_buffer a, b, c;
  std::vector<detail::line_info> lines;
  std::vector<detail::origin_range> unreliable;
};

normalizer::normalizer(std::shared_ptr<const normalizer_data> data)
    : impl_(std::make_unique<impl>()) {
  impl_->data = std::move(data);
}
normalizer::~normalizer() = default;
normalizer::normalizer(normalizer&&) noexcept = default;
normalizer& normalizer::operator=(normalizer&&) noexcept = default;

void normalizer::normalize(std::string_view in, text_field field, normalized_text& out) {
  normalize_steps(in, field, out, step::all);
}

namespace {

// Output ranges whose bytes come from the unreliable input ranges. Origins
// only grow along the output, so each input range is one contiguous stretch
// of the output, found by binary search; ranges that touch are merged.
void map_unreliable(const std::vector<detail::origin_range>& in_ranges, normalized_text& out) {
  const auto first = out.origin.begin();
  const auto last = first + static_cast<std::ptrdiff_t>(out.text.size());  // origin has one entry more
  for (const auto& r : in_ranges) {
    const auto b = std::lower_bound(first, last, r.begin);
    const auto e = std::lower_bound(b, last, r.end);
    if (b == e) continue;  // nothing of it survived (dropped lines)
    const auto ob = static_cast<std::uint32_t>(b - first), oe = static_cast<std::uint32_t>(e - first);
    if (!out.unreliable.empty() && out.unreliable.back().end >= ob)
      out.unreliable.back().end = std::max(out.unreliable.back().end, oe);
    else
      out.unreliable.push_back({ob, oe});
  }
}

// Offsets are 32-bit; longer fields are cut (the decoder limits records far below this).
std::string_view clamp_field(std::string_view in) {
  return in.size() >= 0xFFFFFFF0u ? in.substr(0, 0xFFFFFFF0u) : in;
}

}  // namespace

void normalizer::normalize_steps(std::string_view in, text_field field, normalized_text& out,
                                 unsigned steps) {
  first_pass(in, out, steps);
  other_passes(in, field, out, steps);
}

std::string_view normalizer::markup_pass(std::string_view in, normalized_text& out) {
  first_pass(in, out, step::all);
  return impl_->a.view();
}

bool normalizer::mojibake_opens_at(std::size_t offset) const {
  return detail::mojibake_run_at(impl_->a, offset, impl_->data->mojibake);
}

void normalizer::finish_passes(std::string_view in, text_field field, normalized_text& out) {
  other_passes(in, field, out, step::all);
}

void normalizer::first_pass(std::string_view in, normalized_text& out, unsigned steps) {
  out.clear();
  impl_->unreliable.clear();
  detail::strip_markup(clamp_field(in), impl_->a, out.stats, (steps & step::markup) != 0);
}

void normalizer::other_passes(std::string_view in, text_field field, normalized_text& out, unsigned steps) {
  in = clamp_field(in);
  impl& m = *impl_;
  const normalizer_data& d = *m.data;
  detail::script_options opt;
  opt.nfkc = (steps & step::nfkc) != 0;
  opt.t2s = (steps & step::t2s) != 0;
  opt.glosses = opt.punctuation = (steps & step::glosses) != 0;
  const bool mojibake = (steps & step::mojibake) != 0;
  const normalize_stats before = out.stats;
  detail::script_state state;
  if (!detail::convert_script(m.a, d.script, opt, mojibake, m.b, out.stats, state)) {
    // Something may be mojibake: repair or mark it, then finish the script
    // pass over the result. The pass goes on where it stopped if the repair
    // changed nothing it has read; otherwise it starts again.
    const std::uint32_t trad = out.stats.traditional_chars - before.traditional_chars;
    const std::uint32_t glosses = out.stats.pinyin_glosses - before.pinyin_glosses;
    out.stats = before;
    std::size_t first_change = std::size_t(-1);  // unchanged: the whole text agrees
    const bool changed = detail::fix_mojibake(m.a, d.mojibake, m.c, m.unreliable, out.stats,
                                              first_change, state.clean);
    if (changed) m.a.swap(m.c);
    const bool resume = state.pos <= first_change && state.horizon <= first_change;
    if (resume) {
      out.stats.traditional_chars += trad;
      out.stats.pinyin_glosses += glosses;
    }
    (void)detail::convert_script(m.a, d.script, opt, false, m.b, out.stats, state, resume);
  }
  detail::filter_lines(m.b, d.boilerplate, field == text_field::title,
                       (steps & step::lines) != 0, m.lines, out.text, out.origin, out.stats);
  out.origin.push_back(std::uint32_t(in.size()));
  if (!m.unreliable.empty()) map_unreliable(m.unreliable, out);
}

}  // namespace coopwatch::core
