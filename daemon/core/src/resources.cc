#include "coopwatch/core/resources.h"

#include <stdexcept>

#include "coopwatch/core/classify.h"
#include "coopwatch/core/extract.h"
#include "coopwatch/core/normalize.h"
#include "relevance_gate.h"

namespace coopwatch::core {

const std::string& require_file(const data_files& files, std::string_view name) {
  auto it = files.find(name);
  if (it == files.end())
    throw std::runtime_error("data file \"" + std::string(name) + "\" is missing");
  return it->second;
}

resources load_resources(const data_files& files) {
  resources r;
  r.normalize = load_normalizer_data(files);
  r.classify = load_classifier_data(files);
  r.extract = load_extractor_data(files);
  r.gate = std::make_shared<const relevance_gate>(*r.normalize, *r.classify, files);
  return r;
}

}  // namespace coopwatch::core
