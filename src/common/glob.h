// Glob matching with Redis's rules (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE):
// '*', '?', '[abc]', '[^a-z]', and '\' to escape the next character.
#pragma once

#include <string_view>

namespace strata {

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase = false);

}  // namespace strata
