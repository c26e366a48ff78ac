#pragma once
// The core on files and pipes, no Kafka: `classify` (JSON lines in, events
// out: what the scorer reads), `normalize` (what the pipeline sees) and
// `explain` (why an item was or was not published).

#include <iosfwd>

#include "coopwatch/core/pipeline.h"
#include "io/log.h"

namespace coopwatch::io {

struct pipe_counts {
  long records = 0, events = 0, irrelevant = 0, dead_letters = 0;
};

// One event line per relevant item (every item with emit_irrelevant);
// a bad record is reported on `errors` with its line number and skipped.
pipe_counts run_classify(core::pipeline& p, std::istream& in, std::ostream& out, std::ostream& errors);

// Prints the normalised title and body of each item.
int run_normalize(core::pipeline& p, std::istream& in, std::ostream& out);

// Prints the decision, score, cues, pairs and figures of each item.
int run_explain(core::pipeline& p, std::istream& in, std::ostream& out);

}  // namespace coopwatch::io
