#include "common/glob.h"

#include <cctype>

namespace strata {
namespace {

inline char Fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// Recursion depth is bounded by the number of '*' in the pattern; consecutive stars collapse.
bool Match(const char* p, const char* pend, const char* s, const char* send, bool nocase,
           int depth) {
  if (depth > 1000) return false;  // pathological patterns: refuse rather than blow the stack
  while (p < pend) {
    switch (*p) {
      case '*': {
        while (p + 1 < pend && p[1] == '*') ++p;
        if (p + 1 == pend) return true;
        for (const char* t = s; t <= send; ++t) {
          if (Match(p + 1, pend, t, send, nocase, depth + 1)) return true;
        }
        return false;
      }
      case '?':
        if (s == send) return false;
        ++s;
        break;
      case '[': {
        if (s == send) return false;
        ++p;
        bool negate = false;
        if (p < pend && *p == '^') {
          negate = true;
          ++p;
        }
        bool matched = false;
        while (p < pend && *p != ']') {
          if (*p == '\\' && p + 1 < pend) {
            ++p;
            if (Fold(*p, nocase) == Fold(*s, nocase)) matched = true;
          } else if (p + 2 < pend && p[1] == '-') {
            char lo = Fold(p[0], nocase), hi = Fold(p[2], nocase);
            if (lo > hi) std::swap(lo, hi);
            char c = Fold(*s, nocase);
            if (c >= lo && c <= hi) matched = true;
            p += 2;
          } else if (Fold(*p, nocase) == Fold(*s, nocase)) {
            matched = true;
          }
          ++p;
        }
        if (p == pend) --p;  // unterminated class: treat the end as its close, as Redis does
        if (negate) matched = !matched;
        if (!matched) return false;
        ++s;
        break;
      }
      case '\\':
        if (p + 1 < pend) ++p;
        [[fallthrough]];
      default:
        if (s == send || Fold(*p, nocase) != Fold(*s, nocase)) return false;
        ++s;
        break;
    }
    ++p;
  }
  return s == send;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  return Match(pattern.data(), pattern.data() + pattern.size(), text.data(),
               text.data() + text.size(), nocase, 0);
}

}  // namespace strata
