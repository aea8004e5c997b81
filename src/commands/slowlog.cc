#include "commands/slowlog.h"

#include "common/ascii.h"

namespace strata::commands {

std::vector<std::string_view> RedactedArgs(std::span<const std::string_view> args) {
  std::vector<std::string_view> out(args.begin(), args.end());
  if (out.empty()) return out;
  constexpr std::string_view kRedacted = "(redacted)";
  if (AsciiEqualsIgnoreCase(out[0], "auth")) {
    for (size_t i = 1; i < out.size(); ++i) out[i] = kRedacted;
  } else if (AsciiEqualsIgnoreCase(out[0], "hello")) {
    // HELLO [protover [AUTH username password] [SETNAME clientname]]
    for (size_t i = 2; i < out.size(); ++i) {
      if (AsciiEqualsIgnoreCase(out[i], "auth") && i + 2 < out.size()) {
        out[i + 1] = kRedacted;
        out[i + 2] = kRedacted;
        i += 2;
      }
    }
  }
  return out;
}

void SlowLog::Push(std::span<const std::string_view> args, int64_t micros, int64_t unix_seconds,
                   std::string_view addr, std::string_view name, size_t max_len) {
  SlowLogEntry e;
  e.id = next_id_++;
  e.unix_seconds = unix_seconds;
  e.micros = micros;
  const std::vector<std::string_view> shown = RedactedArgs(args);
  const size_t kept = shown.size() > kMaxArgs ? kMaxArgs - 1 : shown.size();
  e.args.reserve(kept + 1);
  for (size_t i = 0; i < kept; ++i) {
    std::string_view a = shown[i];
    if (a.size() <= kMaxArgBytes) {
      e.args.emplace_back(a);
    } else {
      e.args.push_back(std::string(a.substr(0, kMaxArgBytes)) + "... (" +
                       std::to_string(a.size() - kMaxArgBytes) + " more bytes)");
    }
  }
  if (kept < shown.size()) {
    e.args.push_back("... (" + std::to_string(shown.size() - kept) + " more arguments)");
  }
  e.addr = addr;
  e.name = name;
  entries_.push_front(std::move(e));
  Trim(max_len);
}

void SlowLog::Trim(size_t max_len) {
  while (entries_.size() > max_len) entries_.pop_back();
}

}  // namespace strata::commands
