#include "protocol/resp_parser.h"

#include <cstring>

#include "common/numbers.h"
#include "common/split_args.h"

namespace strata::protocol {
namespace {

// Finds "\r\n" at or after `from`; returns npos when absent.
size_t FindCrlf(std::string_view s, size_t from) {
  while (from < s.size()) {
    const void* p = std::memchr(s.data() + from, '\r', s.size() - from);
    if (p == nullptr) return std::string_view::npos;
    size_t i = static_cast<const char*>(p) - s.data();
    if (i + 1 >= s.size()) return std::string_view::npos;
    if (s[i + 1] == '\n') return i;
    from = i + 1;
  }
  return std::string_view::npos;
}

// Redis parses these lengths with string2ll: the same strict rules as ParseInt64. Short plain
// numbers (almost every length) take the fast path.
bool ParseLength(std::string_view s, int64_t* out) {
  if (!s.empty() && s.size() <= 9 && s[0] >= '1' && s[0] <= '9') {
    int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  }
  auto v = ParseInt64(s);
  if (!v) return false;
  *out = *v;
  return true;
}

}  // namespace

void RequestParser::Reset() {
  in_multibulk_ = false;
  expected_args_ = 0;
  pos_ = 0;
  arg_spans_.clear();
  bytes_wanted_ = 0;
}

RequestParser::Result RequestParser::Fail(std::string msg) {
  error_ = std::move(msg);
  Reset();
  return Result::kError;
}

RequestParser::Result RequestParser::Parse(std::string_view input, size_t* consumed,
                                           std::vector<std::string_view>* args) {
  *consumed = 0;
  args->clear();
  inline_storage_.clear();
  if (input.empty()) return Result::kNeedMore;
  if (in_multibulk_ || input[0] == '*') return ParseMultibulk(input, consumed, args);
  return ParseInline(input, consumed, args);
}

RequestParser::Result RequestParser::ParseMultibulk(std::string_view input, size_t* consumed,
                                                    std::vector<std::string_view>* args) {
  if (!in_multibulk_) {
    size_t eol = FindCrlf(input, 0);
    if (eol == std::string_view::npos) {
      if (input.size() > limits_.max_inline_len) {
        return Fail("Protocol error: too big mbulk count string");
      }
      return Result::kNeedMore;
    }
    int64_t n = 0;
    if (!ParseLength(input.substr(1, eol - 1), &n) || n > limits_.max_multibulk_len) {
      return Fail("Protocol error: invalid multibulk length");
    }
    if (n <= 0) {  // "*0" and "*-1" are empty requests: skip them
      *consumed = eol + 2;
      Reset();
      return Result::kCommand;
    }
    in_multibulk_ = true;
    expected_args_ = n;
    pos_ = eol + 2;
    // Reserve for a sane number of arguments only: the count comes from the network.
    arg_spans_.reserve(static_cast<size_t>(n < 1024 ? n : 1024));
  }
  while (static_cast<int64_t>(arg_spans_.size()) < expected_args_) {
    if (pos_ >= input.size()) return Result::kNeedMore;
    if (input[pos_] != '$') {
      return Fail(std::string("Protocol error: expected '$', got '") + input[pos_] + "'");
    }
    size_t eol = FindCrlf(input, pos_);
    if (eol == std::string_view::npos) {
      if (input.size() - pos_ > limits_.max_inline_len) {
        return Fail("Protocol error: too big bulk count string");
      }
      return Result::kNeedMore;
    }
    int64_t len = 0;
    if (!ParseLength(input.substr(pos_ + 1, eol - pos_ - 1), &len) || len < 0 ||
        len > limits_.max_bulk_len) {
      return Fail("Protocol error: invalid bulk length");
    }
    size_t start = eol + 2;
    size_t end = start + static_cast<size_t>(len);
    if (end + 2 > input.size()) {
      bytes_wanted_ = end + 2 - input.size();
      return Result::kNeedMore;
    }
    bytes_wanted_ = 0;
    // Redis does not check the two bytes after a bulk; it skips them. So do we.
    arg_spans_.emplace_back(start, static_cast<size_t>(len));
    pos_ = end + 2;
  }
  args->reserve(arg_spans_.size());
  for (auto [off, len] : arg_spans_) args->emplace_back(input.data() + off, len);
  *consumed = pos_;
  Reset();
  return Result::kCommand;
}

RequestParser::Result RequestParser::ParseInline(std::string_view input, size_t* consumed,
                                                 std::vector<std::string_view>* args) {
  const void* nl = std::memchr(input.data(), '\n', input.size());
  if (nl == nullptr) {
    if (input.size() > limits_.max_inline_len) {
      return Fail("Protocol error: too big inline request");
    }
    return Result::kNeedMore;
  }
  size_t eol = static_cast<const char*>(nl) - input.data();
  std::string_view line = input.substr(0, eol);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  auto split = SplitQuotedArgs(line);
  if (!split) return Fail("Protocol error: unbalanced quotes in request");
  inline_storage_ = std::move(*split);
  for (const std::string& a : inline_storage_) args->emplace_back(a);
  *consumed = eol + 1;
  return Result::kCommand;
}

}  // namespace strata::protocol
