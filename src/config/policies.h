// The policies storage runs by, apart from the rest of the configuration: storage includes
// this header alone, so it depends on what it obeys, not on how directives are parsed.
#pragma once

#include <string_view>

namespace strata::config {

enum class Profile { kCache, kSession, kQueue };
enum class FsyncPolicy { kAlways, kEverySec, kNo };
enum class EvictionPolicy {
  kNoEviction,
  kAllKeysLru,
  kAllKeysLfu,
  kAllKeysRandom,
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
};

// The names directives and INFO use.
constexpr std::string_view ProfileName(Profile p) {
  switch (p) {
    case Profile::kCache:
      return "cache";
    case Profile::kSession:
      return "session";
    case Profile::kQueue:
      return "queue";
  }
  return "session";
}

constexpr std::string_view FsyncPolicyName(FsyncPolicy p) {
  switch (p) {
    case FsyncPolicy::kAlways:
      return "always";
    case FsyncPolicy::kEverySec:
      return "everysec";
    case FsyncPolicy::kNo:
      return "no";
  }
  return "everysec";
}

constexpr std::string_view EvictionPolicyName(EvictionPolicy p) {
  switch (p) {
    case EvictionPolicy::kNoEviction:
      return "noeviction";
    case EvictionPolicy::kAllKeysLru:
      return "allkeys-lru";
    case EvictionPolicy::kAllKeysLfu:
      return "allkeys-lfu";
    case EvictionPolicy::kAllKeysRandom:
      return "allkeys-random";
    case EvictionPolicy::kVolatileLru:
      return "volatile-lru";
    case EvictionPolicy::kVolatileLfu:
      return "volatile-lfu";
    case EvictionPolicy::kVolatileRandom:
      return "volatile-random";
    case EvictionPolicy::kVolatileTtl:
      return "volatile-ttl";
  }
  return "noeviction";
}

}  // namespace strata::config
