#include "common/glob.h"

#include <cctype>

namespace strata {
namespace {

inline char Fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// Matches one text character against the pattern token at `p` ('?', a class, an escaped or a
// plain character) and returns the position after the token. REQUIRES: p < pend, *p != '*'.
const char* MatchToken(const char* p, const char* pend, char c, bool nocase, bool* matched) {
  switch (*p) {
    case '?':
      *matched = true;
      return p + 1;
    case '[': {
      ++p;
      bool negate = false;
      if (p < pend && *p == '^') {
        negate = true;
        ++p;
      }
      bool hit = false;
      const char fc = Fold(c, nocase);
      while (p < pend && *p != ']') {
        if (*p == '\\' && p + 1 < pend) {
          ++p;
          if (Fold(*p, nocase) == fc) hit = true;
        } else if (p + 2 < pend && p[1] == '-') {
          char lo = Fold(p[0], nocase), hi = Fold(p[2], nocase);
          if (lo > hi) std::swap(lo, hi);
          if (fc >= lo && fc <= hi) hit = true;
          p += 2;
        } else if (Fold(*p, nocase) == fc) {
          hit = true;
        }
        ++p;
      }
      // An unterminated class ends with the pattern, as in Redis.
      *matched = negate ? !hit : hit;
      return p < pend ? p + 1 : p;
    }
    case '\\':
      if (p + 1 < pend) ++p;
      [[fallthrough]];
    default:
      *matched = Fold(*p, nocase) == Fold(c, nocase);
      return p + 1;
  }
}

}  // namespace

// Every token but '*' matches exactly one character, so on a mismatch only the most recent
// star needs to take one more character: earlier stars could only shift where the later one
// starts, which the later star's own retries already cover. This keeps matching at
// O(pattern * text) whatever the pattern, where backtracking into every star is exponential
// in their number and lets one client's KEYS or PSUBSCRIBE pattern stall the server.
bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  const char* p = pattern.data();
  const char* const pend = p + pattern.size();
  const char* s = text.data();
  const char* const send = s + text.size();
  const char* star_p = nullptr;  // the token after the last star seen
  const char* star_s = nullptr;  // where that star's match currently ends
  while (true) {
    if (p < pend && *p == '*') {
      while (p < pend && *p == '*') ++p;
      if (p == pend) return true;
      star_p = p;
      star_s = s;
      continue;
    }
    if (p == pend && s == send) return true;
    bool matched = false;
    if (p < pend && s < send) {
      const char* next = MatchToken(p, pend, *s, nocase, &matched);
      if (matched) {
        p = next;
        ++s;
        continue;
      }
    }
    if (star_p == nullptr || star_s == send) return false;
    p = star_p;
    s = ++star_s;
  }
}

}  // namespace strata
