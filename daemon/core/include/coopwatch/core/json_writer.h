#pragma once
// A minimal streaming JSON writer appending to a std::string: correct string
// escaping (control characters, quotes, backslash; U+2028/2029 for embedding
// safety), shortest round-trip doubles, commas tracked per nesting level.
// Used by the encoder and by the shell's CLI output. Not thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coopwatch::core {

class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);
  json_writer& value(std::string_view s);
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(double d);
  json_writer& value(std::int64_t i);
  json_writer& value(std::uint64_t u);
  json_writer& value(std::uint32_t u) { return value(static_cast<std::uint64_t>(u)); }
  json_writer& value(int i) { return value(static_cast<std::int64_t>(i)); }
  json_writer& value(bool b);
  json_writer& null();

  // key(k).value(v) in one call.
  template <typename T>
  json_writer& field(std::string_view k, T v) {
    key(k);
    return value(v);
  }

 private:
  void separate();
  void write_string(std::string_view s);

  std::string& out_;
  std::vector<bool> first_{true};  // per nesting level: no comma needed yet
  bool after_key_ = false;
};

}  // namespace coopwatch::core
