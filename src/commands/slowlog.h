// The slow log: the latest commands that ran longer than slowlog-log-slower-than, as Redis
// keeps it (SLOWLOG GET|LEN|RESET). In memory only; ids restart with the server.
//
// What an entry keeps is what Redis 7.0 keeps: at most kMaxArgs arguments (the last of them
// then says how many more there were), each cut to kMaxArgBytes (with how many more bytes),
// AUTH's arguments and HELLO's AUTH credentials replaced by "(redacted)".
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::commands {

struct SlowLogEntry {
  uint64_t id = 0;
  int64_t unix_seconds = 0;
  int64_t micros = 0;
  std::vector<std::string> args;
  std::string addr;  // client "ip:port"
  std::string name;  // client name, "" if none
};

class SlowLog {
 public:
  static constexpr size_t kMaxArgs = 32;
  static constexpr size_t kMaxArgBytes = 128;

  // Records a command that took `micros`, newest first, keeping at most `max_len` entries.
  void Push(std::span<const std::string_view> args, int64_t micros, int64_t unix_seconds,
            std::string_view addr, std::string_view name, size_t max_len);
  void Reset() { entries_.clear(); }
  // After CONFIG SET slowlog-max-len: drops the oldest past the new length.
  void Trim(size_t max_len);
  size_t size() const { return entries_.size(); }
  const std::deque<SlowLogEntry>& entries() const { return entries_; }  // newest first

 private:
  std::deque<SlowLogEntry> entries_;
  uint64_t next_id_ = 0;
};

// The arguments as the slow log (and MONITOR) may show them: credentials redacted. Views of
// `args` (or of a constant), valid as long as `args` is.
std::vector<std::string_view> RedactedArgs(std::span<const std::string_view> args);

}  // namespace strata::commands
