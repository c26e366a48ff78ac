#include "io/batch_tracker.h"

#include <algorithm>

namespace coopwatch::io {

namespace {

// Dropped batches are kept only so that late reports name their input
// records; past this many (a broker away through many retries) the oldest
// are forgotten, which costs at most a retry of a refused record.
constexpr std::size_t kMaxDropped = 64;

}  // namespace

tracked_batch* batch_tracker::open_batch() {
  if (live_.empty() || live_.back().closed) return nullptr;
  return &live_.back();
}

const tracked_batch* batch_tracker::open_batch() const {
  if (live_.empty() || live_.back().closed) return nullptr;
  return &live_.back();
}

tracked_batch& batch_tracker::open(std::chrono::steady_clock::time_point now) {
  if (auto* b = open_batch()) return *b;
  auto& b = live_.emplace_back();
  b.first_ticket = next_;
  b.opened = now;
  return b;
}

ticket batch_tracker::add(input_record r, std::chrono::steady_clock::time_point now) {
  auto& b = open(now);
  auto& range = b.ranges[r.partition];
  if (range.first < 0) range.first = r.offset;
  range.next = r.offset + 1;
  b.records.push_back(r);
  return next_++;
}

tracked_batch* batch_tracker::find(std::deque<tracked_batch>& in, ticket t) {
  // Few batches, tickets ascending: newest first, as reports mostly are.
  for (auto it = in.rbegin(); it != in.rend(); ++it)
    if (it->holds(t)) return &*it;
  return nullptr;
}

void batch_tracker::output_queued(ticket t) {
  if (auto* b = find(live_, t)) ++b->outstanding;
}

void batch_tracker::output_failed(ticket t) {
  if (auto* b = find(live_, t)) b->failed = true;
}

std::optional<input_record> batch_tracker::delivered(ticket t, bool ok) {
  if (auto* b = find(live_, t)) {
    if (b->outstanding > 0) --b->outstanding;
    if (!ok) b->failed = true;
    return b->records[t - b->first_ticket];
  }
  if (auto* b = find(dropped_, t)) {
    auto source = b->records[t - b->first_ticket];
    if (b->outstanding > 0 && --b->outstanding == 0)
      dropped_.erase(dropped_.begin() + (b - &dropped_.front()));
    return source;
  }
  return std::nullopt;
}

void batch_tracker::close() {
  if (auto* b = open_batch()) b->closed = true;
}

void batch_tracker::commit_open() {
  if (open_batch()) live_.pop_back();
}

std::size_t batch_tracker::in_flight() const {
  return live_.size() - (!live_.empty() && !live_.back().closed ? 1 : 0);
}

bool batch_tracker::any_failed() const {
  return std::any_of(live_.begin(), live_.end(), [](const tracked_batch& b) { return b.failed; });
}

std::vector<tracked_batch> batch_tracker::take_delivered() {
  std::vector<tracked_batch> out;
  while (!live_.empty() && live_.front().closed && !live_.front().failed &&
         live_.front().outstanding == 0) {
    out.push_back(std::move(live_.front()));
    live_.pop_front();
  }
  return out;
}

std::map<std::int32_t, std::int64_t> batch_tracker::drop_all() {
  std::map<std::int32_t, std::int64_t> rewind;
  for (auto& b : live_) {
    for (const auto& [partition, range] : b.ranges) rewind.try_emplace(partition, range.first);
    if (b.outstanding > 0) {
      b.closed = true;
      dropped_.push_back(std::move(b));
    }
  }
  live_.clear();
  while (dropped_.size() > kMaxDropped) dropped_.pop_front();
  return rewind;
}

std::map<std::int32_t, std::int64_t> batch_tracker::commit_offsets(
    const std::vector<tracked_batch>& batches) {
  std::map<std::int32_t, std::int64_t> out;
  for (const auto& b : batches)
    for (const auto& [partition, range] : b.ranges) out[partition] = range.next;
  return out;
}

}  // namespace coopwatch::io
