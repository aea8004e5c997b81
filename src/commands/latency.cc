#include "commands/latency.h"

#include <algorithm>

namespace strata::commands {

void LatencyMonitor::Record(std::string_view event, int64_t ms, int64_t unix_seconds) {
  auto it = events_.find(event);
  if (it == events_.end()) it = events_.emplace(std::string(event), LatencyEvent()).first;
  LatencyEvent& e = it->second;
  e.max_ms = std::max(e.max_ms, ms);
  if (!e.samples.empty() && e.samples.back().unix_seconds == unix_seconds) {
    e.samples.back().ms = std::max(e.samples.back().ms, ms);  // one sample per second
    return;
  }
  e.samples.push_back({unix_seconds, ms});
  if (e.samples.size() > kHistory) e.samples.pop_front();
}

size_t LatencyMonitor::Reset(const std::vector<std::string_view>& events) {
  if (events.empty()) {
    const size_t n = events_.size();
    events_.clear();
    return n;
  }
  size_t n = 0;
  for (std::string_view name : events) {
    auto it = events_.find(name);
    if (it == events_.end()) continue;
    events_.erase(it);
    ++n;
  }
  return n;
}

const LatencyEvent* LatencyMonitor::Find(std::string_view event) const {
  auto it = events_.find(event);
  return it == events_.end() ? nullptr : &it->second;
}

}  // namespace strata::commands
