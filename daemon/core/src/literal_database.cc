#include "literal_database.h"

#include <hs/hs.h>

#include <stdexcept>

namespace coopwatch::core::detail {

void hs_database_deleter::operator()(hs_database* db) const noexcept { hs_free_database(db); }
void hs_scratch_deleter::operator()(hs_scratch* s) const noexcept { hs_free_scratch(s); }

literal_database::literal_database(const std::vector<std::string>& literals, std::string_view what) {
  if (literals.empty()) throw std::runtime_error(std::string(what) + ": no literals");
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> ids, flags;
  for (std::size_t i = 0; i < literals.size(); ++i) {
    exprs.push_back(literals[i].data());
    lens.push_back(literals[i].size());
    ids.push_back(static_cast<unsigned>(i));
    flags.push_back(0);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &err) != HS_SUCCESS) {
    std::string message = std::string(what) + ": hyperscan: ";
    message += err && err->message ? err->message : "compile failed";
    hs_free_compile_error(err);
    throw std::runtime_error(message);
  }
  db_.reset(db);
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS)
    throw std::runtime_error(std::string(what) + ": hyperscan scratch");
  prototype_.reset(scratch);
}

hs_scratch_ptr literal_database::make_scratch() const {
  hs_scratch_t* s = nullptr;
  if (hs_clone_scratch(prototype_.get(), &s) != HS_SUCCESS)
    throw std::runtime_error("hyperscan scratch clone failed");
  return hs_scratch_ptr(s);
}

void literal_database::scan_raw(std::string_view text, hs_scratch* scratch, raw_callback cb, void* ctx) const {
  if (text.empty()) return;
  hs_scan(db_.get(), text.data(), static_cast<unsigned>(text.size()), 0, scratch, cb, ctx);
}

}  // namespace coopwatch::core::detail
