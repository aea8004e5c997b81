// Helpers for blocking commands (BLPOP, BLMOVE, BZPOPMIN, ...): timeout parsing with Redis's
// rules and errors, and the request to wait (see BlockRequest in context.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/context.h"

namespace strata::commands {

// Parses a timeout in seconds (fractions allowed, 0 = forever) into an absolute deadline in
// ms (0 = forever). On error replies with Redis's text and returns false.
bool ParseBlockTimeout(CommandContext& ctx, std::string_view arg, int64_t* deadline_ms);

// Asks to wait on `keys` until one is created holding `wanted`. The handler must not reply.
void RequestBlock(CommandContext& ctx, std::vector<std::string> keys, int64_t deadline_ms,
                  bool null_array_on_timeout, storage::ValueType wanted);

}  // namespace strata::commands
