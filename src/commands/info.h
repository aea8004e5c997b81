// INFO: the sections Redis has (server, clients, memory, persistence, stats, replication,
// cpu, keyspace) with Redis's field names, plus Strata's `tiers` section, and its `streams`
// section (each consumer group's lag and pending count) when asked for by name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/context.h"

namespace strata::commands {

// `sections` as given to INFO (empty = the default sections). Unknown names are ignored,
// as Redis does.
std::string BuildInfo(ServerState& server, const std::vector<std::string_view>& sections);

// The process's resident set size, in bytes (from /proc/self/statm).
uint64_t ProcessRssBytes();

}  // namespace strata::commands
