#include "common/glob.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace strata {
namespace {

TEST(Glob, MatchesLikeRedis) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("user:*", "user:1"));
  EXPECT_FALSE(GlobMatch("user:?", "user:10"));
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[a-c]llo", "hbllo"));
  EXPECT_TRUE(GlobMatch("h[c-a]llo", "hbllo"));
  EXPECT_TRUE(GlobMatch("a\\*b", "a*b"));
  EXPECT_FALSE(GlobMatch("a\\*b", "axb"));
  EXPECT_TRUE(GlobMatch("a\\", "a\\"));
  EXPECT_TRUE(GlobMatch("a[b", "ab"));  // an unterminated class ends with the pattern
  EXPECT_FALSE(GlobMatch("a[", "a"));
  EXPECT_TRUE(GlobMatch("MAXMEM*", "maxmemory", /*nocase=*/true));
  EXPECT_FALSE(GlobMatch("MAXMEM*", "maxmemory"));
  EXPECT_TRUE(GlobMatch("*b*b*", "abab"));
  EXPECT_FALSE(GlobMatch("*b*b*c", "ababab"));
  EXPECT_TRUE(GlobMatch("*[0-9]", "key:7"));
}

// A matcher written independently for a subset of the syntax (letters, '?', '*', one class
// and one escape), trying every split, to compare the real one against.
bool Reference(const std::string& p, size_t pi, const std::string& s, size_t si,
               std::vector<std::vector<int>>& memo) {
  int& m = memo[pi][si];
  if (m >= 0) return m;
  bool r;
  if (pi == p.size()) {
    r = si == s.size();
  } else if (p[pi] == '*') {
    r = Reference(p, pi + 1, s, si, memo) ||
        (si < s.size() && Reference(p, pi, s, si + 1, memo));
  } else if (si == s.size()) {
    r = false;
  } else if (p.compare(pi, 4, "[ab]") == 0) {
    r = (s[si] == 'a' || s[si] == 'b') && Reference(p, pi + 4, s, si + 1, memo);
  } else if (p.compare(pi, 2, "\\?") == 0) {
    r = s[si] == '?' && Reference(p, pi + 2, s, si + 1, memo);
  } else {
    r = (p[pi] == '?' || p[pi] == s[si]) && Reference(p, pi + 1, s, si + 1, memo);
  }
  m = r;
  return r;
}

TEST(Glob, AgreesWithAnExhaustiveMatcher) {
  std::mt19937 rng(7);
  const std::vector<std::string> tokens = {"a", "b", "c", "?", "*", "*", "[ab]", "\\?"};
  const std::string letters = "abc?";
  for (int round = 0; round < 20000; ++round) {
    std::string p, s;
    for (int n = rng() % 8; n > 0; --n) p += tokens[rng() % tokens.size()];
    for (int n = rng() % 10; n > 0; --n) s += letters[rng() % letters.size()];
    std::vector<std::vector<int>> memo(p.size() + 1, std::vector<int>(s.size() + 1, -1));
    ASSERT_EQ(GlobMatch(p, s), Reference(p, 0, s, 0, memo)) << "pattern " << p << " text " << s;
  }
}

// Patterns that make a backtracking matcher take seconds or hours; one client's KEYS, SCAN
// MATCH or PSUBSCRIBE must not stall everyone. The bound is generous: bounded matching takes
// microseconds here.
TEST(Glob, ManyStarsStayFast) {
  const std::string text(60, 'a');
  const auto start = std::chrono::steady_clock::now();
  for (int stars = 6; stars <= 15; ++stars) {
    std::string pattern;
    for (int i = 0; i < stars; ++i) pattern += "*a";
    EXPECT_FALSE(GlobMatch(pattern + "*b", text));
    EXPECT_TRUE(GlobMatch(pattern + "*", text));
    EXPECT_FALSE(GlobMatch(pattern + "?*[b]", text));
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace strata
