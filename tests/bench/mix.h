#pragma once
// The benchmark mix: raw input records (the shape of schemas/item.json, no
// `gold`) built from the labelled dev corpus so that about 15 % of them are
// relevant, as on a real news feed. The dev set itself is about half
// relevant, so:
//   - every relevant dev item appears once, unchanged;
//   - every irrelevant dev item appears ceil-or-floor(T / I) times, where
//     T = R * (1 - share) / share irrelevant records are wanted; copy 0 is the
//     item as it is, copy k > 0 is a synthetic variant: the item's body
//     lines rotated by k followed by the (rotated) body of irrelevant item
//     i + k, as on a page carrying two unrelated stories; its id gets "~k".
//     Same words, scripts and noise as the dev set, but no record repeats,
//     and the variants bring the mean record to about 2 KB (irrelevant dev
//     items alone average 1.2 KB, relevant ones 2.1 KB);
//   - the records are shuffled with a fixed seed.
// Traditional, mojibake and chrome-laden items come along as they are in the
// dev set. Used by pipeline_bench and classify_bench (and, through
// pipeline_bench's --mix_out flag, by scripts/bench-e2e, so that both parts
// of the benchmark run the same data).
// Building the mix is start-up work: it allocates freely.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/decode.h"
#include "coopwatch/core/item.h"
#include "coopwatch/core/json_writer.h"

namespace coopwatch::bench {

struct mix {
  std::vector<std::string> records;  // one JSON object each
  std::size_t bytes = 0;             // sum of the record sizes
  std::size_t relevant = 0;          // records whose dev item is labelled relevant
  std::size_t dev_items = 0, dev_relevant = 0;
};

namespace detail {

// The gold label of one dev line: `"relevant": true` inside the `gold` object.
inline bool gold_relevant(std::string_view line) {
  auto g = line.rfind("\"gold\"");
  if (g == std::string_view::npos) throw std::runtime_error("dev item without gold");
  auto r = line.find("\"relevant\"", g);
  if (r == std::string_view::npos) throw std::runtime_error("gold without relevant");
  auto colon = line.find(':', r);
  auto v = line.find_first_not_of(" ", colon + 1);
  return line.compare(v, 4, "true") == 0;
}

// `body` with its lines rotated left by k.
inline std::string rotate_lines(std::string_view body, std::size_t k) {
  std::vector<std::string_view> lines;
  for (std::size_t b = 0;;) {
    auto e = body.find('\n', b);
    lines.push_back(body.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
    if (e == std::string_view::npos) break;
    b = e + 1;
  }
  std::rotate(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(k % lines.size()), lines.end());
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) out += '\n';
    out += lines[i];
  }
  return out;
}

inline std::string record(const core::item& it, std::string_view id, std::string_view body) {
  std::string out;
  core::json_writer w(out);
  w.begin_object()
      .field("id", id)
      .field("title", it.title)
      .field("body", body)
      .field("source", it.source)
      .field("url", it.url)
      .field("published_at", it.published_at)
      .end_object();
  return out;
}

}  // namespace detail

inline mix build_mix(const std::string& dev_path, double relevant_share = 0.15) {
  std::ifstream in(dev_path);
  if (!in) throw std::runtime_error("cannot read " + dev_path);
  struct dev_item {
    std::string line;
    bool relevant;
  };
  std::vector<dev_item> dev;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) dev.push_back({line, detail::gold_relevant(line)});

  mix m;
  m.dev_items = dev.size();
  for (const auto& d : dev) m.dev_relevant += d.relevant;
  const std::size_t irrelevant_items = m.dev_items - m.dev_relevant;
  if (m.dev_relevant == 0 || irrelevant_items == 0) throw std::runtime_error("dev set lacks a class");
  const auto wanted = static_cast<std::size_t>(
      std::lround(static_cast<double>(m.dev_relevant) * (1 - relevant_share) / relevant_share));

  // Decoded copies of the irrelevant items, for the variants' second halves.
  core::decoder dec;
  core::item it;
  std::vector<std::string> irrelevant_bodies;
  for (const auto& d : dev) {
    if (dec.decode(d.line, it) != core::error_code::ok)
      throw std::runtime_error("dev item does not decode: " + d.line.substr(0, 40));
    if (!d.relevant) irrelevant_bodies.emplace_back(it.body);
  }
  std::size_t irrelevant_index = 0;
  for (const auto& d : dev) {
    (void)dec.decode(d.line, it);
    if (d.relevant) {
      m.records.push_back(detail::record(it, it.id, it.body));
      ++m.relevant;
      continue;
    }
    const std::size_t i = irrelevant_index++;
    const std::size_t copies = wanted / irrelevant_items + (i < wanted % irrelevant_items);
    for (std::size_t k = 0; k < copies; ++k) {
      if (k == 0) {
        m.records.push_back(detail::record(it, it.id, it.body));
        continue;
      }
      std::string id(it.id);
      id.append(1, '~').append(std::to_string(k));
      std::string body = detail::rotate_lines(it.body, k);
      body.append(1, '\n').append(detail::rotate_lines(irrelevant_bodies[(i + k) % irrelevant_items], k));
      m.records.push_back(detail::record(it, std::string_view(id), body));
    }
  }
  std::mt19937 rng(20260101);
  std::shuffle(m.records.begin(), m.records.end(), rng);
  for (const auto& r : m.records) m.bytes += r.size();
  return m;
}

}  // namespace coopwatch::bench
