// ASCII case folding for command names and keywords. Redis compares them case-insensitively
// in ASCII only; std::tolower is locale-aware and a call per character, which showed up in
// profiles of the per-command name lookup.
#pragma once

#include <string>
#include <string_view>

namespace strata {

constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

inline std::string AsciiLowerString(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

constexpr bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace strata
