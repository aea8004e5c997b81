// MONITOR: every command the server runs, streamed to the clients that asked, as Redis 7.0
// streams it: after the command ran (so SELECT shows its new database and EXEC follows the
// commands it ran), one "+<seconds>.<micros> [<db> <addr>] "arg" ..." line per command, with
// arguments quoted and escaped, credentials redacted (slowlog.h), and neither administrative
// commands nor those flagged skip_monitor shown.
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>

namespace strata::commands {

struct Session;

class Monitors {
 public:
  void Add(Session& s);
  void Remove(Session& s);  // also when it disconnects; no-op if it is not monitoring
  bool empty() const { return ids_.empty(); }
  const std::set<uint64_t>& ids() const { return ids_; }

 private:
  std::set<uint64_t> ids_;
};

// The line MONITOR clients receive for a command (a RESP simple string, CRLF included).
std::string MonitorLine(int64_t unix_micros, int db, std::string_view addr,
                        std::span<const std::string_view> args);

// An argument as Redis quotes it in MONITOR output: "..." with \\ \" \n \r \t \a \b escaped
// and other bytes outside printable ASCII as \xHH.
void AppendQuoted(std::string* out, std::string_view arg);

}  // namespace strata::commands
