// LATENCY LATEST | HISTORY | RESET | GRAPH | DOCTOR | HELP over commands/latency.h.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>

#include "commands/command_table.h"
#include "commands/context.h"

namespace strata::commands {
namespace {

void LatencyLatest(CommandContext& ctx) {
  const auto& events = ctx.server.latency.events();
  ctx.reply.ArrayHeader(events.size());
  for (const auto& [name, e] : events) {
    ctx.reply.ArrayHeader(4);
    ctx.reply.Bulk(name);
    ctx.reply.Integer(e.samples.back().unix_seconds);
    ctx.reply.Integer(e.samples.back().ms);
    ctx.reply.Integer(e.max_ms);
  }
}

void LatencyHistory(CommandContext& ctx) {
  const LatencyEvent* e = ctx.server.latency.Find(ctx.arg(2));
  if (e == nullptr) return ctx.reply.ArrayHeader(0);
  ctx.reply.ArrayHeader(e->samples.size());
  for (const LatencySample& s : e->samples) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(s.unix_seconds);
    ctx.reply.Integer(s.ms);
  }
}

void LatencyReset(CommandContext& ctx) {
  std::vector<std::string_view> names(ctx.args.begin() + 2, ctx.args.end());
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.latency.Reset(names)));
}

std::string Clock(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
  return buf;
}

// One row per sample, a bar as long as the sample relative to the highest.
void LatencyGraph(CommandContext& ctx) {
  const LatencyEvent* e = ctx.server.latency.Find(ctx.arg(2));
  if (e == nullptr || e->samples.empty()) {
    return ctx.reply.Error("ERR No samples available for event '" + std::string(ctx.arg(2)) + "'");
  }
  int64_t high = 0, low = INT64_MAX;
  for (const LatencySample& s : e->samples) {
    high = std::max(high, s.ms);
    low = std::min(low, s.ms);
  }
  std::string out = std::string(ctx.arg(2)) + " - high " + std::to_string(high) + " ms, low " +
                    std::to_string(low) + " ms (all time high " + std::to_string(e->max_ms) +
                    " ms)\n";
  constexpr int kWidth = 50;
  for (const LatencySample& s : e->samples) {
    const int bar = high == 0 ? 0 : static_cast<int>((s.ms * kWidth + high - 1) / high);
    out += Clock(s.unix_seconds) + " " + std::string(static_cast<size_t>(bar), '#') + " " +
           std::to_string(s.ms) + " ms\n";
  }
  ctx.reply.Verbatim(out);
}

void LatencyDoctor(CommandContext& ctx) {
  const int64_t threshold = ctx.server.config->values().latency_monitor_threshold;
  const auto& events = ctx.server.latency.events();
  std::string out;
  if (events.empty()) {
    out = threshold == 0
              ? "The latency monitor is off (latency-monitor-threshold 0): set it to a number "
                "of milliseconds to record spikes at least that long.\n"
              : "No spike of " + std::to_string(threshold) +
                    " ms or more has been recorded since the monitor was started or reset.\n";
    return ctx.reply.Verbatim(out);
  }
  out = "Spikes of at least " + std::to_string(threshold) + " ms, by event:\n";
  for (const auto& [name, e] : events) {
    out += "* " + name + ": spikes in " + std::to_string(e.samples.size()) +
           (e.samples.size() == 1 ? " second" : " seconds") + ", the latest " +
           std::to_string(e.samples.back().ms) + " ms at " + Clock(e.samples.back().unix_seconds) +
           ", the highest " + std::to_string(e.max_ms) + " ms.";
    if (name == "command") {
      out +=
          " Slow commands: SLOWLOG GET names them; O(N) commands on big keys (KEYS, "
          "SMEMBERS, HGETALL, ZRANGE 0 -1...) are the usual cause.";
    } else if (name == "fast-command") {
      out +=
          " O(1) commands took milliseconds: the machine may be overloaded, swapping, or "
          "sharing its CPU.";
    } else if (name == "expire-cycle") {
      out +=
          " Removing expired keys took long: many keys were set to expire at the same time; "
          "spreading their TTLs helps.";
    }
    out += "\n";
  }
  ctx.reply.Verbatim(out);
}

// Per command: its calls and the cumulative count of calls that took at most 1, 2, 4... us,
// up to the bucket that holds them all (Redis labels its buckets by its own HDR histogram's
// boundaries, which drift from powers of two past 16 us; these are exact powers of two).
void LatencyHistogram(CommandContext& ctx) {
  std::vector<std::pair<std::string_view, const ServerStats::CommandStats*>> rows;
  const CommandTable& table = CommandTable::Get();
  auto add = [&](const CommandSpec* spec) {
    auto it = ctx.server.stats.commands.find(spec);
    if (it == ctx.server.stats.commands.end() || it->second.calls == 0) return;
    for (const auto& [name, row] : rows) {
      if (name == spec->name) return;
    }
    rows.emplace_back(spec->name, &it->second);
  };
  if (ctx.argc() == 2) {
    for (const auto& [spec, stats] : ctx.server.stats.commands) add(spec);
    std::sort(rows.begin(), rows.end());
  } else {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      std::string_view name = ctx.arg(i);
      const size_t bar = name.find('|');
      const CommandSpec* spec = table.Find(name.substr(0, bar));
      if (spec != nullptr && bar != std::string_view::npos) {
        spec = table.FindSub(*spec, name.substr(bar + 1));
      }
      if (spec != nullptr) add(spec);
    }
  }
  ctx.reply.MapHeader(rows.size());
  for (const auto& [name, stats] : rows) {
    ctx.reply.Bulk(name);
    ctx.reply.MapHeader(2);
    ctx.reply.Bulk("calls");
    ctx.reply.Integer(static_cast<int64_t>(stats->calls));
    ctx.reply.Bulk("histogram_usec");
    size_t last = 0;
    for (size_t k = 0; k < stats->latency_buckets.size(); ++k) {
      if (stats->latency_buckets[k] != 0) last = k;
    }
    ctx.reply.MapHeader(last + 1);
    uint64_t cumulative = 0;
    for (size_t k = 0; k <= last; ++k) {
      cumulative += stats->latency_buckets[k];
      ctx.reply.Integer(int64_t{1} << k);
      ctx.reply.Integer(static_cast<int64_t>(cumulative));
    }
  }
}

void LatencyHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    What the recorded spikes suggest, in words.",
      "GRAPH <event>",
      "    The <event> class's samples as a text bar chart.",
      "HISTORY <event>",
      "    The <event> class's samples: [unix time, milliseconds] pairs.",
      "LATEST",
      "    Each event class's latest sample and all-time highest.",
      "RESET [<event> ...]",
      "    Forgets the samples of the named event classes (all of them without names).",
      "HISTOGRAM [<command> ...]",
      "    Per command (all of them without names): its calls, and how many took at most",
      "    1, 2, 4... microseconds.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

void RegisterLatencyCommands(CommandTable& t) {
  constexpr uint32_t kFlags = kAdmin | kNoScript | kLoading | kStale;
  constexpr uint32_t kAcl = kAclAdmin | kAclSlow | kAclDangerous;
  t.Add({.name = "latency",
         .arity = -2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = nullptr,
         .group = "server",
         .since = "2.8.13",
         .summary = "A container for latency diagnostics commands.",
         .complexity = "Depends on subcommand."});
  t.Add({.name = "latency|latest",
         .arity = 2,
         .flags = kFlags,
         .acl = kAcl,
         .keys = {},
         .handler = LatencyLatest,
         .group = "server",
         .since = "2.8.13",
         .summary = "Returns the latest latency samples for all events.",
         .complexity = "O(1)"});
  t.Add({.name = "latency|history",
         .arity = 3,
         .flags = kFlags,
         .acl = kAcl,
         .keys = {},
         .handler = LatencyHistory,
         .group = "server",
         .since = "2.8.13",
         .summary = "Returns timestamp-latency samples for an event.",
         .complexity = "O(1)"});
  t.Add({.name = "latency|reset",
         .arity = -2,
         .flags = kFlags,
         .acl = kAcl,
         .keys = {},
         .handler = LatencyReset,
         .group = "server",
         .since = "2.8.13",
         .summary = "Resets the latency data for one or more events.",
         .complexity = "O(1)"});
  t.Add({.name = "latency|graph",
         .arity = 3,
         .flags = kFlags,
         .acl = kAcl,
         .keys = {},
         .handler = LatencyGraph,
         .group = "server",
         .since = "2.8.13",
         .summary = "Returns a latency graph for an event.",
         .complexity = "O(1)"});
  t.Add({.name = "latency|doctor",
         .arity = 2,
         .flags = kFlags,
         .acl = kAcl,
         .keys = {},
         .handler = LatencyDoctor,
         .group = "server",
         .since = "2.8.13",
         .summary = "Returns a human-readable latency analysis report.",
         .complexity = "O(1)"});
  t.Add({.name = "latency|histogram",
         .arity = -2,
         .flags = kFlags,
         .acl = kAcl,
         .keys = {},
         .handler = LatencyHistogram,
         .group = "server",
         .since = "7.0.0",
         .summary = "Returns the cumulative distribution of latencies of a subset or all commands.",
         .complexity =
             "O(N) where N is the number of commands with latency information being retrieved."});
  t.Add({.name = "latency|help",
         .arity = 2,
         .flags = kLoading | kStale,
         .acl = kAclSlow,
         .keys = {},
         .handler = LatencyHelp,
         .group = "server",
         .since = "2.8.13",
         .summary = "Returns helpful text about the different subcommands.",
         .complexity = "O(1)"});
}

}  // namespace strata::commands
