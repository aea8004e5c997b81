#include "commands/info.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>

#include "commands/command_table.h"
#include "common/numbers.h"
#include "types/stream.h"

namespace strata::commands {
namespace {

constexpr std::string_view kRedisVersion = "7.0.15";

std::string Human(uint64_t bytes) {
  char buf[64];
  double b = static_cast<double>(bytes);
  if (b < 1024)
    std::snprintf(buf, sizeof(buf), "%lluB", static_cast<unsigned long long>(bytes));
  else if (b < 1024.0 * 1024)
    std::snprintf(buf, sizeof(buf), "%.2fK", b / 1024);
  else if (b < 1024.0 * 1024 * 1024)
    std::snprintf(buf, sizeof(buf), "%.2fM", b / (1024 * 1024));
  else
    std::snprintf(buf, sizeof(buf), "%.2fG", b / (1024.0 * 1024 * 1024));
  return buf;
}

uint64_t RssBytes() { return ProcessRssBytes(); }

class Writer {
 public:
  void Section(std::string_view name) {
    if (!out_.empty()) out_ += "\r\n";
    out_ += "# ";
    out_ += name;
    out_ += "\r\n";
  }
  void Field(std::string_view name, std::string_view value) {
    out_ += name;
    out_ += ':';
    out_ += value;
    out_ += "\r\n";
  }
  void Field(std::string_view name, uint64_t value) { Field(name, std::to_string(value)); }
  void Field(std::string_view name, int64_t value) { Field(name, std::to_string(value)); }
  void Field(std::string_view name, int value) { Field(name, std::to_string(value)); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

void Server(Writer& w, ServerState& s) {
  const auto& cfg = s.config->values();
  int64_t now = s.clock->NowMs();
  int64_t uptime = (now - s.stats.start_ms) / 1000;
  w.Section("Server");
  w.Field("redis_version", kRedisVersion);
  w.Field("strata_version", STRATA_VERSION);
  w.Field("redis_git_sha1", "00000000");
  w.Field("redis_git_dirty", 0);
  w.Field("redis_mode", "standalone");
  w.Field("strata_profile", config::ProfileName(cfg.profile));
  w.Field("os", "Linux");
  w.Field("arch_bits", 64);
  w.Field("multiplexing_api", "epoll");
  w.Field("process_id", static_cast<int64_t>(getpid()));
  w.Field("tcp_port", s.host ? static_cast<int>(s.host->Port()) : cfg.port);
  w.Field("server_time_usec", s.clock->NowUs());
  w.Field("uptime_in_seconds", uptime);
  w.Field("uptime_in_days", uptime / 86400);
  w.Field("hz", cfg.hz);
  w.Field("configured_hz", cfg.hz);
  w.Field("executable", "strata-server");
  w.Field("config_file", cfg.config_file);
}

void Clients(Writer& w, ServerState& s) {
  w.Section("Clients");
  w.Field("connected_clients", static_cast<uint64_t>(s.host ? s.host->ConnectedClients() : 0));
  w.Field("maxclients", s.config->values().maxclients);
  w.Field("blocked_clients", static_cast<uint64_t>(s.host ? s.host->BlockedClients() : 0));
  w.Field("tracking_clients", static_cast<uint64_t>(s.tracking.clients()));
}

void Memory(Writer& w, ServerState& s) {
  storage::Keyspace& ks = *s.keyspace;
  uint64_t used = ks.UsedMemory();
  uint64_t rss = RssBytes();
  auto policy =
      ks.durable() ? config::EvictionPolicy::kNoEviction : s.config->values().maxmemory_policy;
  w.Section("Memory");
  w.Field("used_memory", used);
  w.Field("used_memory_human", Human(used));
  w.Field("used_memory_rss", rss);
  w.Field("used_memory_rss_human", Human(rss));
  s.stats.peak_memory = std::max(s.stats.peak_memory, used);
  w.Field("used_memory_peak", s.stats.peak_memory);
  w.Field("used_memory_peak_human", Human(s.stats.peak_memory));
  w.Field("used_memory_dataset", ks.HotBytes());
  w.Field("used_memory_warm_tier", ks.WarmMemory());
  // Scripts: Redis 7.0's fields. Functions are not there yet, so theirs are 0.
  const uint64_t lua = s.scripts.memory(), scripts = s.scripts.script_bytes();
  w.Field("used_memory_lua", lua);
  w.Field("used_memory_vm_eval", lua);
  w.Field("used_memory_lua_human", Human(lua));
  w.Field("used_memory_scripts_eval", scripts);
  w.Field("number_of_cached_scripts", static_cast<uint64_t>(s.scripts.scripts()));
  w.Field("number_of_functions", 0);
  w.Field("number_of_libraries", 0);
  w.Field("used_memory_vm_functions", 0);
  w.Field("used_memory_vm_total", lua);
  w.Field("used_memory_vm_total_human", Human(lua));
  w.Field("used_memory_functions", 0);
  w.Field("used_memory_scripts", scripts);
  w.Field("used_memory_scripts_human", Human(scripts));
  w.Field("maxmemory", ks.maxmemory());
  w.Field("maxmemory_human", Human(ks.maxmemory()));
  w.Field("maxmemory_policy", config::EvictionPolicyName(policy));
  char ratio[32];
  std::snprintf(ratio, sizeof(ratio), "%.2f", used ? static_cast<double>(rss) / used : 0.0);
  w.Field("mem_fragmentation_ratio", ratio);
  w.Field("mem_allocator", "libc");
}

void Persistence(Writer& w, ServerState& s) {
  const auto& cfg = s.config->values();
  bool durable = s.keyspace->durable();
  w.Section("Persistence");
  w.Field("loading", 0);
  w.Field("async_loading", 0);
  w.Field("rdb_changes_since_last_save", 0);
  w.Field("rdb_bgsave_in_progress", 0);
  w.Field("rdb_last_save_time", s.stats.last_save_ms / 1000);
  w.Field("rdb_last_bgsave_status", "ok");
  w.Field("aof_enabled", durable ? 1 : 0);
  w.Field("aof_rewrite_in_progress", 0);
  w.Field("aof_last_write_status", s.keyspace->write_error().ok() ? "ok" : "err");
  w.Field("strata_durable", durable ? 1 : 0);
  w.Field("strata_appendfsync", durable ? config::FsyncPolicyName(cfg.appendfsync) : "none");
  if (durable) {
    w.Field("strata_warm_disk_bytes", s.keyspace->warm()->DiskUsage());
    if (const auto* pipeline = s.keyspace->pipeline()) {
      w.Field("strata_commit_batches", pipeline->batches());
      w.Field("strata_wal_syncs", pipeline->syncs());
      w.Field("strata_checkpoints", pipeline->checkpoints_done());
      w.Field("strata_redo_log_bytes", pipeline->log_bytes());
    }
  }
}

void Stats(Writer& w, ServerState& s) {
  const auto& t = s.keyspace->stats();
  w.Section("Stats");
  w.Field("total_connections_received", s.stats.total_connections);
  w.Field("total_commands_processed", s.stats.total_commands);
  w.Field("instantaneous_ops_per_sec", 0);
  w.Field("total_net_input_bytes", s.stats.total_net_input_bytes);
  w.Field("total_net_output_bytes", s.stats.total_net_output_bytes);
  w.Field("rejected_connections", s.stats.rejected_connections);
  w.Field("total_error_replies", s.stats.total_error_replies);
  w.Field("expired_keys", t.expired_keys);
  w.Field("evicted_keys", t.evicted_keys);
  w.Field("keyspace_hits", t.keyspace_hits);
  w.Field("keyspace_misses", t.keyspace_misses);
  w.Field("pubsub_channels", s.pubsub.ChannelCount());
  w.Field("pubsub_patterns", s.pubsub.NumPat());
  w.Field("pubsubshard_channels", s.pubsub.ShardChannelCount());
  w.Field("tracking_total_keys", static_cast<uint64_t>(s.tracking.keys()));
  w.Field("tracking_total_items", static_cast<uint64_t>(s.tracking.items()));
  w.Field("tracking_total_prefixes", static_cast<uint64_t>(s.tracking.prefixes()));
  // Writes of values over big-value-warn (large values cost memory and network on every read).
  w.Field("strata_big_value_writes", t.big_value_writes);
}

void Replication(Writer& w, ServerState&) {
  w.Section("Replication");
  w.Field("role", "master");
  w.Field("connected_slaves", 0);
  w.Field("master_repl_offset", 0);
}

void Cpu(Writer& w, ServerState&) {
  struct rusage self {};
  getrusage(RUSAGE_SELF, &self);
  char buf[64];
  w.Section("CPU");
  std::snprintf(buf, sizeof(buf), "%ld.%06ld", self.ru_stime.tv_sec, self.ru_stime.tv_usec);
  w.Field("used_cpu_sys", buf);
  std::snprintf(buf, sizeof(buf), "%ld.%06ld", self.ru_utime.tv_sec, self.ru_utime.tv_usec);
  w.Field("used_cpu_user", buf);
}

void Keyspace(Writer& w, ServerState& s) {
  storage::Keyspace& ks = *s.keyspace;
  ks.SetCommandTime(s.clock->NowMs());
  w.Section("Keyspace");
  for (int db = 0; db < ks.databases(); ++db) {
    uint64_t keys = ks.KeyCount(db);
    if (keys == 0) continue;
    w.Field("db" + std::to_string(db), "keys=" + std::to_string(keys) +
                                           ",expires=" + std::to_string(ks.ExpireCount(db)) +
                                           ",avg_ttl=" + std::to_string(ks.AverageTtlMs(db)));
  }
}

void Tiers(Writer& w, ServerState& s) {
  storage::Keyspace& ks = *s.keyspace;
  const auto& t = ks.stats();
  w.Section("Tiers");
  w.Field("hot_keys", ks.HotKeys());
  w.Field("hot_bytes", ks.HotBytes());
  w.Field("hot_hits", t.hot_hits);
  w.Field("warm_reads", t.warm_reads);
  w.Field("warm_hits", t.warm_hits);
  w.Field("evicted_hot_copies", t.evicted_copies);
  uint64_t lookups = t.hot_hits + t.warm_reads;
  char ratio[32];
  std::snprintf(ratio, sizeof(ratio), "%.4f",
                lookups ? static_cast<double>(t.hot_hits) / static_cast<double>(lookups) : 1.0);
  w.Field("hot_hit_ratio", ratio);
  w.Field("warm_memory", ks.WarmMemory());
}

// A key or group name as an INFO value: bytes that would break the line's field=value list
// (',', '=', ':', spaces, control bytes, '%') are written as %XX.
std::string InfoEscape(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (c <= ' ' || c >= 0x7f || c == ',' || c == '=' || c == ':' || c == '%') {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Strata's `streams` section: every consumer group's backlog, so a queue can be watched
// without polling XINFO. It walks every stream key, so it is only in INFO streams and
// INFO everything, never in the default sections. At most kMaxGroupLines groups are listed.
void Streams(Writer& w, ServerState& s) {
  constexpr size_t kMaxGroupLines = 1000;
  storage::Keyspace& ks = *s.keyspace;
  ks.SetCommandTime(s.clock->NowMs());
  w.Section("Streams");
  uint64_t streams = 0, groups = 0, pending_total = 0;
  std::vector<std::string> lines;
  for (int db = 0; db < ks.databases(); ++db) {
    if (ks.KeyCount(db) == 0) continue;
    uint64_t cursor = 0;
    do {
      auto page = ks.Scan(db, cursor, 1000, "*", storage::ValueType::kStream);
      if (!page.ok()) return;
      cursor = page->next_cursor;
      for (const std::string& key : page->keys) {
        auto stream = types::Stream::Open(ks, db, key, /*for_write=*/true);
        if (!stream.ok() || !stream->exists()) continue;
        ++streams;
        auto list = stream->Groups();
        if (!list.ok()) continue;
        for (const types::StreamGroup& g : *list) {
          ++groups;
          int64_t pending = 0;
          Status st = stream->ScanPending(g.name, nullptr, types::StreamId{},
                                          types::StreamId::Max(), [&](const auto&) {
                                            ++pending;
                                            return true;
                                          });
          if (!st.ok()) continue;
          pending_total += static_cast<uint64_t>(pending);
          if (lines.size() >= kMaxGroupLines) continue;
          auto consumers = stream->Consumers(g.name);
          std::optional<int64_t> lag = stream->Lag(g);
          lines.push_back("db=" + std::to_string(db) + ",key=" + InfoEscape(key) +
                          ",group=" + InfoEscape(g.name) +
                          ",lag=" + (lag ? std::to_string(*lag) : std::string("unknown")) +
                          ",pending=" + std::to_string(pending) +
                          ",consumers=" + std::to_string(consumers.ok() ? consumers->size() : 0) +
                          ",last_delivered_id=" + g.last_id.ToString());
        }
      }
    } while (cursor != 0);
  }
  w.Field("streams", streams);
  w.Field("stream_groups", groups);
  w.Field("stream_pending", pending_total);
  for (size_t i = 0; i < lines.size(); ++i) w.Field("group" + std::to_string(i), lines[i]);
}

// Not in the default sections, as in Redis.
void CommandStats(Writer& w, ServerState& s) {
  w.Section("Commandstats");
  std::vector<std::pair<std::string_view, ServerStats::CommandStats>> rows;
  for (const auto& [spec, stats] : s.stats.commands) rows.emplace_back(spec->name, stats);
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  char per_call[32];
  for (const auto& [name, c] : rows) {
    if (c.calls == 0 && c.rejected_calls == 0) continue;
    std::snprintf(per_call, sizeof(per_call), "%.2f",
                  c.calls ? static_cast<double>(c.usec) / static_cast<double>(c.calls) : 0.0);
    w.Field("cmdstat_" + std::string(name),
            "calls=" + std::to_string(c.calls) + ",usec=" + std::to_string(c.usec) +
                ",usec_per_call=" + per_call +
                ",rejected_calls=" + std::to_string(c.rejected_calls) +
                ",failed_calls=" + std::to_string(c.failed_calls));
  }
}

void ErrorStats(Writer& w, ServerState& s) {
  w.Section("Errorstats");
  for (const auto& [prefix, count] : s.stats.errors) {
    w.Field("errorstat_" + prefix, "count=" + std::to_string(count));
  }
}

}  // namespace

std::string BuildInfo(ServerState& server, const std::vector<std::string_view>& sections) {
  using Fn = void (*)(Writer&, ServerState&);
  static const std::pair<std::string_view, Fn> kSections[] = {
      {"server", Server}, {"clients", Clients},
      {"memory", Memory}, {"persistence", Persistence},
      {"stats", Stats},   {"replication", Replication},
      {"cpu", Cpu},       {"keyspace", Keyspace},
      {"tiers", Tiers},
  };
  std::set<std::string> wanted;
  bool all = sections.empty();
  for (auto s : sections) {
    std::string lower(s);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "default" || lower == "all" || lower == "everything") all = true;
    if (lower != "default") wanted.insert(lower);
  }
  Writer w;
  for (auto [name, fn] : kSections) {
    if (all || wanted.count(std::string(name))) fn(w, server);
  }
  bool every = wanted.count("all") || wanted.count("everything");
  if (every || wanted.count("commandstats")) CommandStats(w, server);
  if (all || wanted.count("errorstats")) ErrorStats(w, server);
  // Not in the default sections: it walks every stream key.
  if (wanted.count("streams") || wanted.count("everything")) Streams(w, server);
  return w.Take();
}

uint64_t ProcessRssBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace strata::commands
