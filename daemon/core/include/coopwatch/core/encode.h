#pragma once
// Results of the pipeline -> one event as a JSON document (schemas/event.v1.json).
// Output is deterministic: the same item and pipeline version give the same
// bytes apart from `processed_at`, which the caller supplies (the core reads
// no clock). Writes into a caller-owned buffer that is reused across records.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/classify.h"
#include "coopwatch/core/extract.h"
#include "coopwatch/core/item.h"
#include "coopwatch/core/normalize.h"

namespace coopwatch::core {

inline constexpr std::string_view event_schema = "coopwatch.event/v1";
inline constexpr std::string_view figure_schema = "coopwatch.figure/v1";

struct event_meta {
  std::string_view processed_at;      // RFC 3339 UTC, supplied by the shell
  std::string_view pipeline_version;  // e.g. "0.1.0"
};

// Stable id of the event of an item: hex of a 64-bit hash of (item id, version),
// so that downstream upserts deduplicate replays.
[[nodiscard]] std::string event_id(std::string_view item_id, std::string_view pipeline_version);

// The pair a flat figure record is attributed to: the item's most-mentioned
// pair (first on a tie), or null when the item names none.
[[nodiscard]] const region_pair* primary_pair(const classification& cls) noexcept;

// Appends one flat figure record (schemas/figure.v1.json) for figures[index]
// of the item: the row a warehouse table wants. Its id is
// "<event_id>-<index>", stable across replays.
void encode_figure(const item& it, const classification& cls, const figure& f, std::size_t index,
                   const event_meta& meta, std::string& out);

// Appends one event (no trailing newline) to `out`.
void encode_event(const item& it, const normalized_text& title, const normalized_text& body,
                  const classification& cls, const std::vector<figure>& figures,
                  const event_meta& meta, std::string& out);

}  // namespace coopwatch::core
