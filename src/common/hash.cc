#include "common/hash.h"

#include <cstring>

namespace strata {
namespace {

constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMul2 = 0xC2B2AE3D27D4EB4Full;

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);  // little-endian hosts only; checked by a static_assert below
  return v;
}

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

}  // namespace

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "KeyHash64 assumes a little-endian host");

uint64_t KeyHash64(std::string_view bytes, uint64_t seed) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = seed ^ (n * kMul1);
  while (n >= 8) {
    h = (h ^ Mix(Load64(p) * kMul2)) * kMul1;
    h = (h << 27) | (h >> 37);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h ^= Mix(tail ^ (uint64_t{n} << 56));
  return Mix(h);
}

}  // namespace strata
