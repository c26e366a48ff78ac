#pragma once
// Input batches between consumption and commit, so the at-least-once loop
// can keep several closed batches waiting for their acknowledgements while it
// consumes the next one.
//
// Every consumed record gets a ticket, a number never reused, which each of
// its outputs carries as the producer's per-message opaque; the delivery
// report hands the ticket back and the tracker counts it against the
// record's batch. A batch may commit when it is closed, every output it
// queued was acknowledged, and every older batch has committed. When one
// fails, every uncommitted batch is dropped and each partition goes back to
// the first offset any of them read: outputs may repeat, none is skipped.
// Dropped batches are kept until their last report arrives, so a late report
// still names its input record and never counts for a newer batch that
// re-reads the same offsets.
//
// Pure bookkeeping: no Kafka, no clock (times come from the caller).
// Single-threaded: owned and called by the loop's thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace coopwatch::io {

using ticket = std::uint64_t;  // 0: an output that came from no input record

struct input_record {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  friend bool operator==(const input_record&, const input_record&) = default;
};

// The offsets a batch read from one input partition.
struct offset_range {
  std::int64_t first = -1;  // its first record: where a rewind goes
  std::int64_t next = -1;   // after its last record: what a commit stores
};

struct tracked_batch {
  ticket first_ticket = 0;
  std::vector<input_record> records;             // index: ticket - first_ticket
  std::map<std::int32_t, offset_range> ranges;   // per input partition
  std::size_t outstanding = 0;                   // outputs queued, not yet reported
  bool failed = false;                           // an output was refused or lost
  bool closed = false;                           // takes no more records
  std::chrono::steady_clock::time_point opened;  // for the batch-time histogram
  std::vector<std::int64_t> timestamps;          // broker timestamps (ms), for end-to-end latency

  [[nodiscard]] bool holds(ticket t) const {
    return t >= first_ticket && t - first_ticket < records.size();
  }
};

class batch_tracker {
 public:
  // The batch taking records, or nullptr if none is open.
  [[nodiscard]] tracked_batch* open_batch();
  [[nodiscard]] const tracked_batch* open_batch() const;
  // Opens a batch if none is open; returns the open one.
  tracked_batch& open(std::chrono::steady_clock::time_point now);
  // Adds a record to the open batch (opening one at `now` if needed); returns its ticket.
  ticket add(input_record r, std::chrono::steady_clock::time_point now);

  // One more output of ticket t's record is in the producer, awaiting its report.
  void output_queued(ticket t);
  // An output of t's record could not be queued at all: its batch has failed.
  void output_failed(ticket t);
  // A delivery report for an output of t. Counts it and, if !ok, fails its
  // batch (unless the batch was already dropped). Returns the input record
  // the output came from while the tracker still knows it.
  std::optional<input_record> delivered(ticket t, bool ok);

  // The open batch takes no more records and waits for its reports.
  void close();
  // The open batch, removed as committed (a transaction took care of its
  // outputs); late reports for it are ignored.
  void commit_open();

  // Closed batches not yet committed or dropped.
  [[nodiscard]] std::size_t in_flight() const;
  // True if an uncommitted batch (open or closed) has failed.
  [[nodiscard]] bool any_failed() const;
  // Batches not yet committed or dropped, open or closed.
  [[nodiscard]] std::size_t uncommitted() const { return live_.size(); }
  // Nothing open, nothing in flight.
  [[nodiscard]] bool idle() const { return live_.empty(); }

  // Removes the closed batches at the front whose outputs were all
  // acknowledged, oldest first: what may be committed now.
  [[nodiscard]] std::vector<tracked_batch> take_delivered();
  // Drops every uncommitted batch, open or closed. Returns, per partition,
  // the first offset any of them read: where the consumer must go back to.
  std::map<std::int32_t, std::int64_t> drop_all();
  // The producer was replaced: reports for dropped batches will never come.
  void forget_dropped() { dropped_.clear(); }
  [[nodiscard]] std::size_t dropped() const { return dropped_.size(); }

  // Offsets to commit after `batches` (oldest first): per partition, the
  // offset after the last record read.
  [[nodiscard]] static std::map<std::int32_t, std::int64_t> commit_offsets(
      const std::vector<tracked_batch>& batches);

 private:
  tracked_batch* find(std::deque<tracked_batch>& in, ticket t);

  std::deque<tracked_batch> live_;     // oldest first; the open batch, if any, is last
  std::deque<tracked_batch> dropped_;  // awaiting late reports, oldest first
  ticket next_ = 1;
};

}  // namespace coopwatch::io
