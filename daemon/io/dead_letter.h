#pragma once
// A dead letter: the input record's key and value unchanged, with headers
// saying why it could not be processed and where it came from
// (schemas/dead-letter.json). A value larger than the dead-letter topic
// takes keeps its head, and a header gives the full size.

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string_view>

namespace coopwatch::io {

struct dead_letter {
  rd_kafka_headers_t* headers;  // owned by the caller until produced
  std::string_view key;         // views into the input message
  std::string_view value;
};

// `room`: the most value bytes the dead-letter topic takes.
[[nodiscard]] dead_letter make_dead_letter(const rd_kafka_message_t* msg, std::string_view reason,
                                           std::string_view error, std::int64_t room);

}  // namespace coopwatch::io
