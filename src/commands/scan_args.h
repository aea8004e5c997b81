// Arguments shared by SCAN, HSCAN, SSCAN and ZSCAN: the cursor and the MATCH / COUNT options,
// with Redis's acceptance rules and errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "commands/context.h"

namespace strata::commands {

// A cursor as Redis reads one (strtoull: leading '+', leading zeros and "" are accepted;
// whitespace, junk and overflow are not). nullopt means "ERR invalid cursor".
std::optional<uint64_t> ParseScanCursor(std::string_view text);

struct ScanOptions {
  int64_t count = 10;
  std::optional<std::string_view> pattern;  // unset, or a pattern other than "*"

  bool Matches(std::string_view item) const;
};

// Parses MATCH/COUNT pairs from args[start...]. On error replies with Redis's text and returns
// false.
bool ParseScanOptions(CommandContext& ctx, size_t start, ScanOptions* options);

}  // namespace strata::commands
