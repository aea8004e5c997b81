#include "commands/arg_parser.h"

#include "commands/errors.h"
#include "common/ascii.h"
#include "common/numbers.h"

namespace strata::commands {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return AsciiEqualsIgnoreCase(a, b);
}

bool ArgParser::Flag(std::string_view word) {
  if (!HasMore() || !EqualsIgnoreCase(args_[pos_], word)) return false;
  ++pos_;
  return true;
}

std::string_view ArgParser::Next() {
  if (!HasMore()) {
    SyntaxError();
    return {};
  }
  return args_[pos_++];
}

int64_t ArgParser::Int() {
  if (!HasMore()) {
    SyntaxError();
    return 0;
  }
  auto v = ParseInt64(args_[pos_++]);
  if (!v) {
    Fail(errors::kNotInteger);
    return 0;
  }
  return *v;
}

double ArgParser::Double() {
  if (!HasMore()) {
    SyntaxError();
    return 0;
  }
  auto v = ParseDouble(args_[pos_++]);
  if (!v) {
    Fail(errors::kNotFloat);
    return 0;
  }
  return *v;
}

}  // namespace strata::commands
