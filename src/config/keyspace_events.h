// notify-keyspace-events: which keyspace notifications are published, as Redis's letters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::config {

// One bit per class. kNotifyAll is what 'A' stands for (everything but m and n, as in Redis).
enum KeyspaceEventClass : uint32_t {
  kNotifyKeyspace = 1u << 0,  // K: __keyspace@<db>__:<key> channels
  kNotifyKeyevent = 1u << 1,  // E: __keyevent@<db>__:<event> channels
  kNotifyGeneric = 1u << 2,   // g: DEL, EXPIRE, RENAME, ...
  kNotifyString = 1u << 3,    // $
  kNotifyList = 1u << 4,      // l
  kNotifySet = 1u << 5,       // s
  kNotifyHash = 1u << 6,      // h
  kNotifyZSet = 1u << 7,      // z
  kNotifyExpired = 1u << 8,   // x
  kNotifyEvicted = 1u << 9,   // e
  kNotifyStream = 1u << 10,   // t
  kNotifyKeyMiss = 1u << 11,  // m
  kNotifyModule = 1u << 12,   // d (no modules here: accepted, never published)
  kNotifyNew = 1u << 13,      // n
  kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
               kNotifyZSet | kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule,
};

// The classes of a flags string ("KEA", "Ex"); nullopt if it holds any other character.
std::optional<uint32_t> ParseKeyspaceEvents(std::string_view flags);
// The flags string CONFIG GET shows, in Redis's order ("AKE" for "KEA").
std::string KeyspaceEventsString(uint32_t classes);

}  // namespace strata::config
