// The latency monitor (LATENCY LATEST|HISTORY|RESET|GRAPH|DOCTOR): per event class ("command",
// "fast-command", "expire-cycle"), the spikes of at least latency-monitor-threshold
// milliseconds, as Redis 7.0 keeps them: one sample per second (the highest), the last 160,
// plus the all-time highest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::commands {

struct LatencySample {
  int64_t unix_seconds = 0;
  int64_t ms = 0;
};

struct LatencyEvent {
  std::deque<LatencySample> samples;  // oldest first
  int64_t max_ms = 0;                 // all time
};

class LatencyMonitor {
 public:
  static constexpr size_t kHistory = 160;

  void Record(std::string_view event, int64_t ms, int64_t unix_seconds);
  // RESET with no names: everything; returns how many event classes were reset.
  size_t Reset(const std::vector<std::string_view>& events);
  const std::map<std::string, LatencyEvent, std::less<>>& events() const { return events_; }
  const LatencyEvent* Find(std::string_view event) const;

 private:
  std::map<std::string, LatencyEvent, std::less<>> events_;
};

}  // namespace strata::commands
