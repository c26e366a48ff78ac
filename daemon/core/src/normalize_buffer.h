#pragma once
// The normaliser's working buffer: UTF-8 text plus, for every byte, the byte
// offset in the original field it came from. Passes read one buffer and write
// the next; buffers live in the per-thread normalizer::impl and keep their
// capacity, so a record allocates nothing once the buffers have grown.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "utf8.h"

namespace coopwatch::core::detail {

class text_buffer {
 public:
  void clear() noexcept { size_ = 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), size_}; }
  [[nodiscard]] const char* data() const noexcept { return text_.data(); }
  [[nodiscard]] const std::uint32_t* origins() const noexcept { return origin_.data(); }
  [[nodiscard]] std::uint32_t origin(std::size_t i) const noexcept { return origin_[i]; }
  [[nodiscard]] char back() const noexcept { return text_[size_ - 1]; }

  // Makes room for n more bytes. The check is inline (every put makes it);
  // growing, rare once the buffers have grown, is not.
  void reserve_more(std::size_t n) {
    if (size_ + n > text_.size()) [[unlikely]] grow(n);
  }
  void put_byte(char c, std::uint32_t org) {
    reserve_more(1);
    text_[size_] = c;
    origin_[size_++] = org;
  }
  void put(char32_t cp, std::uint32_t org) {
    reserve_more(4);
    const std::uint32_t n = encode_utf8(cp, text_.data() + size_);
    for (std::uint32_t i = 0; i < n; ++i) origin_[size_ + i] = org;
    size_ += n;
  }
  // A character of three UTF-8 bytes (U+0800..U+FFFF, no surrogate), all
  // from `org`: the converted-character path, without the general encoder.
  void put3(char32_t cp, std::uint32_t org) {
    reserve_more(3);
    char* t = text_.data() + size_;
    t[0] = char(0xE0 | (cp >> 12));
    t[1] = char(0x80 | ((cp >> 6) & 0x3F));
    t[2] = char(0x80 | (cp & 0x3F));
    std::uint32_t* o = origin_.data() + size_;
    o[0] = o[1] = o[2] = org;
    size_ += 3;
  }
  // Copies bytes whose origins are consecutive from `org`.
  void put_run(const char* p, std::size_t n, std::uint32_t org) {
    reserve_more(n);
    std::memcpy(text_.data() + size_, p, n);
    // A plain counting loop over a local pointer: the compiler vectorises it.
    std::uint32_t* o = origin_.data() + size_;
    for (std::size_t i = 0; i < n; ++i) o[i] = org + std::uint32_t(i);
    size_ += n;
  }
  // Copies bytes [b, e) of another buffer with their origins.
  // Most runs between characters that need work are short: those copy a
  // fixed 16 bytes (and their origins), which compiles to a few vector moves
  // instead of two library calls; the bytes past n are overwritten later.
  void append_from(const text_buffer& src, std::size_t b, std::size_t e) {
    constexpr std::size_t fixed = 16;
    const std::size_t n = e - b;
    reserve_more(n + fixed);
    if (n <= fixed && b + fixed <= src.text_.size()) {
      std::memcpy(text_.data() + size_, src.text_.data() + b, fixed);
      std::memcpy(origin_.data() + size_, src.origin_.data() + b, fixed * sizeof(std::uint32_t));
    } else {
      std::memcpy(text_.data() + size_, src.text_.data() + b, n);
      std::memcpy(origin_.data() + size_, src.origin_.data() + b, n * sizeof(std::uint32_t));
    }
    size_ += n;
  }
  // Direct writing for a pass's bulk loops: room for n more bytes at
  // write_ptr() and origin_ptr(), then commit(k) for the k bytes written.
  char* write_ptr(std::size_t n) {
    reserve_more(n);
    return text_.data() + size_;
  }
  std::uint32_t* origin_ptr() noexcept { return origin_.data() + size_; }
  void commit(std::size_t k) noexcept { size_ += k; }
  void truncate(std::size_t n) noexcept {
    if (n < size_) size_ = n;
  }
  void swap(text_buffer& o) noexcept {
    text_.swap(o.text_);
    origin_.swap(o.origin_);
    std::swap(size_, o.size_);
  }

 private:
  [[gnu::noinline]] void grow(std::size_t n) {
    const std::size_t cap = (size_ + n) * 2 + 64;
    text_.resize(cap);
    origin_.resize(cap);
  }

  std::string text_;
  std::vector<std::uint32_t> origin_;
  std::size_t size_ = 0;
};

// Input ranges [begin, end) of the original field, in byte offsets.
struct origin_range {
  std::uint32_t begin;
  std::uint32_t end;
};

}  // namespace coopwatch::core::detail
