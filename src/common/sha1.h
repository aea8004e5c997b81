// SHA-1 (FIPS 180-4), for what Redis names by it: scripts (EVALSHA) and redis.sha1hex. Not for
// anything that needs collision resistance.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// The digest of `data` as 40 lower-case hex digits.
std::string Sha1Hex(std::string_view data);

}  // namespace strata
