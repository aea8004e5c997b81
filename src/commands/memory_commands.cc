// MEMORY STATS | DOCTOR | MALLOC-STATS | PURGE | HELP (MEMORY USAGE is in object_commands.cc).
//
// MEMORY STATS has Redis 7.0's fields in Redis's order, filled from what Strata measures:
// total.allocated is used_memory (heap at start, hot tier, RocksDB's memtables and caches,
// client buffers), startup.allocated the heap at start, the per-database overhead each hot
// table's bucket array; the allocator fields come from glibc's mallinfo2 and the process RSS.
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/info.h"

namespace strata::commands {
namespace {

struct Sizes {
  uint64_t total = 0, startup = 0, peak = 0, clients = 0, keys = 0, overhead = 0;
  uint64_t allocated = 0, active = 0, resident = 0;
};

Sizes Measure(ServerState& s) {
  storage::Keyspace& ks = *s.keyspace;
  Sizes z;
  z.total = ks.UsedMemory();
  s.stats.peak_memory = std::max(s.stats.peak_memory, z.total);
  z.peak = s.stats.peak_memory;
  z.startup = ks.StartupBytes();
  z.clients = ks.ExternalBytes();
  z.overhead = z.startup + z.clients;
  for (int db = 0; db < ks.databases(); ++db) {
    z.keys += ks.KeyCount(db);
    if (ks.KeyCount(db) != 0) z.overhead += ks.TableOverhead(db);
  }
  struct mallinfo2 mi = mallinfo2();
  z.allocated = mi.uordblks + mi.hblkhd;
  z.active = mi.arena + mi.hblkhd;
  z.resident = ProcessRssBytes();
  return z;
}

double Ratio(uint64_t a, uint64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; }
int64_t Diff(uint64_t a, uint64_t b) { return static_cast<int64_t>(a) - static_cast<int64_t>(b); }

void MemoryStats(CommandContext& ctx) {
  storage::Keyspace& ks = ctx.ks();
  const Sizes z = Measure(ctx.server);
  int nonempty = 0;
  for (int db = 0; db < ks.databases(); ++db) nonempty += ks.KeyCount(db) != 0;
  protocol::ReplyBuilder& r = ctx.reply;
  r.MapHeader(27 + static_cast<size_t>(nonempty));  // the fields below, and db.N
  auto field = [&](std::string_view name, int64_t v) {
    r.Bulk(name);
    r.Integer(v);
  };
  auto real = [&](std::string_view name, double v) {
    r.Bulk(name);
    r.Double(v);
  };
  field("peak.allocated", static_cast<int64_t>(z.peak));
  field("total.allocated", static_cast<int64_t>(z.total));
  field("startup.allocated", static_cast<int64_t>(z.startup));
  field("replication.backlog", 0);
  field("clients.slaves", 0);
  field("clients.normal", static_cast<int64_t>(z.clients));
  field("cluster.links", 0);
  field("aof.buffer", 0);
  field("lua.caches", 0);
  field("functions.caches", 0);
  for (int db = 0; db < ks.databases(); ++db) {
    if (ks.KeyCount(db) == 0) continue;
    r.Bulk("db." + std::to_string(db));
    r.MapHeader(3);
    field("overhead.hashtable.main", static_cast<int64_t>(ks.TableOverhead(db)));
    field("overhead.hashtable.expires", 0);  // expiry lives in each entry, not a second table
    field("overhead.hashtable.slot-to-keys", 0);
  }
  const uint64_t net = z.total > z.startup ? z.total - z.startup : 0;
  const uint64_t dataset = z.total > z.overhead ? z.total - z.overhead : 0;
  field("overhead.total", static_cast<int64_t>(z.overhead));
  field("keys.count", static_cast<int64_t>(z.keys));
  field("keys.bytes-per-key", z.keys == 0 ? 0 : static_cast<int64_t>(net / z.keys));
  field("dataset.bytes", static_cast<int64_t>(dataset));
  real("dataset.percentage", 100.0 * Ratio(dataset, net));
  real("peak.percentage", 100.0 * Ratio(z.total, z.peak));
  field("allocator.allocated", static_cast<int64_t>(z.allocated));
  field("allocator.active", static_cast<int64_t>(z.active));
  field("allocator.resident", static_cast<int64_t>(z.resident));
  real("allocator-fragmentation.ratio", Ratio(z.active, z.allocated));
  field("allocator-fragmentation.bytes", Diff(z.active, z.allocated));
  real("allocator-rss.ratio", Ratio(z.resident, z.active));
  field("allocator-rss.bytes", Diff(z.resident, z.active));
  real("rss-overhead.ratio", 1.0);  // the allocator's resident set is the process's here
  field("rss-overhead.bytes", 0);
  real("fragmentation", Ratio(z.resident, z.total));
  field("fragmentation.bytes", Diff(z.resident, z.total));
}

// What an operator should look at, in plain words; nothing when the instance is small.
void MemoryDoctor(CommandContext& ctx) {
  const Sizes z = Measure(ctx.server);
  constexpr uint64_t kSmall = 5 << 20;
  std::string report;
  if (z.total < kSmall) {
    report =
        "This instance holds less than 5 MB; there is nothing to diagnose yet. Ask again once it "
        "holds data.\n";
    return ctx.reply.Verbatim(report);
  }
  auto mb = [](uint64_t b) { return std::to_string(b >> 20) + " MB"; };
  if (z.peak > z.total + z.total / 2) {
    report += "* Peak memory: the peak (" + mb(z.peak) + ") is over 150% of what is in use now (" +
              mb(z.total) + "); memory freed since may not have returned to the system (MEMORY " +
              "PURGE asks the allocator to give it back).\n";
  }
  if (z.resident > z.total + z.total / 2 && z.resident - z.total > (10u << 20)) {
    report += "* Fragmentation: the process holds " + mb(z.resident) + " for " + mb(z.total) +
              " in use. Many keys deleted after a peak leave holes the allocator cannot return.\n";
  }
  if (z.clients > z.total / 4) {
    report += "* Client buffers: " + mb(z.clients) +
              " sit in client input and output buffers (CLIENT LIST shows qbuf and omem per " +
              "client); a slow reader or a huge pipeline holds them.\n";
  }
  storage::Keyspace& ks = ctx.ks();
  if (ks.maxmemory() == 0 && ks.profile() == config::Profile::kCache) {
    report +=
        "* No maxmemory: a cache without a limit grows until the machine runs out; set "
        "maxmemory and an eviction policy.\n";
  }
  if (report.empty()) {
    report = "No memory problems found: peak, fragmentation and client buffers look sane.\n";
  }
  ctx.reply.Verbatim(report);
}

void MemoryMallocStats(CommandContext& ctx) {
  ctx.reply.Verbatim("Stats not supported for the current allocator");
}

void MemoryPurge(CommandContext& ctx) {
  malloc_trim(0);
  ctx.reply.Ok();
}

void MemoryHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "MALLOC-STATS",
      "    Return internal statistics report from the memory allocator.",
      "PURGE",
      "    Attempt to purge dirty pages for reclamation by the allocator.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

void RegisterMemoryCommands(CommandTable& t) {
  t.Add({.name = "memory|stats",
         .arity = 2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = MemoryStats,
         .group = "server",
         .since = "4.0.0",
         .summary = "Returns details about memory usage.",
         .complexity = "O(1)"});
  t.Add({.name = "memory|doctor",
         .arity = 2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = MemoryDoctor,
         .group = "server",
         .since = "4.0.0",
         .summary = "Outputs a memory problems report.",
         .complexity = "O(1)"});
  t.Add({.name = "memory|malloc-stats",
         .arity = 2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = MemoryMallocStats,
         .group = "server",
         .since = "4.0.0",
         .summary = "Returns the allocator statistics.",
         .complexity = "Depends on how much memory is allocated, could be slow"});
  t.Add({.name = "memory|purge",
         .arity = 2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = MemoryPurge,
         .group = "server",
         .since = "4.0.0",
         .summary = "Asks the allocator to release memory.",
         .complexity = "Depends on how much memory is allocated, could be slow"});
  t.Add({.name = "memory|help",
         .arity = 2,
         .flags = kLoading | kStale,
         .acl = kAclSlow,
         .keys = {},
         .handler = MemoryHelp,
         .group = "server",
         .since = "4.0.0",
         .summary = "Returns helpful text about the different subcommands.",
         .complexity = "O(1)"});
}

}  // namespace strata::commands
