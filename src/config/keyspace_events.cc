#include "config/keyspace_events.h"

#include <array>
#include <utility>

namespace strata::config {
namespace {

// The classes 'A' does not spell out are listed in this order when 'A' does not apply.
constexpr std::array<std::pair<char, uint32_t>, 11> kClassLetters = {{
    {'g', kNotifyGeneric},
    {'$', kNotifyString},
    {'l', kNotifyList},
    {'s', kNotifySet},
    {'h', kNotifyHash},
    {'z', kNotifyZSet},
    {'x', kNotifyExpired},
    {'e', kNotifyEvicted},
    {'t', kNotifyStream},
    {'d', kNotifyModule},
    {'n', kNotifyNew},
}};

}  // namespace

std::optional<uint32_t> ParseKeyspaceEvents(std::string_view flags) {
  uint32_t classes = 0;
  for (char c : flags) {
    switch (c) {
      case 'A':
        classes |= kNotifyAll;
        break;
      case 'K':
        classes |= kNotifyKeyspace;
        break;
      case 'E':
        classes |= kNotifyKeyevent;
        break;
      case 'm':
        classes |= kNotifyKeyMiss;
        break;
      default: {
        bool known = false;
        for (const auto& [letter, bit] : kClassLetters) {
          if (c == letter) {
            classes |= bit;
            known = true;
          }
        }
        if (!known) return std::nullopt;
      }
    }
  }
  return classes;
}

std::string KeyspaceEventsString(uint32_t classes) {
  std::string out;
  // As Redis prints it: with every class of 'A' set, 'A' alone, and then not even 'n'.
  if ((classes & kNotifyAll) == kNotifyAll) {
    out += 'A';
  } else {
    for (const auto& [letter, bit] : kClassLetters) {
      if (classes & bit) out += letter;
    }
  }
  if (classes & kNotifyKeyspace) out += 'K';
  if (classes & kNotifyKeyevent) out += 'E';
  if (classes & kNotifyKeyMiss) out += 'm';
  return out;
}

}  // namespace strata::config
