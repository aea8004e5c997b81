// Fuzz target: bytes from the network into the request parser. The input is cut into pieces
// at positions taken from its first bytes, so every split of a command is exercised too.
// Properties checked: no crash, no read outside the input, and parsing the same bytes in one
// piece or in many yields the same commands (or the same error).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "protocol/resp_parser.h"

namespace {

using strata::protocol::ParserLimits;
using strata::protocol::RequestParser;

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  std::string error;
};

Outcome Run(const std::string& input, size_t step) {
  ParserLimits limits;
  limits.max_bulk_len = 1 << 20;
  limits.max_inline_len = 4096;
  RequestParser parser(limits);
  Outcome out;
  std::string buffer;
  size_t fed = 0;
  while (fed < input.size()) {
    size_t n = std::min(step, input.size() - fed);
    buffer.append(input, fed, n);
    fed += n;
    while (!buffer.empty()) {
      size_t consumed = 0;
      std::vector<std::string_view> args;
      auto r = parser.Parse(buffer, &consumed, &args);
      if (r == RequestParser::Result::kError) {
        out.error = parser.error();
        return out;
      }
      if (r == RequestParser::Result::kNeedMore) break;
      if (consumed == 0 || consumed > buffer.size()) std::abort();  // must always progress
      if (!args.empty()) out.commands.emplace_back(args.begin(), args.end());
      buffer.erase(0, consumed);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = 1 + data[0] % 17;
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  Outcome whole = Run(input, input.size() + 1);
  Outcome pieces = Run(input, step);
  // An error may surface earlier or later depending on the split only if a limit is hit
  // mid-way; the commands parsed before it must agree.
  size_t common = std::min(whole.commands.size(), pieces.commands.size());
  for (size_t i = 0; i < common; ++i) {
    if (whole.commands[i] != pieces.commands[i]) std::abort();
  }
  if (whole.error.empty() && pieces.error.empty() &&
      whole.commands.size() != pieces.commands.size()) {
    std::abort();
  }
  return 0;
}
