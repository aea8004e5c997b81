#include "common/split_args.h"

namespace strata {
namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char Unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

}  // namespace

std::optional<std::vector<std::string>> SplitQuotedArgs(std::string_view line) {
  std::vector<std::string> args;
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsBlank(line[i])) ++i;
    if (i == n) return args;

    std::string arg;
    enum class Quote { kNone, kDouble, kSingle } quote = Quote::kNone;
    while (true) {
      if (i == n) {
        if (quote != Quote::kNone) return std::nullopt;
        break;
      }
      const char c = line[i];
      if (quote == Quote::kNone) {
        if (IsBlank(c)) break;
        if (c == '"') {
          quote = Quote::kDouble;
        } else if (c == '\'') {
          quote = Quote::kSingle;
        } else {
          arg.push_back(c);
        }
        ++i;
        continue;
      }
      const char close = quote == Quote::kDouble ? '"' : '\'';
      if (c == close) {
        // `"a"b` would be ambiguous; redis.conf refuses it and so do we.
        if (i + 1 < n && !IsBlank(line[i + 1])) return std::nullopt;
        ++i;
        quote = Quote::kNone;
        break;
      }
      if (c == '\\' && i + 1 < n) {
        if (quote == Quote::kDouble) {
          if (line[i + 1] == 'x' && i + 3 < n && HexValue(line[i + 2]) >= 0 &&
              HexValue(line[i + 3]) >= 0) {
            arg.push_back(static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
            i += 4;
            continue;
          }
          arg.push_back(Unescape(line[i + 1]));
          i += 2;
          continue;
        }
        if (line[i + 1] == '\'') {
          arg.push_back('\'');
          i += 2;
          continue;
        }
      }
      arg.push_back(c);
      ++i;
    }
    args.push_back(std::move(arg));
  }
}

}  // namespace strata
