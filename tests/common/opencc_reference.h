#pragma once
// OpenCC's Traditional -> Simplified converter (t2s.json), the reference the
// core's fast table is checked and benchmarked against. Loaded with dlopen,
// so neither the core nor the build links OpenCC; ok() is false where
// libopencc is missing, and callers skip.

#include <dlfcn.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace coopwatch::test_support {

class opencc_t2s {
 public:
  opencc_t2s() {
    lib_ = dlopen("libopencc.so.1.1", RTLD_NOW);
    if (!lib_) lib_ = dlopen("libopencc.so", RTLD_NOW);
    if (!lib_) return;
    open_ = reinterpret_cast<decltype(open_)>(dlsym(lib_, "opencc_open"));
    close_ = reinterpret_cast<decltype(close_)>(dlsym(lib_, "opencc_close"));
    convert_ = reinterpret_cast<decltype(convert_)>(dlsym(lib_, "opencc_convert_utf8"));
    free_ = reinterpret_cast<decltype(free_)>(dlsym(lib_, "opencc_convert_utf8_free"));
    if (open_ && close_ && convert_ && free_) {
      handle_ = open_("t2s.json");
      if (handle_ == reinterpret_cast<void*>(-1)) handle_ = nullptr;
    }
  }
  ~opencc_t2s() {
    if (handle_) close_(handle_);
  }
  opencc_t2s(const opencc_t2s&) = delete;
  opencc_t2s& operator=(const opencc_t2s&) = delete;

  [[nodiscard]] bool ok() const { return handle_ != nullptr; }

  [[nodiscard]] std::string convert(std::string_view s) const {
    char* r = convert_raw(s);
    std::string out(r ? r : "");
    release(r);
    return out;
  }

  // The C API as it is, for timing OpenCC alone: release() what it returns.
  [[nodiscard]] char* convert_raw(std::string_view s) const { return convert_(handle_, s.data(), s.size()); }
  void release(char* r) const {
    if (r) free_(r);
  }

 private:
  void* lib_ = nullptr;
  void* handle_ = nullptr;
  void* (*open_)(const char*) = nullptr;
  int (*close_)(void*) = nullptr;
  char* (*convert_)(void*, const char*, std::size_t) = nullptr;
  void (*free_)(char*) = nullptr;
};

}  // namespace coopwatch::test_support
