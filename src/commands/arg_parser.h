// Sequential argument parsing that records the first error and reports it once, so a
// handler reads as a straight line:
//
//   ArgParser p(ctx.args, 3);
//   while (p.HasMore()) {
//     if (p.Flag("NX")) nx = true;
//     else if (p.Flag("EX")) ex = p.Int();
//     else p.SyntaxError();
//   }
//   if (!p.ok()) return ctx.reply.Error(p.error());
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace strata::commands {

class ArgParser {
 public:
  ArgParser(std::span<const std::string_view> args, size_t start) : args_(args), pos_(start) {}

  bool HasMore() const { return ok() && pos_ < args_.size(); }
  size_t remaining() const { return pos_ < args_.size() ? args_.size() - pos_ : 0; }
  size_t pos() const { return pos_; }

  // Consumes the next argument if it equals `word`, case-insensitively.
  bool Flag(std::string_view word);
  // Consumes and returns the next argument; records a syntax error if there is none.
  std::string_view Next();
  // The next argument as a strict int64 ("ERR value is not an integer or out of range").
  int64_t Int();
  // The next argument as a double ("ERR value is not a valid float").
  double Double();

  void SyntaxError() { Fail("ERR syntax error"); }
  void Fail(std::string_view error) {
    if (error_.empty()) error_ = error;
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  std::span<const std::string_view> args_;
  size_t pos_;
  std::string error_;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace strata::commands
