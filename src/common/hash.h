// A stable 64-bit hash of key bytes. Stable across versions and machines because it is part
// of the persisted key layout (meta keys are ordered by it, and SCAN cursors are its values):
// never change it without bumping the format version.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata {

uint64_t KeyHash64(std::string_view bytes, uint64_t seed = 0);

}  // namespace strata
