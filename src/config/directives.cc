#include "config/directives.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstdint>
#include <limits>
#include <span>

#include "common/ascii.h"
#include "common/numbers.h"
#include "config/keyspace_events.h"

namespace strata::config::internal {
namespace {

constexpr bool kMutable = true;
constexpr bool kImmutable = false;

// Redis's limit; more addresses than this is almost certainly a mistake in the file.
constexpr size_t kMaxBindAddresses = 16;
// Redis accepts any hz and then clamps it into this range rather than refusing.
constexpr int kMinHz = 1;
constexpr int kMaxHz = 500;

bool EqualsNoCase(std::string_view a, std::string_view b) { return AsciiEqualsIgnoreCase(a, b); }

std::string Join(std::span<const std::string_view> items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(items[i]);
  }
  return out;
}

std::string ChoiceRefusal(std::span<const std::string_view> names) {
  return "argument(s) must be one of the following: " + Join(names, ", ");
}

std::string RangeRefusal(std::string_view min, std::string_view max) {
  return "argument must be between " + std::string(min) + " and " + std::string(max) + " inclusive";
}

std::optional<int64_t> ParseInteger(std::string_view s) { return ParseInt64(s); }

// ParseMemorySize reads "0100" as 0 (its strict integer parser refuses leading zeros), while
// Redis reads it as 100; dropping the zeros first gives Redis's answer.
std::optional<uint64_t> ParseMemory(std::string_view s) {
  while (s.size() > 1 && s[0] == '0' && std::isdigit(static_cast<unsigned char>(s[1]))) {
    s.remove_prefix(1);
  }
  return ParseMemorySize(s);
}

std::optional<bool> ParseYesNo(std::string_view s) {
  if (EqualsNoCase(s, "yes")) return true;
  if (EqualsNoCase(s, "no")) return false;
  return std::nullopt;
}

const char* YesNo(bool b) { return b ? "yes" : "no"; }

// The orders below are the ones Redis lists in its error messages.
constexpr std::array kEvictionOrder = {
    EvictionPolicy::kVolatileLru,   EvictionPolicy::kVolatileLfu, EvictionPolicy::kVolatileRandom,
    EvictionPolicy::kVolatileTtl,   EvictionPolicy::kAllKeysLru,  EvictionPolicy::kAllKeysLfu,
    EvictionPolicy::kAllKeysRandom, EvictionPolicy::kNoEviction,
};
constexpr std::array kFsyncOrder = {FsyncPolicy::kEverySec, FsyncPolicy::kAlways, FsyncPolicy::kNo};
constexpr std::array kProfileOrder = {Profile::kCache, Profile::kSession, Profile::kQueue};
constexpr std::array<std::string_view, 4> kLogLevels = {"debug", "verbose", "notice", "warning"};
constexpr std::array<std::string_view, 4> kSupervisedModes = {"upstart", "systemd", "auto", "no"};

template <typename E, size_t N>
Directive EnumDirective(std::string_view name, bool mut, E ServerConfig::*field,
                        const std::array<E, N>& order, std::string_view (*name_of)(E)) {
  return Directive{
      name,
      mut,
      1,
      1,
      [field, &order, name_of](const std::vector<std::string>& args, Origin,
                               ServerConfig& cfg) -> Refusal {
        for (E value : order) {
          if (EqualsNoCase(args[0], name_of(value))) {
            cfg.*field = value;
            return std::nullopt;
          }
        }
        std::array<std::string_view, N> names;
        for (size_t i = 0; i < N; ++i) names[i] = name_of(order[i]);
        return ChoiceRefusal(names);
      },
      [field, name_of](const ServerConfig& cfg) { return std::string(name_of(cfg.*field)); }};
}

// An integer directive stored as `T` (int or int64_t). Values above T's maximum that Redis's
// range admits (maxclients) are stored as that maximum: no server reaches that many of
// anything.
template <typename T>
Directive IntDirective(std::string_view name, bool mut, T ServerConfig::*field, int64_t min,
                       int64_t max) {
  return Directive{name,
                   mut,
                   1,
                   1,
                   [field, min, max](const std::vector<std::string>& args, Origin,
                                     ServerConfig& cfg) -> Refusal {
                     auto v = ParseInteger(args[0]);
                     if (!v) return "argument couldn't be parsed into an integer";
                     if (*v < min || *v > max)
                       return RangeRefusal(FormatInt64(min), FormatInt64(max));
                     cfg.*field =
                         static_cast<T>(std::min<int64_t>(*v, std::numeric_limits<T>::max()));
                     return std::nullopt;
                   },
                   [field](const ServerConfig& cfg) { return FormatInt64(cfg.*field); }};
}

// A byte count written with memory units; reported back as plain bytes.
template <typename T>
Directive MemoryDirective(std::string_view name, bool mut, T ServerConfig::*field, uint64_t min,
                          uint64_t max) {
  return Directive{name,
                   mut,
                   1,
                   1,
                   [field, min, max](const std::vector<std::string>& args, Origin,
                                     ServerConfig& cfg) -> Refusal {
                     auto v = ParseMemory(args[0]);
                     if (!v) return "argument must be a memory value";
                     if (*v < min || *v > max) {
                       return RangeRefusal(std::to_string(min), std::to_string(max));
                     }
                     cfg.*field = static_cast<T>(*v);
                     return std::nullopt;
                   },
                   [field](const ServerConfig& cfg) { return std::to_string(cfg.*field); },
                   /*memory=*/true};
}

Directive BoolDirective(std::string_view name, bool mut, bool ServerConfig::*field) {
  return Directive{
      name,
      mut,
      1,
      1,
      [field](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
        auto v = ParseYesNo(args[0]);
        if (!v) return "argument must be 'yes' or 'no'";
        cfg.*field = *v;
        return std::nullopt;
      },
      [field](const ServerConfig& cfg) { return std::string(YesNo(cfg.*field)); }};
}

Directive StringDirective(std::string_view name, bool mut, std::string ServerConfig::*field) {
  return Directive{
      name,
      mut,
      1,
      1,
      [field](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
        cfg.*field = args[0];
        return std::nullopt;
      },
      [field](const ServerConfig& cfg) { return cfg.*field; }};
}

Directive BindDirective() {
  return Directive{"bind",
                   kImmutable,
                   1,
                   kAnyNumberOfArgs,
                   [](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
                     if (args.size() > kMaxBindAddresses)
                       return "Too many bind addresses specified.";
                     for (const auto& a : args) {
                       if (a.empty() || a == "-") return "bind addresses can't be empty";
                     }
                     cfg.bind = args;
                     return std::nullopt;
                   },
                   [](const ServerConfig& cfg) {
                     std::vector<std::string_view> views(cfg.bind.begin(), cfg.bind.end());
                     return Join(views, " ");
                   }};
}

Directive DirDirective() {
  return Directive{"dir",
                   kImmutable,
                   1,
                   1,
                   [](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
                     // The server creates and enters the directory later; only an empty name is
                     // certainly wrong now.
                     if (args[0].empty()) return "No such file or directory";
                     cfg.dir = args[0];
                     return std::nullopt;
                   },
                   [](const ServerConfig& cfg) { return cfg.dir; }};
}

// `save seconds changes [seconds changes ...]`. Strata writes no snapshots; the value is kept
// only so that CONFIG GET save answers what the file said.
Directive SaveDirective() {
  return Directive{
      "save",
      kMutable,
      1,
      kAnyNumberOfArgs,
      [](const std::vector<std::string>& args, Origin origin, ServerConfig& cfg) -> Refusal {
        if (args.size() == 1 && args[0].empty()) {
          cfg.save.clear();
          return std::nullopt;
        }
        if (args.size() % 2 != 0) return "Invalid save parameters";
        std::string normalized;
        for (size_t i = 0; i < args.size(); ++i) {
          auto v = ParseInteger(args[i]);
          const int64_t lowest = i % 2 == 0 ? 1 : 0;  // at least 1 second, any number of changes
          if (!v || *v < lowest) return "Invalid save parameters";
          if (!normalized.empty()) normalized.push_back(' ');
          normalized.append(FormatInt64(*v));
        }
        if (origin == Origin::kFile && !cfg.save.empty()) {
          cfg.save += " " + normalized;
        } else {
          cfg.save = std::move(normalized);
        }
        return std::nullopt;
      },
      [](const ServerConfig& cfg) { return cfg.save; }};
}

Directive LogLevelDirective() {
  return Directive{"loglevel",
                   kMutable,
                   1,
                   1,
                   [](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
                     for (std::string_view level : kLogLevels) {
                       if (EqualsNoCase(args[0], level)) {
                         cfg.loglevel = std::string(level);
                         return std::nullopt;
                       }
                     }
                     return ChoiceRefusal(kLogLevels);
                   },
                   [](const ServerConfig& cfg) { return cfg.loglevel; }};
}

Directive NotifyKeyspaceEventsDirective() {
  return Directive{
      "notify-keyspace-events",
      kMutable,
      1,
      1,
      [](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
        auto classes = ParseKeyspaceEvents(args[0]);
        if (!classes) {
          return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
        }
        cfg.notify_keyspace_events = *classes;
        return std::nullopt;
      },
      [](const ServerConfig& cfg) { return KeyspaceEventsString(cfg.notify_keyspace_events); }};
}

Directive HzDirective() {
  return Directive{"hz",
                   kMutable,
                   1,
                   1,
                   [](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
                     auto v = ParseInteger(args[0]);
                     if (!v) return "argument couldn't be parsed into an integer";
                     if (*v < 0 || *v > INT_MAX) return RangeRefusal("0", FormatInt64(INT_MAX));
                     cfg.hz = static_cast<int>(std::clamp<int64_t>(*v, kMinHz, kMaxHz));
                     return std::nullopt;
                   },
                   [](const ServerConfig& cfg) { return FormatInt64(cfg.hz); }};
}

// client-output-buffer-limit <class> <hard> <soft> <soft seconds> [<class> ...]; CONFIG SET
// takes the groups as one space-separated value, and changes only the classes it names.
Directive OutputBufferLimitDirective() {
  return Directive{
      "client-output-buffer-limit",
      kMutable,
      1,
      kAnyNumberOfArgs,
      [](const std::vector<std::string>& given, Origin, ServerConfig& cfg) -> Refusal {
        // A file line and CONFIG SET arrive split into words (config.cc); the command line
        // may hand all groups over as one quoted argument, which Redis splits too.
        std::vector<std::string> args = given;
        if (given.size() == 1 && given[0].find(' ') != std::string::npos) {
          args.clear();
          for (size_t start = 0; start <= given[0].size();) {
            size_t sp = std::min(given[0].find(' ', start), given[0].size());
            if (sp > start) args.push_back(given[0].substr(start, sp - start));
            start = sp + 1;
          }
        }
        if (args.size() % 4 != 0) {
          return "Wrong number of arguments in buffer limit configuration.";
        }
        ServerConfig next = cfg;
        for (size_t i = 0; i < args.size(); i += 4) {
          const std::string& cls = args[i];
          ServerConfig::OutputBufferLimit* limit =
              EqualsNoCase(cls, "normal") ? &next.output_limit_normal
              : EqualsNoCase(cls, "replica") || EqualsNoCase(cls, "slave")
                  ? &next.output_limit_replica
              : EqualsNoCase(cls, "pubsub") ? &next.output_limit_pubsub
                                            : nullptr;
          if (limit == nullptr) {
            return "Invalid client class specified in buffer limit configuration.";
          }
          auto hard = ParseMemory(args[i + 1]);
          auto soft = ParseMemory(args[i + 2]);
          auto seconds = ParseInteger(args[i + 3]);
          if (!hard || !soft || !seconds || *seconds < 0) {
            return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
          }
          *limit = ServerConfig::OutputBufferLimit{static_cast<int64_t>(*hard),
                                                   static_cast<int64_t>(*soft), *seconds};
        }
        cfg = next;
        return std::nullopt;
      },
      [](const ServerConfig& cfg) {
        auto group = [](std::string_view name, const ServerConfig::OutputBufferLimit& l) {
          return std::string(name) + " " + FormatInt64(l.hard) + " " + FormatInt64(l.soft) + " " +
                 FormatInt64(l.soft_seconds);
        };
        return group("normal", cfg.output_limit_normal) + " " +
               group("slave", cfg.output_limit_replica) + " " +
               group("pubsub", cfg.output_limit_pubsub);
      }};
}

// enable-debug-command no|yes|local, as Redis 7.0 (protected: set in the file or on the
// command line only).
Directive EnableDebugCommandDirective() {
  return Directive{"enable-debug-command",
                   kImmutable,
                   1,
                   1,
                   [](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
                     std::string v(args[0]);
                     for (char& c : v) c = AsciiLower(c);
                     if (v != "no" && v != "yes" && v != "local") {
                       return "argument(s) must be one of the following: no, yes, local";
                     }
                     cfg.enable_debug_command = v;
                     return std::nullopt;
                   },
                   [](const ServerConfig& cfg) { return cfg.enable_debug_command; }};
}

// Strata always runs in the foreground; a file that asks otherwise is told so at startup
// rather than seeing the server silently stay attached to the terminal.
Directive DaemonizeDirective() {
  return Directive{
      "daemonize",
      kImmutable,
      1,
      1,
      [](const std::vector<std::string>& args, Origin, ServerConfig&) -> Refusal {
        auto v = ParseYesNo(args[0]);
        if (!v) return "argument must be 'yes' or 'no'";
        if (*v) {
          return "Strata does not daemonize: use 'daemonize no' and run it in the foreground "
                 "under a supervisor (systemd, docker) or in the background with '&'";
        }
        return std::nullopt;
      },
      [](const ServerConfig&) { return std::string("no"); }};
}

Directive SupervisedDirective() {
  return Directive{
      "supervised",
      kImmutable,
      1,
      1,
      [](const std::vector<std::string>& args, Origin, ServerConfig&) -> Refusal {
        for (std::string_view mode : kSupervisedModes) {
          if (!EqualsNoCase(args[0], mode)) continue;
          if (mode == "no") return std::nullopt;
          return "Strata does not talk to a supervisor (no sd_notify or upstart signals): "
                 "use 'supervised no'";
        }
        return ChoiceRefusal(kSupervisedModes);
      },
      [](const ServerConfig&) { return std::string("no"); }};
}

// What the durable profiles promise is fixed by the profile, so CONFIG GET appendonly reports
// the profile rather than whatever the file said (Finalize warns when they disagree).
Directive AppendOnlyDirective() {
  return Directive{
      "appendonly",
      kImmutable,
      1,
      1,
      [](const std::vector<std::string>& args, Origin, ServerConfig& cfg) -> Refusal {
        auto v = ParseYesNo(args[0]);
        if (!v) return "argument must be 'yes' or 'no'";
        cfg.appendonly = *v;
        return std::nullopt;
      },
      [](const ServerConfig& cfg) { return std::string(YesNo(cfg.profile != Profile::kCache)); }};
}

std::vector<Directive> BuildTable() {
  constexpr int64_t kIntMax = INT_MAX;
  constexpr uint64_t kOneMb = 1024 * 1024;
  constexpr uint64_t kLongLongMax = INT64_MAX;
  std::vector<Directive> t;
  t.push_back(
      EnumDirective("profile", kImmutable, &ServerConfig::profile, kProfileOrder, &ProfileName));
  t.push_back(IntDirective("port", kImmutable, &ServerConfig::port, 0, 65535));
  t.push_back(BindDirective());
  t.push_back(DirDirective());
  t.push_back(IntDirective("databases", kImmutable, &ServerConfig::databases, 1, kIntMax));
  t.push_back(MemoryDirective("maxmemory", kMutable, &ServerConfig::maxmemory, 0, UINT64_MAX));
  t.push_back(EnumDirective("maxmemory-policy", kMutable, &ServerConfig::maxmemory_policy,
                            kEvictionOrder, &EvictionPolicyName));
  t.push_back(AppendOnlyDirective());
  t.push_back(EnumDirective("appendfsync", kMutable, &ServerConfig::appendfsync, kFsyncOrder,
                            &FsyncPolicyName));
  t.push_back(SaveDirective());
  t.push_back(LogLevelDirective());
  t.push_back(StringDirective("logfile", kImmutable, &ServerConfig::logfile));
  t.push_back(IntDirective("maxclients", kMutable, &ServerConfig::maxclients, 1, UINT32_MAX));
  t.push_back(IntDirective("timeout", kMutable, &ServerConfig::timeout, 0, kIntMax));
  t.push_back(IntDirective("tcp-keepalive", kMutable, &ServerConfig::tcp_keepalive, 0, kIntMax));
  t.push_back(MemoryDirective("proto-max-bulk-len", kMutable, &ServerConfig::proto_max_bulk_len,
                              kOneMb, kLongLongMax));
  t.push_back(MemoryDirective("client-query-buffer-limit", kMutable,
                              &ServerConfig::client_query_buffer_limit, kOneMb, kLongLongMax));
  t.push_back(HzDirective());
  // Strata's own: the default time-based retention of streams, in milliseconds.
  t.push_back(IntDirective("stream-retention-ms", kMutable, &ServerConfig::stream_retention_ms, 0,
                           kLongLongMax));
  t.push_back(OutputBufferLimitDirective());
  t.push_back(
      MemoryDirective("big-value-warn", kMutable, &ServerConfig::big_value_warn, 0, kLongLongMax));
  t.push_back(MemoryDirective("checkpoint-log-size", kMutable, &ServerConfig::checkpoint_log_size,
                              1 << 20, kLongLongMax));
  t.push_back(DaemonizeDirective());
  t.push_back(SupervisedDirective());
  t.push_back(BoolDirective("protected-mode", kMutable, &ServerConfig::protected_mode));
  t.push_back(IntDirective("slowlog-log-slower-than", kMutable,
                           &ServerConfig::slowlog_log_slower_than, -1, INT64_MAX));
  t.push_back(
      IntDirective("slowlog-max-len", kMutable, &ServerConfig::slowlog_max_len, 0, INT64_MAX));
  t.push_back(EnableDebugCommandDirective());
  t.push_back(NotifyKeyspaceEventsDirective());
  t.push_back(IntDirective("tracking-table-max-keys", kMutable,
                           &ServerConfig::tracking_table_max_keys, 0, INT64_MAX));
  t.push_back(IntDirective("latency-monitor-threshold", kMutable,
                           &ServerConfig::latency_monitor_threshold, 0, INT64_MAX));
  return t;
}

}  // namespace

const std::vector<Directive>& Directives() {
  static const std::vector<Directive> table = BuildTable();
  return table;
}

const Directive* FindDirective(std::string_view name) {
  for (const Directive& d : Directives()) {
    if (EqualsNoCase(d.name, name)) return &d;
  }
  return nullptr;
}

}  // namespace strata::config::internal
